"""The demo county's year of development."""


def run(activity) -> None:
    """Write the demo's development records for `activity` (an Activity)."""
