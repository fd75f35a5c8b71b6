"""Reads of training: what a user may see, answered once here."""

from dangjian.core.periods import Period


def training_figures(org, period: Period) -> dict:
    """The stats keys of training over `org`'s subtree in `period`."""
    return {}
