"""Assessment: schemes in versions, scores computed from the records, hand scores, grades,
the ranking from the bottom and its tie rule, bad input, publishing with a notice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.assessment import rules, selectors, services, sources
from dangjian.assessment.models import Assessment, Score, Status
from dangjian.core.periods import Period
from dangjian.life import services as life
from dangjian.notices.models import Notice
from dangjian.tasks import services as tasks
from dangjian.tasks.models import ReportBack

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 7)
YEAR = Period(2026)

INDICATORS = [
    {
        "code": "meetings",
        "name": "三会一课按期召开",
        "method": "computed",
        "source": "life.meeting_compliance",
        "weight": "40",
        "zero_at": "0.5",
        "full_at": "1",
    },
    {
        "code": "reports",
        "name": "晒账单按时报送",
        "method": "computed",
        "source": "tasks.report_backs_on_time",
        "weight": "30",
        "zero_at": "0",
        "full_at": "1",
    },
    {"code": "inspection", "name": "督查评分", "method": "hand", "weight": "30"},
]


def scheme(county, indicators=INDICATORS, kind="year"):
    return services.create_scheme(
        county.users["county"],
        county.root,
        name="2026年度基层党建考核方案",
        period_kind=kind,
        indicators=indicators,
    )


def opened(county, period="2026", indicators=INDICATORS):
    return services.open_assessment(county.users["county"], scheme(county, indicators), period)


def score(assessment, org):
    return Score.objects.get(assessment=assessment, organization=org)


# ---- rules ------------------------------------------------------------------------------


def test_points_are_linear_between_zero_and_full_and_clamped():
    assert rules.points(40, 0.75, "0.5", "1", "full") == Decimal("20.00")
    assert rules.points(40, 0.4, "0.5", "1", "full") == Decimal("0.00")
    assert rules.points(40, 1.2, "0.5", "1", "full") == Decimal("40.00")
    assert rules.points(40, None, "0.5", "1", "full") == Decimal("40.00")
    assert rules.points(40, None, "0.5", "1", "zero") == Decimal("0.00")
    # Fewer is better: 0 overdue gives all, 4 or more nothing.
    assert rules.points(10, 1, "4", "0", "full") == Decimal("7.50")


def test_grades_at_their_thresholds():
    g = rules.DEFAULT_GRADES
    assert [rules.grade_for(t, g) for t in (90, "89.99", 80, 60, "59.99", 0)] == [
        "good",
        "fair",
        "fair",
        "average",
        "poor",
        "poor",
    ]
    assert rules.check_grades([["a", "甲", 50], ["b", "乙", 60]])


def test_ties_are_broken_by_the_stated_rule():
    # Three villages of one group with 80 points: the one lower on the first indicator is
    # further down; equal points on every indicator go by the organization's code.
    rows = [
        ("x", "g", Decimal(80), [Decimal(30), Decimal(50)], "T03"),
        ("y", "g", Decimal(80), [Decimal(20), Decimal(60)], "T02"),
        ("z", "g", Decimal(80), [Decimal(30), Decimal(50)], "T01"),
        ("w", "g", Decimal(70), [Decimal(40), Decimal(30)], "T09"),
        ("other", "h", Decimal(10), [Decimal(5), Decimal(5)], "T10"),
    ]
    places = rules.rank_from_bottom(rows)
    assert places == {"w": (1, 4), "y": (2, 4), "z": (3, 4), "x": (4, 4), "other": (1, 1)}
    assert "按组织编码" in str(rules.TIE_RULE)


def test_bottom_places_share():
    assert rules.bottom_places(100, [1, 20]) == 5
    assert rules.bottom_places(101, [1, 20]) == 6
    assert rules.bottom_places(3, [1, 20]) == 1
    assert rules.bottom_places(0, [1, 20]) == 0


# ---- schemes ----------------------------------------------------------------------------


def test_weights_not_summing_to_the_full_score_are_refused_with_every_row_named(county):
    bad = [dict(INDICATORS[0], weight="40"), dict(INDICATORS[1], weight="30")]
    with pytest.raises(ValidationError) as e:
        scheme(county, bad)
    assert "各项指标分值之和为70，应等于方案满分100" in e.value.message_dict["indicators"][0]
    rows = [
        dict(INDICATORS[0], source="nowhere"),
        dict(INDICATORS[1], code="meetings", weight="-3"),
        dict(INDICATORS[2], name=""),
    ]
    with pytest.raises(ValidationError) as e:
        services.create_scheme(
            county.users["county"], county.root, name="", period_kind="month", indicators=rows
        )
    errors = e.value.message_dict
    assert set(errors) == {"name", "period_kind", "indicators"}
    text = " ".join(errors["indicators"])
    assert "第1项指标：请选择数据来源" in text
    assert "第2项指标：指标代码“meetings”重复" in text
    assert "第2项指标：分值应为大于0的数" in text
    assert "第3项指标：请填写指标名称" in text


def test_only_managers_of_the_organization_make_schemes(county):
    with pytest.raises(PermissionDenied):
        services.create_scheme(
            county.users["town_a"],
            county.root,
            name="x",
            period_kind="year",
            indicators=INDICATORS,
        )


def test_the_registry_has_the_six_sources_training_coverage_included():
    assert set(sources.REGISTRY) == {
        "life.meeting_compliance",
        "tasks.report_backs_on_time",
        "tasks.pledge_targets_met",
        "service.public_pledges_kept",
        "health.elections_on_time",
        "training.coverage",
    }


# ---- scores from the records --------------------------------------------------------------


def issue(county, starts_on, deadline):
    return tasks.issue(
        county.root,
        title="报送",
        content="报送本月工作",
        starts_on=starts_on,
        deadline=deadline,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        actor=county.users["county"],
    )


def report(assignment, org, when):
    rb = ReportBack.objects.get(assignment=assignment, organization=org)
    tasks.report(rb, values={}, text="已完成", now=when)


def test_scores_computed_from_data_agree_with_the_records(county):
    a1, a2, b1 = county.village_a1, county.village_a2, county.village_b1
    # Report-backs: TA01 reports both on time, TA02 one late and one never, TB01 one on time.
    first = issue(county, D(2026, 3, 1), D(2026, 3, 31))
    second = issue(county, D(2026, 6, 1), D(2026, 6, 30))
    aware = datetime.datetime
    tz = datetime.UTC
    report(first, a1, aware(2026, 3, 20, 2, tzinfo=tz))
    report(second, a1, aware(2026, 6, 20, 2, tzinfo=tz))
    report(first, a2, aware(2026, 4, 5, 2, tzinfo=tz))
    report(first, b1, aware(2026, 3, 5, 2, tzinfo=tz))
    # Meetings: TA01 holds theme days in some months.
    for month in (1, 2, 3, 4, 5, 6):
        life.record_meeting(
            a1,
            kind="theme_day",
            held_on=D(2026, month, 10),
            topic="主题党日",
            today=D(2026, month, 12),
        )
    assessment = opened(county)
    n = services.compute(assessment, today=TODAY)
    # Both townships and the three villages (the county itself and the group are not scored).
    assert n == 5
    compliance = life.compliance(county.root, YEAR, TODAY)["by_org"]
    for org in (a1, a2, b1, county.town_a, county.town_b):
        s = score(assessment, org)
        meetings, reports, inspection = s.details
        # Meeting compliance over the organization's subtree, as life counts it.
        subtree = life.compliance(org, YEAR, TODAY)["total"]
        assert meetings["inputs"] == {"held": subtree.held, "due": subtree.due}
        assert meetings["value"] == round(subtree.rate, 4)
        assert Decimal(meetings["points"]) == rules.points(40, subtree.rate, "0.5", "1", "full")
        assert inspection["missing"] and inspection["points"] == "0.00"
        assert s.hand_missing == 1
        assert s.total == sum(Decimal(d["points"]) for d in s.details)
        assert s.version == assessment.scheme.current_version()
    assert sum(t.held for t in compliance.values()) >= 6
    assert score(assessment, a1).details[1]["inputs"] == {"on_time": 2, "due": 2}
    assert score(assessment, a2).details[1]["inputs"] == {"on_time": 0, "due": 2}
    assert score(assessment, b1).details[1]["inputs"] == {"on_time": 1, "due": 2}
    # A township's figure is the sum over its villages.
    assert score(assessment, county.town_a).details[1]["inputs"] == {"on_time": 2, "due": 4}
    assert Decimal(score(assessment, county.town_a).details[1]["points"]) == Decimal("15.00")


def test_a_scheme_change_does_not_alter_old_scores(county):
    old = opened(county, "2025")
    services.compute(old, today=TODAY)
    services.publish(county.users["county"], old, today=TODAY)
    before = {s.organization_id: (s.total, s.details, s.version_id) for s in old.scores.all()}
    changed = [dict(INDICATORS[0], weight="70"), INDICATORS[2]]
    version = services.revise_scheme(
        county.users["county"], old.scheme, indicators=changed, note="提高组织生活分值"
    )
    assert version.number == 2
    assert list(old.scheme.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert old.scheme.versions.get(number=1).indicators.count() == 3
    after = {s.organization_id: (s.total, s.details, s.version_id) for s in old.scores.all()}
    assert after == before
    with pytest.raises(ValidationError):
        services.compute(old, today=TODAY)
    # This year's assessment under the same scheme is computed under the new version.
    new = services.open_assessment(county.users["county"], old.scheme, "2026")
    services.compute(new, today=TODAY)
    assert {s.version.number for s in new.scores.all()} == {2}
    assert [d["code"] for d in new.scores.first().details] == ["meetings", "inspection"]


def test_hand_scores_with_reason_and_who_gave_it(county):
    assessment = opened(county)
    services.compute(assessment, today=TODAY)
    hand = services.record_hand_score(
        county.users["town_a"],
        organization=county.village_a1,
        period=YEAR,
        indicator_code="inspection",
        score="25.5",
        reason="第三季度督查：组织生活记录完整",
        source="inspection:7",
    )
    assert hand.score == Decimal("25.5")
    s = score(assessment, county.village_a1)
    entry = s.details[2]
    assert entry["points"] == "25.50" and entry["reason"].startswith("第三季度督查")
    assert entry["by"] == "town_a" and entry["source"] == "inspection:7"
    assert s.hand_missing == 0
    assessment.refresh_from_db()
    assert assessment.stale
    # A later score of the same indicator replaces it.
    services.record_hand_score(
        county.users["county"],
        organization=county.village_a1,
        period="2026",
        indicator_code="inspection",
        score=30,
        reason="复查后改正",
    )
    assert assessment.hand_scores.count() == 1
    services.compute(assessment, today=TODAY)
    assert score(assessment, county.village_a1).details[2]["points"] == "30.00"


@pytest.mark.parametrize(
    "data, field, text",
    [
        ({"indicator_code": "meetings"}, "indicator_code", "不是该考核方案的人工评分指标"),
        ({"indicator_code": "nope"}, "indicator_code", "可选：inspection"),
        ({"score": "30.5"}, "score", "得分应在0至30分之间"),
        ({"score": "-1"}, "score", "得分应在0至30分之间"),
        ({"score": "abc"}, "score", "得分应为数字"),
        ({"reason": " "}, "reason", "请填写评分理由"),
        ({"period": "2025"}, "period", "2025年度没有包括“甲一村党支部”的考核"),
        ({"period": "2026-13"}, "period", "无法识别的期间"),
    ],
)
def test_bad_hand_scores_are_refused_naming_the_field(county, data, field, text):
    opened(county)
    args = {
        "organization": county.village_a1,
        "period": YEAR,
        "indicator_code": "inspection",
        "score": "20",
        "reason": "督查",
    } | data
    with pytest.raises(ValidationError) as e:
        services.record_hand_score(county.users["county"], **args)
    assert text in " ".join(e.value.message_dict[field])


def test_nobody_scores_their_own_organization(county):
    opened(county)
    with pytest.raises(PermissionDenied):
        services.record_hand_score(
            county.users["branch_a1"],
            organization=county.village_a1,
            period=YEAR,
            indicator_code="inspection",
            score=30,
            reason="自评",
        )


def test_period_must_match_the_scheme(county):
    with pytest.raises(ValidationError) as e:
        services.open_assessment(county.users["county"], scheme(county), "2026-Q1")
    assert "期间应写作2026" in e.value.message_dict["period"][0]
    opened_once = services.open_assessment(county.users["county"], scheme(county), "2026")
    with pytest.raises(ValidationError) as e:
        services.open_assessment(county.users["county"], opened_once.scheme, "2026")
    assert "已经开启" in e.value.message_dict["period"][0]


# ---- grades, the bottom, publishing ----------------------------------------------------------


def scored(county, points: dict):
    """An assessment of hand indicators only, with these totals by organization code."""
    assessment = opened(
        county, indicators=[{"code": "work", "name": "工作实绩", "method": "hand", "weight": "100"}]
    )
    for code, value in points.items():
        org = next(o for o in county.__dict__.values() if getattr(o, "code", None) == code)
        services.record_hand_score(
            county.users["county"],
            organization=org,
            period=YEAR,
            indicator_code="work",
            score=value,
            reason="考核组评定",
        )
    services.compute(assessment, today=TODAY)
    return assessment


def test_grades_ranking_within_level_and_sector_and_the_bottom(county):
    assessment = scored(county, {"TA01": 95, "TA02": 55, "TB01": 55, "TA": 85, "TB": 70})
    s = {
        o.code: score(assessment, o)
        for o in (county.village_a1, county.village_a2, county.village_b1)
    }
    assert [s[c].grade for c in ("TA01", "TA02", "TB01")] == ["good", "poor", "poor"]
    # Villages (rural) are one group; TA02 and TB01 tie at 55: by code, TA02 is last.
    assert [(s[c].rank_from_bottom, s[c].group_size) for c in ("TA02", "TB01", "TA01")] == [
        (1, 3),
        (2, 3),
        (3, 3),
    ]
    town_a = score(assessment, county.town_a)
    assert (town_a.rank_from_bottom, town_a.group_size) == (2, 2)
    # Not published yet: nothing for the apps above.
    assert selectors.bottom_of(county.root, YEAR) == []
    assert selectors.grade_of(county.village_a2, YEAR) is None
    notice = services.publish(county.users["county"], assessment, today=TODAY)
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED and assessment.notice_id == notice.pk
    assert selectors.grade_of(county.village_a2, YEAR) == "poor"
    assert selectors.grade_of(county.root, YEAR) is None
    bottom = selectors.bottom_of(county.root, YEAR)
    ids = [row[0] for row in bottom]
    # The lowest grade (both 55s) and the last of each group (TB is last of the townships).
    assert set(ids) == {county.village_a2.pk, county.village_b1.pk, county.town_b.pk}
    assert (county.village_a2.pk, Decimal("55.00"), "poor", 1) in bottom
    assert selectors.bottom_of(county.town_a, YEAR) == [
        (county.village_a2.pk, Decimal("55.00"), "poor", 1)
    ]
    assert selectors.bottom_of(county.root, YEAR, level="township") == [
        (county.town_b.pk, Decimal("70.00"), "average", 1)
    ]
    figures = selectors.assessment_figures(county.town_a, YEAR)
    assert figures == {
        "grade": "fair",
        "organizations_by_grade": {"good": 1, "fair": 1, "average": 0, "poor": 1},
    }
    # The notice: numbered, with the grades and the last places.
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.kind == "assessment" and "2026年度" in notice.title
    tables = [s["table"] for s in notice.sections if s.get("table")]
    assert tables[0]["rows"][-1] == ["合计", "1", "1", "1", "2", "5"]
    assert [r[1] for r in tables[1]["rows"]] == ["乙镇党委", "甲二村党支部", "乙一村党支部"]
    # Published: no more hand scores, no recomputation, no second publication.
    with pytest.raises(ValidationError) as e:
        services.record_hand_score(
            county.users["county"],
            organization=county.village_a1,
            period=YEAR,
            indicator_code="work",
            score=1,
            reason="x",
        )
    assert "已发布" in e.value.message_dict["period"][0]
    with pytest.raises(ValidationError):
        services.publish(county.users["county"], assessment, today=TODAY)


def test_publishing_needs_fresh_scores(county):
    assessment = opened(county)
    with pytest.raises(ValidationError) as e:
        services.publish(county.users["county"], assessment, today=TODAY)
    assert "请先重新计算" in e.value.message_dict["assessment"][0]
    assert not Notice.objects.exists()
    assert Assessment.objects.get(pk=assessment.pk).status == Status.OPEN


def test_who_sees_scores(county):
    assessment = scored(county, {"TA01": 95, "TA02": 55, "TB01": 55})
    ranking = selectors.ranking(county.users["town_a"], assessment)
    # A township sees its villages' scores at once (it scores them), its own once published.
    assert {s.organization.code for s in ranking} == {"TA01", "TA02"}
    # A branch sees its own only once published.
    assert not selectors.ranking(county.users["branch_a1"], assessment).exists()
    services.publish(county.users["county"], assessment, today=TODAY)
    assert [
        s.organization.code for s in selectors.ranking(county.users["branch_a1"], assessment)
    ] == ["TA01"]
    assert not selectors.ranking(county.users["member_a1"], assessment).exists()


def test_messages_in_english(county):
    from django.utils.translation import override

    opened(county)
    with override("en"), pytest.raises(ValidationError) as e:
        services.record_hand_score(
            county.users["county"],
            organization=county.village_a1,
            period=YEAR,
            indicator_code="inspection",
            score="31",
            reason="",
        )
    assert e.value.message_dict == {
        "score": ["The score should be between 0 and 30"],
        "reason": ["Enter the reason for the score"],
    }
    with override("en"):
        assert str(rules.TIE_RULE).startswith("Within one level and one sector")
        assert rules.period_label("2026-Q3") == "Q3 2026"


def test_kept_group_counts_agree_with_the_scores(county):
    assessment = scored(county, {"TA01": 95, "TA02": 55, "TB01": 82, "TA": 85, "TB": 70})

    def kept():
        assessment.refresh_from_db()
        return {
            (lv, sc): {g: n for g, n in counts.items() if n} for lv, sc, counts in assessment.groups
        }

    def actual():
        out = {}
        for s in Score.objects.filter(assessment=assessment):
            counts = out.setdefault((s.level, s.sector), {})
            counts[s.grade] = counts.get(s.grade, 0) + 1
        return out

    assert kept() == actual()
    # A hand score moving TA02 from 差 to 较好 moves the kept counts with it.
    services.record_hand_score(
        county.users["county"],
        organization=county.village_a2,
        period=YEAR,
        indicator_code="work",
        score=81,
        reason="复核",
    )
    assert kept() == actual()
    assert kept()[("village", "rural")] == {"good": 1, "fair": 2}
    levels, sectors = selectors.group_choices(assessment)
    assert [v for v, _l in levels] == ["township", "village"]
    assert selectors.summary_counts(assessment, rules.DEFAULT_GRADES, level="village") == [
        ("good", "好", 1),
        ("fair", "较好", 2),
        ("average", "一般", 0),
        ("poor", "差", 0),
    ]


def test_a_long_bottom_list_is_cut_keeping_the_last_of_every_group(county, monkeypatch):
    assessment = scored(county, {"TA01": 95, "TA02": 55, "TB01": 55, "TA": 85, "TB": 70})
    monkeypatch.setattr(selectors, "NOTICE_ROWS", 2)
    sections = selectors.notice_sections(assessment)
    bottom = sections[2]
    # Each group's last place first: the townships' (TB) and the villages' (TA02), not two
    # villages; the notice says the list was cut.
    assert [r[1] for r in bottom["table"]["rows"]] == ["乙镇党委", "甲二村党支部"]
    assert "本通报只列出前2个" in bottom["paragraphs"][0]


def test_a_township_assessment_beside_the_county_one(county):
    county_a = opened(county)  # hand indicator "inspection"
    own = services.create_scheme(
        county.users["town_a"],
        county.town_a,
        name="甲镇村级考核方案",
        period_kind="year",
        indicators=[
            {"code": "village_work", "name": "村级工作", "method": "hand", "weight": "100"}
        ],
    )
    town_a = services.open_assessment(county.users["town_a"], own, "2026")

    def give(code):
        return services.record_hand_score(
            county.users["town_a"],
            organization=county.village_a1,
            period=YEAR,
            indicator_code=code,
            score=20,
            reason="评定",
        )

    assert give("inspection").assessment == county_a
    assert give("village_work").assessment == town_a
    services.compute(county_a, today=TODAY)
    services.publish(county.users["county"], county_a, today=TODAY)
    services.compute(town_a, today=TODAY)
    services.publish(county.users["town_a"], town_a, today=TODAY)
    # The township is graded in the county's assessment, and its counts come from there.
    assert selectors.grade_of(county.town_a, YEAR) == score(county_a, county.town_a).grade
    figures = selectors.assessment_figures(county.town_a, YEAR)
    assert sum(figures["organizations_by_grade"].values()) == 3  # TA, TA01, TA02
    # weakorgs reads the township's own assessment for its subtree.
    assert {row[0] for row in selectors.bottom_of(county.town_a, YEAR)} <= {
        county.village_a1.pk,
        county.village_a2.pk,
    }
    assert Score.objects.filter(assessment=town_a).count() == 2


def test_takes_hand_score_tells_callers_where_a_score_would_go(county):
    assert not services.takes_hand_score(county.village_a1, YEAR, "inspection")
    assessment = opened(county)
    assert services.takes_hand_score(county.village_a1, YEAR, "inspection")
    assert services.takes_hand_score(county.village_a1, "2026", "inspection")
    assert not services.takes_hand_score(county.village_a1, YEAR, "meetings")  # computed
    assert not services.takes_hand_score(county.village_a1, Period(2025), "inspection")
    assert not services.takes_hand_score(county.root, YEAR, "inspection")  # not assessed
    services.compute(assessment, today=TODAY)
    services.publish(county.users["county"], assessment, today=TODAY)
    assert not services.takes_hand_score(county.village_a1, YEAR, "inspection")
