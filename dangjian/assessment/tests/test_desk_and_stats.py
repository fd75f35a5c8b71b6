"""Assessment on the desk (hand scores missing above; the branch's own published grade)
and in the stats (grade, organizations_by_grade rolled up the tree)."""

import datetime

import pytest

from dangjian.assessment import desk, services
from dangjian.core.periods import Period
from dangjian.reports.stats import stats_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
HAND = [{"code": "work", "name": "工作实绩", "method": "hand", "weight": "100"}]


@pytest.fixture
def assessment(county):
    scheme = services.create_scheme(
        county.users["county"], county.root, name="方案", period_kind="year", indicators=HAND
    )
    a = services.open_assessment(county.users["county"], scheme, "2026")
    services.compute(a, today=TODAY)
    return a


def give(county, org, value):
    services.record_hand_score(
        county.users["county"],
        organization=org,
        period="2026",
        indicator_code="work",
        score=value,
        reason="考核组评定",
    )


def test_upper_desk_lists_missing_hand_scores_until_given(county, assessment):
    items = desk.hand_scores_missing(county.users["town_a"], TODAY)
    assert len(items) == 1
    assert "2个组织还缺人工评分" in items[0].lines[0].text  # TA01 and TA02
    assert "missing=1" in items[0].lines[0].url
    county_items = desk.hand_scores_missing(county.users["county"], TODAY)
    assert "5个组织还缺人工评分" in county_items[0].lines[0].text
    give(county, county.village_a1, 90)
    give(county, county.village_a2, 70)
    assert desk.hand_scores_missing(county.users["town_a"], TODAY) == []
    assert desk.own_grade(county.users["branch_a1"], TODAY) == []


def test_branch_desk_shows_its_published_grade(county, assessment):
    for org, value in ((county.village_a1, 85), (county.village_a2, 50), (county.village_b1, 95)):
        give(county, org, value)
    services.compute(assessment, today=TODAY)
    services.publish(county.users["county"], assessment, today=TODAY)
    items = desk.own_grade(county.users["branch_a1"], TODAY)
    text = items[0].lines[0].text
    assert "85.00分，较好" in text and "倒数第2/3" in text
    assert desk.own_grade(county.users["branch_a1"], TODAY + datetime.timedelta(days=90)) == []


def test_stats_grade_and_counts_sum_over_children_plus_own(county, assessment):
    for org, value in (
        (county.village_a1, 95),
        (county.village_a2, 50),
        (county.village_b1, 82),
        (county.town_a, 75),
        (county.town_b, 91),
    ):
        give(county, org, value)
    services.compute(assessment, today=TODAY)
    services.publish(county.users["county"], assessment, today=TODAY)
    year = Period(2026)
    root = stats_for(county.root, year)
    town_a = stats_for(county.town_a, year)
    town_b = stats_for(county.town_b, year)
    assert town_a["grade"] == "average" and town_b["grade"] == "good"
    assert root["grade"] is None  # the county assesses, it is not assessed here
    assert stats_for(county.village_a2, year)["grade"] == "poor"
    assert town_a["organizations_by_grade"] == {"good": 1, "fair": 0, "average": 1, "poor": 1}
    own = {"good": 0, "fair": 0, "average": 0, "poor": 0}  # the root has no score of its own
    for code in own:
        assert (
            root["organizations_by_grade"][code]
            == town_a["organizations_by_grade"][code]
            + town_b["organizations_by_grade"][code]
            + own[code]
        )
    assert sum(root["organizations_by_grade"].values()) == 5
    # Another period: nothing assessed.
    assert stats_for(county.root, Period(2025))["organizations_by_grade"] == {}
