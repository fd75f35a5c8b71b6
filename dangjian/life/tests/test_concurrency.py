"""The same meeting sent six times at once (a double tap, a retried request) is stored
once; the others get the duplicate message, not a second meeting or a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.life import services
from dangjian.life.models import Meeting
from dangjian.rollups import services as rollups
from dangjian.rollups.tests.test_concurrency import run_together


@pytest.mark.django_db(transaction=True)
def test_six_identical_meetings_at_once_make_one(county):
    day = timezone.localdate().replace(day=1)
    present = [(m.pk, "present", "") for m in county.members["TA01"]]

    def record():
        return services.record_meeting(
            county.village_a1,
            kind="theme_day",
            held_on=day,
            topic="同一次主题党日",
            attendance=present,
        )

    results = run_together([record] * 6)

    assert sum(isinstance(r, Meeting) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 5 and all("请勿重复登记" in str(e) for e in refused)
    assert Meeting.objects.filter(organization=county.village_a1).count() == 1
    month = f"{day:%Y-%m}"
    assert rollups.figures(county.root).get(f"meetings.{month}.theme_day") == 1
