"""Reads of dues: what a user may see, answered once here."""

from dangjian.core.periods import Period


def dues_figures(org, period: Period) -> dict:
    """The stats keys of dues over `org`'s subtree in `period`."""
    return {}
