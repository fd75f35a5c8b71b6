"""The demo's assessment year: last year's assessment published with its notice under the
scheme's first version, the scheme revised since, this year's quarters computed, the last
one open with hand scores to give."""

import datetime

import pytest

from dangjian.assessment import selectors
from dangjian.assessment.models import Assessment, Scheme, Status
from dangjian.core.periods import Period
from dangjian.demo import generator, loader
from dangjian.notices.models import Notice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def test_the_demo_has_an_assessment_year():
    loader.load(generator.province(150, 1500, seed=9), activity=True, today=TODAY)
    yearly = Scheme.objects.get(period_kind="year")
    assert list(yearly.versions.values_list("number", flat=True)) == [1, 2]
    last_year = Assessment.objects.get(period="2025")
    assert last_year.status == Status.PUBLISHED and last_year.version.number == 1
    assert Notice.objects.get(pk=last_year.notice_id).kind == "assessment"
    quarters = {a.period: a for a in Assessment.objects.filter(scheme__period_kind="quarter")}
    assert sorted(quarters) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert quarters["2026-Q1"].status == quarters["2026-Q2"].status == Status.PUBLISHED
    open_one = quarters["2026-Q3"]
    assert open_one.status == Status.OPEN and not open_one.stale
    assert open_one.scores.filter(hand_missing__gt=0).exists()
    n = last_year.scores.count()
    assert n == open_one.scores.count() > 100
    # Every grade is used, and the bottom of the published year is what weakorgs reads.
    assert len(set(last_year.scores.values_list("grade", flat=True))) >= 3
    bottom = selectors.bottom_of(last_year.organization, Period(2025))
    assert 0 < len(bottom) < n / 3
    # Computed indicators agree with their inputs.
    for score in open_one.scores.all()[:50]:
        meetings = score.details[0]
        inputs = meetings["inputs"]
        assert meetings["value"] == (
            None if not inputs["due"] else round(inputs["held"] / inputs["due"], 4)
        )
