"""The demo county's year of training."""


def run(activity) -> None:
    """Write the demo's training records for `activity` (an Activity)."""
