"""The assessment's source for pledges to the public (双承诺) agrees with the records: kept
÷ due over each organization's subtree, open pledges counted once their date has passed."""

import datetime

import pytest

from dangjian.assessment import sources
from dangjian.core.periods import Period
from dangjian.orgs.models import Organization
from dangjian.service import services as service

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def pledge(org, due, today=datetime.date(2026, 1, 5)):
    return service.make_pledge(
        None, org, content="为群众办实事", beneficiary="本村群众", due_on=due, today=today
    )


def test_kept_over_due_rolled_up_the_subtree(county):
    a1, a2, b1 = county.village_a1, county.village_a2, county.village_b1
    kept = pledge(a1, datetime.date(2026, 6, 30))
    service.close_pledge(None, kept, done=True, evidence="已完成", today=datetime.date(2026, 6, 1))
    broken = pledge(a1, datetime.date(2026, 7, 31))
    service.close_pledge(
        None, broken, done=False, reason="资金未到位", today=datetime.date(2026, 8, 1)
    )
    pledge(a2, datetime.date(2026, 9, 30))  # open past its date: due, not kept
    pledge(a2, datetime.date(2026, 12, 30))  # open, not yet due: left out
    pledge(b1, datetime.date(2025, 9, 30))  # another year
    paths = dict(Organization.objects.values_list("id", "path"))
    figures = sources.public_pledges_kept(county.root, Period(2026), TODAY, paths)
    assert figures[a1.pk] == (0.5, {"kept": 1, "due": 2})
    assert figures[a2.pk] == (0.0, {"kept": 0, "due": 1})
    assert figures[county.town_a.pk] == (1 / 3, {"kept": 1, "due": 3})
    assert figures[b1.pk] == (None, {"kept": 0, "due": 0})
    assert figures[county.root.pk][1] == {"kept": 1, "due": 3}
    assert "service.public_pledges_kept" in dict(sources.choices())
