"""Reads of development: what a user may see, answered once here."""

from dangjian.core.periods import Period


def development_figures(org, period: Period) -> dict:
    """The stats keys of development over `org`'s subtree in `period`."""
    return {}
