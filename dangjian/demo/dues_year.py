"""The demo county's year of dues."""


def run(activity) -> None:
    """Write the demo's dues records for `activity` (an Activity)."""
