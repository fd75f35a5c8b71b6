"""Points agree with the records (counted here from the records themselves), caps apply,
a closed year keeps its points whatever the scheme becomes, and the stats sum the tree."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.life import services as life
from dangjian.life.models import Attendance
from dangjian.points import rules, selectors, services
from dangjian.points.models import MemberItemPoints, MemberPoints, OrgItemPoints, OrgPoints
from dangjian.reports.stats import stats_for
from dangjian.tasks import services as tasks
from dangjian.tasks.models import PledgeTarget, ReportBack
from dangjian.testing import add_member

from .conftest import LAST, YEAR, day, meeting

pytestmark = pytest.mark.django_db

THEME = "life.attendance.theme_day"
LECTURE = "life.attendance.party_lecture"
ASSEMBLY = "life.attendance.branch_assembly"
ON_TIME = "tasks.report_back_on_time"
TARGETS = "tasks.pledge_target_met"


def scheme(county, year, *items, actor=None):
    return services.save_scheme(
        actor or county.users["county"],
        county.root,
        year,
        [{"source": s, "points": p, "cap": c} for s, p, c in items],
    )


def points_of(member, year=LAST):
    row = MemberPoints.objects.get(member=member, year=year)
    return row.points


def item_of(member, source, year=LAST):
    row = MemberItemPoints.objects.filter(member=member, year=year, source=source).first()
    return (row.records, row.points) if row else (0, 0)


def attended_in_records(member, kind, year):
    """Counted from the records directly: present, not voided, held in the year, of the
    kind or also counting as it."""
    rows = Attendance.objects.filter(
        member=member,
        status="present",
        meeting__voided_on__isnull=True,
        meeting__held_on__year=year,
    ).select_related("meeting")
    return sum(1 for a in rows if kind in a.meeting.kinds)


@pytest.fixture
def year_of_meetings(county):
    a, b, c = county.members["TA01"]
    ta01 = county.village_a1
    # Four theme days: a at all four, b at two (on leave at one), c absent at all.
    for month in (1, 2, 3, 4):
        meeting(
            ta01,
            "theme_day",
            day(month, year=LAST),
            present=[a] + ([b] if month <= 2 else []),
            leave=[b] if month == 3 else [],
            absent=[c] + ([b] if month == 4 else []),
            also=["party_lecture"] if month == 1 else [],
        )
    meeting(ta01, "branch_assembly", day(3, 20, LAST), present=[a, b, c])
    # Voided: counts for nobody.
    voided = meeting(ta01, "theme_day", day(5, year=LAST), present=[a, b, c])
    life.void_meeting(voided, reason="重复登记")
    # Another year: not in LAST's points.
    meeting(ta01, "theme_day", datetime.date(LAST - 1, 6, 1), present=[a, b, c])
    return a, b, c


def test_member_points_agree_with_the_records_and_caps_apply(county, year_of_meetings):
    a, b, c = year_of_meetings
    scheme(county, LAST, (THEME, 2, 5), (LECTURE, 3, None), (ASSEMBLY, 1, None))
    services.compute_year(county.root, LAST)
    for m in (a, b, c):
        theme = attended_in_records(m, "theme_day", LAST)
        lecture = attended_in_records(m, "party_lecture", LAST)
        assembly = attended_in_records(m, "branch_assembly", LAST)
        assert item_of(m, THEME) == (theme, min(theme * 2, 5)) if theme else (0, 0)
        assert item_of(m, LECTURE)[0] == lecture
        expected = min(theme * 2, 5) + lecture * 3 + assembly
        assert points_of(m) == expected, m
    # a: 4 theme days = 8, capped at 5; 1 lecture (the theme day that also counted) = 3;
    # the assembly = 1.
    assert (attended_in_records(a, "theme_day", LAST), points_of(a)) == (4, 9)
    assert item_of(a, THEME) == (4, 5)
    assert item_of(b, THEME) == (2, 4)  # leave and absence are not attendance
    assert points_of(c) == 1
    # The records behind each point: the cap shares out as 2, 2, 1, 0.
    data = selectors.member_year(a, LAST)
    theme_line = next(line for line in data["lines"] if line.item.source == THEME)
    assert [share for _record, share in theme_line.behind] == [2, 2, 1, 0]
    assert sum(share for _r, share in theme_line.behind) == theme_line.points == 5
    assert not theme_line.changed
    # Every active member of the county has a row, 0 included.
    assert MemberPoints.objects.filter(county=county.root, year=LAST).count() == 9
    assert points_of(county.members["TB01"][0]) == 0


def test_late_entries_count_only_once_approved(county):
    a, b, _c = county.members["TA01"]
    late = meeting(county.village_a1, "theme_day", day(1, year=LAST), present=[a, b])
    late.late_entry = True  # as recorded after the late-entry window, awaiting approval
    late.save(update_fields=["late_entry"])
    scheme(county, LAST, (THEME, 2, None))
    services.compute_year(county.root, LAST)
    assert points_of(a) == 0
    late.approved_on = day(2, year=LAST)
    late.save(update_fields=["approved_on"])
    services.compute_year(county.root, LAST)
    assert points_of(a) == 2


def test_removed_members_and_other_counties_get_nothing(county, year_of_meetings):
    a, b, _c = year_of_meetings
    from dangjian.members import services as members

    members.remove(b, reason="去世", on=day(6, year=LAST))
    scheme(county, LAST, (THEME, 2, None))
    services.compute_year(county.root, LAST)
    assert not MemberPoints.objects.filter(member=b).exists()
    assert points_of(a) == 8


def test_org_points_agree_with_report_backs_and_targets(county):
    root = county.root
    a = tasks.issue(
        root,
        title="月度工作",
        content="报送",
        starts_on=datetime.date(LAST, 3, 1),
        deadline=datetime.date(LAST, 3, 31),
        receivers={"mode": "filter", "levels": ["village"]},
        fields=[{"key": "n", "label": "次数", "type": "integer"}],
    )

    def rb(code):
        return ReportBack.objects.get(assignment=a, organization__code=code)

    at = datetime.datetime(LAST, 3, 31, 23, 30)
    tasks.report(rb("TA01"), values={"n": "1"}, now=timezone.make_aware(at))
    tasks.report(
        rb("TA02"), values={"n": "1"}, now=timezone.make_aware(at) + datetime.timedelta(hours=1)
    )
    # TA02 reported late; TB01 never reported.
    pledge = tasks.create_pledge(
        county.town_a,
        county.village_a1,
        year=LAST,
        title="目标责任书",
        targets=[
            {"text": "建成活动阵地"},
            {"text": "发展党员", "target_value": 2, "unit": "名"},
            {"text": "培训", "target_value": 5, "unit": "次"},
        ],
    )
    text_t, number_t, unmet = pledge.targets.order_by("order")
    tasks.update_target(text_t, met=True)
    tasks.update_target(number_t, progress_value=2)
    tasks.update_target(unmet, progress_value=4)
    # A town target cascaded to TA01 and TA02: done by the parts' progress.
    town = tasks.create_pledge(
        root,
        county.town_a,
        year=LAST,
        title="镇目标",
        targets=[{"text": "走访", "target_value": 10}],
    )
    town_t = town.targets.get()
    for part in tasks.cascade(town_t, [county.village_a1, county.village_a2]):
        tasks.update_target(part, progress_value=5)
    scheme(county, LAST, (ON_TIME, 3, None), (TARGETS, 5, 10))
    services.compute_year(root, LAST)

    def org_points(org):
        return OrgPoints.objects.get(organization=org, year=LAST).points

    on_time = (
        ReportBack.objects.filter(organization=county.village_a1, first_reported_at__isnull=False)
        .exclude(first_reported_at__gt=timezone.make_aware(datetime.datetime(LAST, 4, 1)))
        .count()
    )
    assert on_time == 1
    met_ta01 = sum(
        1
        for t in PledgeTarget.objects.filter(pledge__organization=county.village_a1)
        if tasks.is_met(t)
    )
    assert met_ta01 == 2
    # TA01: 1 on time × 3 + 2 targets × 5 = 10 (cap 10 not passed).
    assert org_points(county.village_a1) == 3 + 10
    assert org_points(county.village_a2) == 0  # late, and its cascaded part (5 < 10) alone
    assert org_points(county.town_a) == 5  # the cascaded target: 5 + 5 reach 10
    items = dict(
        OrgItemPoints.objects.filter(organization=county.village_a1, year=LAST).values_list(
            "source", "points"
        )
    )
    assert items == {ON_TIME: 3, TARGETS: 10}
    data = selectors.org_year(county.village_a1, LAST)
    lines = {line.item.source: line for line in data["lines"]}
    assert [s for _r, s in lines[TARGETS].behind] == [5, 5]
    assert "月度工作" in lines[ON_TIME].behind[0][0].text
    assert Decimal(2) == number_t.target_value


def test_a_scheme_change_does_not_alter_a_closed_year(county, year_of_meetings):
    a, _b, _c = year_of_meetings
    root, admin = county.root, county.users["county"]
    scheme(county, LAST, (THEME, 2, None))
    services.close_year(admin, root, LAST, today=datetime.date(YEAR, 1, 15))
    closed = points_of(a)
    assert closed == 8
    # This year's scheme changes; last year's stays as closed.
    scheme(county, YEAR, (THEME, 10, None), (ASSEMBLY, 50, None))
    meeting(county.village_a1, "theme_day", timezone.localdate(), present=[a])
    services.compute_year(root, YEAR)
    assert points_of(a, YEAR) == 10
    assert points_of(a) == closed
    # Neither the closed year's scheme nor its points can be rewritten.
    with pytest.raises(ValidationError) as error:
        scheme(county, LAST, (THEME, 100, None))
    assert "已结算" in error.value.message_dict["year"][0]
    with pytest.raises(ValidationError):
        services.compute_year(root, LAST)
    # New records of the closed year change nothing either.
    meeting(county.village_a1, "theme_day", day(7, year=LAST), present=[a])
    services.daily_compute(lambda *a, **k: None, day=timezone.localdate().isoformat())
    assert points_of(a) == closed
    assert selectors.scheme_used(root, LAST).items.get().points == 2
    # The page of the closed year shows the change of records, not new points.
    line = selectors.member_year(a, LAST)["lines"][0]
    assert (line.points, line.records, len(line.behind), line.changed) == (8, 4, 5, True)


def test_a_scheme_carries_on_into_later_years_until_changed(county):
    first = scheme(county, LAST, (THEME, 2, None))
    assert selectors.scheme_for(county.root, YEAR) == first
    second = scheme(county, YEAR, (THEME, 3, None))
    assert (second.year, second.version) == (YEAR, 1)
    third = scheme(county, YEAR, (THEME, 4, None))
    assert third.version == 2
    assert selectors.scheme_for(county.root, YEAR) == third
    assert selectors.scheme_for(county.root, LAST) == first


def test_the_nightly_job_closes_last_year_after_the_set_days(county, year_of_meetings):
    scheme(county, LAST, (THEME, 2, None))
    services.daily_compute(lambda *a, **k: None, day=f"{YEAR}-01-20")
    assert not selectors.is_closed(county.root, LAST)
    assert points_of(year_of_meetings[0]) == 8
    services.daily_compute(lambda *a, **k: None, day=f"{YEAR}-02-02")
    assert selectors.is_closed(county.root, LAST)


def test_a_year_that_has_not_ended_cannot_be_closed(county):
    scheme(county, YEAR, (THEME, 2, None))
    with pytest.raises(ValidationError) as error:
        services.close_year(county.users["county"], county.root, YEAR)
    assert "还没有结束" in error.value.message_dict["year"][0]


def test_stats_sum_children_and_own(county, year_of_meetings):
    a, b, c = year_of_meetings
    extra = add_member(county.group_a1)  # in a group below TA01
    meeting(county.village_a1, "theme_day", day(8, year=LAST), present=[extra])
    meeting(county.village_b1, "theme_day", day(2, year=LAST), present=county.members["TB01"][:2])
    scheme(county, LAST, (THEME, 2, None), (ON_TIME, 1, None))
    services.compute_year(county.root, LAST)
    from dangjian.core.periods import Period

    def figures(org):
        return stats_for(org, Period(LAST))

    for org in (county.root, county.town_a, county.town_b, county.village_a1):
        own = sum(
            MemberPoints.objects.filter(organization=org, year=LAST).values_list(
                "points", flat=True
            )
        )
        children = [c for c in org.children() if c.dissolved_on is None]
        total = own + sum(figures(ch)["points_members"] for ch in children)
        assert figures(org)["points_members"] == total, org
        own_org = sum(
            OrgPoints.objects.filter(organization=org, year=LAST).values_list("points", flat=True)
        )
        assert figures(org)["points_organizations"] == own_org + sum(
            figures(ch)["points_organizations"] for ch in children
        )
    assert figures(county.root)["points_members"] == 8 + 4 + 4 + 2
    assert figures(county.village_a1)["points_members"] == 8 + 4 + 2
    assert points_of(extra) == 2


def test_rules_shares_sum_to_capped():
    for n in range(8):
        for p in (1, 2, 3):
            for cap in (None, 1, 4, 5, 100):
                if cap is not None and cap < p:
                    continue
                assert sum(rules.shares(n, p, cap)) == rules.capped(n, p, cap)


def test_the_meeting_family_counts_as_each_source_does(county, year_of_meetings):
    from collections import Counter

    from dangjian.core.periods import Period
    from dangjian.points import sources

    period = Period(LAST)
    family = Counter()
    for row in sources.FAMILIES["life.attendance"].count(county.root.path, period):
        family[(row["subject"], row["key"])] += row["n"]
    single = Counter()
    for source in sources.all_sources(sources.MEMBER):
        for row in source.count(county.root.path, period):
            single[(row["subject"], source.family_key)] += row["n"]
    assert family == single
    assert family[(year_of_meetings[0].pk, "party_lecture")] == 1
