"""Training services: hours totals across a year boundary, the minimum (32, 56 for
officers), the stats keys (each count = children + own), the quiz credited once, bad input
named by field, scoping of writes, and the roll-ups equal to a rebuild from the rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.periods import Period
from dangjian.orgs import services as org_services
from dangjian.rollups import services as rollups
from dangjian.testing import build_county
from dangjian.training import selectors, services
from dangjian.training.models import MemberYear

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 7)


@pytest.fixture
def county():
    return build_county()


def session(org, attendees, **kw):
    data = {
        "topic": "学习党章",
        "trainer": "县委党校",
        "kind": "mobile_school",
        "level": "township",
        "starts_on": D(2026, 3, 1),
        "hours": "8",
        "venue": "村活动室",
        "attendees": attendees,
        "today": TODAY,
    }
    data.update(kw)
    return services.record_session(None, org, **data)


def test_hours_of_a_session_across_new_year_split_by_days(county):
    a1 = county.members["TA01"]
    session(
        county.town_a,
        a1,
        starts_on=D(2025, 12, 30),
        ends_on=D(2026, 1, 1),
        hours="24",
        level="county",
    )
    session(county.village_a1, a1[:1], starts_on=D(2026, 12, 1), hours="4", level="branch")
    first = a1[0]
    assert MemberYear.objects.get(member=first, year=2025).hours == Decimal("16.0")
    assert MemberYear.objects.get(member=first, year=2026).hours == Decimal("12.0")
    assert MemberYear.objects.get(member=a1[1], year=2026).hours == Decimal("8.0")
    # sessions and person-times count in the year the session starts
    f25 = selectors.training_figures(county.root, Period(2025))
    f26 = selectors.training_figures(county.root, Period(2026))
    assert (f25["training_sessions"], f25["training_person_times"]) == (1, 3)
    assert (f26["training_sessions"], f26["training_person_times"]) == (1, 1)


def test_minimum_and_stats_keys_are_children_plus_own(county):
    a1, a2, b1 = (county.members[c] for c in ("TA01", "TA02", "TB01"))
    session(county.town_a, a1 + a2, hours="32", starts_on=D(2026, 3, 2), ends_on=D(2026, 3, 5))
    session(county.village_b1, b1[:2], hours="8")
    # an officer needs 56: TA01's secretary is below with 32
    org_services.appoint_officer(county.village_a1, a1[0], "secretary", term_start=D(2026, 1, 1))
    services.recompute([a1[0].pk], [2026])
    row = MemberYear.objects.get(member=a1[0], year=2026)
    assert (row.required, row.met, row.is_secretary) == (56, False, True)
    year = Period(2026)
    root = selectors.training_figures(county.root, year)
    assert root["members_below_training_minimum"] == 1 + 3  # the secretary + all of TB01
    for key in root:
        children = sum(
            selectors.training_figures(c, year)[key] for c in (county.town_a, county.town_b)
        )
        assert root[key] == children  # the county holds no own records here
    town_b = selectors.training_figures(county.town_b, year)
    assert town_b == {
        "training_sessions": 1,
        "training_person_times": 2,
        "members_below_training_minimum": 3,
    }
    q1 = selectors.training_figures(county.root, Period(2026, quarter=1))
    assert (q1["training_sessions"], q1["training_person_times"]) == (2, 8)
    # the incremental roll-ups equal a rebuild from the rows
    before = selectors.training_figures(county.root, year)
    rollups.rebuild()
    assert selectors.training_figures(county.root, year) == before


def test_untick_absentees_and_delete_keep_figures_right(county):
    a1 = county.members["TA01"]
    s = session(county.village_a1, a1)
    services.set_attendance(None, s, present=a1[:1], hours={a1[0].pk: "2"})
    assert MemberYear.objects.get(member=a1[0], year=2026).hours == Decimal("2.0")
    assert not MemberYear.objects.filter(member=a1[1]).exists()
    assert selectors.training_figures(county.root, Period(2026))["training_person_times"] == 1
    services.delete_session(None, s)
    f = selectors.training_figures(county.root, Period(2026))
    assert (f["training_sessions"], f["training_person_times"]) == (0, 0)
    assert not MemberYear.objects.exists()


def test_bad_input_gets_clear_messages_naming_the_field(county):
    with pytest.raises(ValidationError) as error:
        services.record_session(
            None,
            county.village_a1,
            topic="",
            trainer="讲师",
            kind="daily_checkin",
            level="branch",
            starts_on="2026/3/1",
            hours="abc",
            venue="室",
            today=TODAY,
        )
    messages = error.value.message_dict
    assert set(messages) >= {"topic", "kind", "starts_on", "hours"}
    assert "2026-03-01" in messages["starts_on"][0]
    with pytest.raises(ValidationError) as error:
        session(county.village_a1, [], hours="9")  # one day holds 8 class hours at most
    assert "不能超过8" in error.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as error:
        session(county.village_a1, [], starts_on=D(2026, 12, 8))
    assert "晚于今天" in error.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as error:
        session(county.village_a1, county.members["TB01"][:1])  # not a member of TA01
    assert "在册党员" in error.value.message_dict["present"][0]


def test_writes_outside_the_subtree_are_refused(county):
    with pytest.raises(PermissionDenied):
        services.record_session(
            county.users["town_a"],
            county.village_b1,
            topic="x",
            trainer="x",
            kind="class",
            level="branch",
            starts_on=D(2026, 3, 1),
            hours="2",
            venue="室",
            today=TODAY,
        )


def test_a_course_is_credited_once_when_its_quiz_is_passed(county):
    course = services.create_course(
        None, county.root, title="新党章学习", hours="4", body="第一章 党员……"
    )
    with pytest.raises(ValidationError) as error:
        services.publish_course(None, course)
    assert "questions" in error.value.message_dict
    for i in range(5):
        services.add_question(None, course, text=f"第{i}题", choices=["对", "错"], answer=i % 2)
    services.publish_course(None, course)
    member = county.members["TA01"][0]
    drawn = services.quiz_for(course, member)
    assert len(drawn) == 5
    wrong = {q.pk: 1 - q.answer for q in drawn}
    failed = services.submit_quiz(None, member, course, wrong, today=TODAY)
    assert not failed["passed"] and not MemberYear.objects.filter(member=member).exists()
    four = {q.pk: q.answer for q in drawn}
    four[drawn[0].pk] = 1 - drawn[0].answer  # 4 of 5 right passes (pass share 4/5)
    result = services.submit_quiz(None, member, course, four, today=TODAY)
    assert result["passed"] and result["score"] == 80
    assert MemberYear.objects.get(member=member, year=2026).hours == Decimal("4.0")
    with pytest.raises(ValidationError) as error:
        services.submit_quiz(None, member, course, four, today=TODAY)
    assert "已通过" in error.value.message_dict["course"][0]
    with pytest.raises(ValidationError):
        services.add_question(None, course, text="题", choices=["只有一个"], answer=3)


def test_coverage_source_and_points_sources(county):
    from dangjian.assessment import sources
    from dangjian.orgs.models import Organization
    from dangjian.points import sources as points

    a1 = county.members["TA01"]
    session(county.village_a1, a1[:2])
    paths = dict(
        Organization.objects.filter(path__startswith=county.root.path).values_list("id", "path")
    )
    got = sources.REGISTRY["training.coverage"].fn(county.root, Period(2026), TODAY, paths)
    value, inputs = got[county.village_a1.pk]
    assert inputs == {"trained": 2, "members": 3}
    root_value, root_inputs = got[county.root.pk]
    assert root_inputs == {"trained": 2, "members": 9}  # summed counts, not averaged rates
    assert got[county.village_b1.pk][1] == {"trained": 0, "members": 3}
    rows = {
        r["subject"]: r["n"]
        for r in points.get("training.attendance").count(county.root.path, Period(2026))
    }
    assert rows == {a1[0].pk: 1, a1[1].pk: 1}
    assert (
        points.get("training.attendance")
        .records(a1[0], Period(2026))[0]
        .text.endswith("（8.0学时）")
    )


def test_desk_member_line_and_branch_count_in_q4(county):
    from dangjian.training import desk

    a1 = county.members["TA01"]
    session(county.village_a1, a1[:1])
    (item,) = desk.member_items(county.users["member_a1"], TODAY)
    assert item.lines[0].text == "本年度已学 8.0 学时（应学 32 学时）"
    (branch,) = desk.branch_items(county.users["branch_a1"], TODAY)
    assert "3 名党员" in branch.lines[0].text
    assert desk.branch_items(county.users["branch_a1"], D(2026, 6, 1)) == []
