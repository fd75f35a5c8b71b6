import datetime

import pytest
from django.utils import timezone

from dangjian.life import services as life

TODAY = timezone.localdate()
YEAR = TODAY.year
LAST = YEAR - 1


def meeting(org, kind, held_on, present=(), leave=(), absent=(), also=(), topic=None):
    """A meeting recorded on the day it was held (on time, no late entry)."""
    attendance = (
        [(m.pk, "present", "") for m in present]
        + [(m.pk, "leave", "外出") for m in leave]
        + [(m.pk, "absent", "") for m in absent]
    )
    return life.record_meeting(
        org,
        kind=kind,
        held_on=held_on,
        topic=topic or f"{kind}{held_on:%m%d}",
        attendance=attendance,
        also_counts_as=list(also),
        today=held_on,
        **({"lecturer": "县委党校教师"} if "party_lecture" in (kind, *also) else {}),
    )


def day(month, d=10, year=YEAR):
    """A day of `year` not after today (this year's months after today's are moved back)."""
    value = datetime.date(year, month, d)
    return min(value, TODAY) if year == YEAR else value


@pytest.fixture
def members(county):
    return county.members["TA01"]
