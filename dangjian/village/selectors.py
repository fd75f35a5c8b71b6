"""Reads of village: what a user may see, answered once here."""

from dangjian.core.periods import Period


def village_figures(org, period: Period) -> dict:
    """The stats keys of village over `org`'s subtree in `period`."""
    return {}
