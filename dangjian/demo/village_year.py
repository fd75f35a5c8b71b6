"""The demo county's year of village."""


def run(activity) -> None:
    """Write the demo's village records for `activity` (an Activity)."""
