"""Four deliberations and two disclosures (四议两公开), office hours (坐班制) and the public
board: the rules at their boundaries, the state machine, and what the public may see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dangjian.core import config
from dangjian.governance import rules, selectors, services
from dangjian.governance.models import Matter, MatterStatus, MatterStep

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
TODAY = D(2026, 12, 7)  # a Monday


# ---- rules ------------------------------------------------------------------------------


def test_members_assembly_quorum_and_majority_at_their_boundaries():
    vote = rules.Vote(due=30, present=20, yes=16)
    assert rules.quorum(rules.MEMBERS_ASSEMBLY, vote, "")[0]  # 20 = 2/3 of 30
    assert not rules.quorum(rules.MEMBERS_ASSEMBLY, rules.Vote(30, 19, 16), "")[0]
    assert rules.passes(rules.MEMBERS_ASSEMBLY, vote)[0]  # 16 > 30/2
    assert not rules.passes(rules.MEMBERS_ASSEMBLY, rules.Vote(30, 20, 15))[0]  # of those due


def test_villagers_assembly_quorum_by_people_or_households():
    step = rules.VILLAGERS_ASSEMBLY
    assert not rules.quorum(step, rules.Vote(due=100, present=50, yes=40), rules.VILLAGERS)[0]
    assert rules.quorum(step, rules.Vote(due=100, present=51, yes=40), rules.VILLAGERS)[0]
    by_homes = rules.Vote(due=100, present=40, yes=30, households_due=60, households_present=40)
    assert rules.quorum(step, by_homes, rules.VILLAGERS)[0]  # 40 = 2/3 of 60 households
    assert rules.quorum(step, rules.Vote(45, 30, 16), rules.REPRESENTATIVES)[0]
    assert not rules.quorum(step, rules.Vote(45, 29, 16), rules.REPRESENTATIVES)[0]
    assert rules.passes(step, rules.Vote(45, 30, 16))[0]  # more than half of those present
    assert not rules.passes(step, rules.Vote(45, 30, 15))[0]


def test_no_step_is_skipped_repeated_or_taken_after_a_failed_vote():
    assert rules.check_order(1, [], False) is None
    assert "须先完成“村党组织提议”" in rules.check_order(2, [], False)
    assert "须先完成“党员大会审议”" in rules.check_order(4, [1, 2], False)
    assert "已经登记过" in rules.check_order(2, [1, 2], False)
    assert "未获通过" in rules.check_order(4, [1, 2, 3], True)
    assert rules.next_step([1, 2, 3, 4, 5, 6], False) is None


def test_counts_that_cannot_be():
    errors = dict(rules.check_counts(rules.Vote(due=10, present=11, yes=6, no=6)))
    assert set(errors) == {"present", "yes"}
    assert dict(rules.check_counts(rules.Vote(due=0, present=0, yes=0))) == {
        "due": "请填写应到人数"
    }


def test_staffed_hours_count_overlaps_once_and_short_weekdays_are_flagged():
    morning, afternoon = (T(8, 30), T(12, 0)), (T(14, 30), T(17, 30))
    assert rules.hours_staffed([morning, afternoon]) == 6.5
    assert rules.hours_staffed([(T(8), T(12)), (T(10), T(14))]) == 6
    weekly = {d: [morning, afternoon] for d in range(5)}
    weekly[2] = [(T(8, 30), T(12)), (T(14, 30), T(17))]  # 6 h exactly: enough
    weekly[3] = [(T(8, 30), T(12)), (T(14, 30), T(16, 59))]  # a minute short
    del weekly[4]
    assert [d for d, _h in rules.short_weekdays(weekly, 6)] == [3, 4]


# ---- the state machine ------------------------------------------------------------------


def matter(county, user="branch_a1"):
    return services.create_matter(
        county.users[user],
        county.village_a1,
        title="村东坑塘承包",
        category="contract",
        content="村东坑塘12亩对外承包五年，公开竞价。",
        amount="36,000",
    )


STEPS = [
    {"step": 1, "held_on": D(2026, 11, 2), "text": "村党支部提议对外承包"},
    {
        "step": 2,
        "held_on": D(2026, 11, 3),
        "text": "两委商议同意",
        "due": 7,
        "present": 6,
        "yes": 6,
    },
    {
        "step": 3,
        "held_on": D(2026, 11, 5),
        "text": "党员大会审议",
        "due": 30,
        "present": 24,
        "yes": 22,
        "no": 1,
    },
    {
        "step": 4,
        "held_on": D(2026, 11, 8),
        "text": "村民代表会议决议",
        "body": "representatives",
        "due": 45,
        "present": 38,
        "yes": 35,
        "no": 2,
        "abstain": 1,
    },
    {
        "step": 5,
        "held_on": D(2026, 11, 9),
        "text": "承包给李某，年租金7200元",
        "place": "村务公开栏",
    },
    {"step": 6, "held_on": D(2026, 12, 1), "text": "合同已签订，首年租金已入账"},
]


def walk(county, m, steps, user="branch_a1"):
    for data in steps:
        services.record_step(county.users[user], m, today=TODAY, **data)


def test_a_matter_goes_through_all_six_steps(county):
    m = matter(county)
    assert m.amount == 36000
    walk(county, m, STEPS)
    m.refresh_from_db()
    assert (m.step, m.status, m.proposed_on) == (6, MatterStatus.DONE, D(2026, 11, 2))
    assert list(MatterStep.objects.filter(matter=m).values_list("passed", flat=True)) == [
        None,
        True,
        True,
        True,
        None,
        None,
    ]


def test_a_skipped_step_and_a_vote_without_quorum_are_refused_and_nothing_is_written(county):
    m = matter(county)
    walk(county, m, STEPS[:1])
    with pytest.raises(ValidationError) as caught:
        services.record_step(county.users["branch_a1"], m, today=TODAY, **STEPS[2])
    assert "须先完成“村“两委”联席会议商议”" in caught.value.message_dict["step"][0]
    walk(county, m, STEPS[1:2])
    no_quorum = {**STEPS[2], "present": 19, "yes": 16}
    with pytest.raises(ValidationError) as caught:
        services.record_step(county.users["branch_a1"], m, today=TODAY, **no_quorum)
    assert "到会人数不足" in caught.value.message_dict["present"][0]
    assert MatterStep.objects.filter(matter=m).count() == 2


def test_a_failed_vote_ends_the_matter(county):
    m = matter(county)
    walk(county, m, STEPS[:2])
    walk(county, m, [{**STEPS[2], "yes": 15, "no": 9}])
    m.refresh_from_db()
    assert m.status == MatterStatus.REJECTED
    with pytest.raises(ValidationError) as caught:
        services.record_step(county.users["branch_a1"], m, today=TODAY, **STEPS[3])
    assert "未获通过" in caught.value.message_dict["step"][0]


def test_dates_in_order_every_error_at_once(county):
    m = matter(county)
    walk(county, m, STEPS[:1])
    bad = {"step": 2, "held_on": D(2026, 11, 1), "text": "", "due": 7, "present": 8, "yes": 3}
    with pytest.raises(ValidationError) as caught:
        services.record_step(county.users["branch_a1"], m, today=TODAY, **bad)
    errors = caught.value.message_dict
    assert set(errors) == {"held_on", "text", "present"}
    assert "不能早于上一步" in errors["held_on"][0]
    future = {**STEPS[1], "held_on": TODAY + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError):
        services.record_step(county.users["branch_a1"], m, today=TODAY, **future)


def test_a_county_sets_its_own_quorum(county):
    config.set_rule(county.root, "governance.members_quorum", [4, 5])
    m = matter(county)
    walk(county, m, STEPS[:2])
    with pytest.raises(ValidationError):  # 24 of 30 is 4/5: enough; 23 is not
        services.record_step(
            county.users["branch_a1"], m, today=TODAY, **{**STEPS[2], "present": 23, "yes": 20}
        )
    walk(county, m, STEPS[2:3])


def test_who_may_run_a_matter(county):
    with pytest.raises(PermissionDenied):
        matter(county, "branch_b1")
    with pytest.raises(PermissionDenied):
        matter(county, "member_a1")
    with pytest.raises(ValidationError) as caught:
        services.create_matter(
            county.users["town_a"], county.town_a, title="x", category="contract", content="y"
        )
    assert "村（社区）党组织" in caught.value.message_dict["organization"][0]
    assert matter(county, "town_a").organization == county.village_a1


# ---- office hours and the public board --------------------------------------------------


def roster(county):
    user, org = county.users["branch_a1"], county.village_a1
    secretary = county.members["TA01"][0]
    for weekday in range(5):
        services.add_office_hours(
            user,
            org,
            weekday=weekday,
            person_name="王书记",
            post="党支部书记",
            work_phone="0370-7512345",
            starts_at="08:30",
            ends_at="12:00",
            member=secretary,
        )
        services.add_office_hours(
            user,
            org,
            weekday=weekday,
            person_name="李主任",
            post="村委会主任",
            work_phone="0370-7512346",
            starts_at="14:30",
            ends_at="17:30",
        )
    services.add_office_hours(
        user,
        org,
        on_date=D(2026, 12, 12),
        person_name="赵委员",
        post="村委委员",
        work_phone="0370-7512347",
        starts_at="09:00",
        ends_at="16:00",
    )


def test_roster_flags_and_today(county):
    roster(county)
    services.add_office_hours(
        county.users["branch_a1"],
        county.village_a1,
        weekday=5,
        person_name="x",
        post="y",
        work_phone="123456",
        starts_at="09:00",
        ends_at="10:00",
    )
    r = selectors.roster(county.village_a1, TODAY)
    assert r["short"] == []
    assert [e.person_name for e in r["today"]] == ["王书记", "李主任"]
    assert D(2026, 12, 12) not in r["uncovered"] and D(2026, 12, 13) in r["uncovered"]
    saturday = selectors.on_duty(county.village_a1, D(2026, 12, 12))
    assert [e.person_name for e in saturday] == [
        "赵委员"
    ]  # the weekly Saturday entry is not a turn
    config.set_rule(county.root, "governance.office_min_hours", 7)
    assert len(selectors.roster(county.village_a1, TODAY)["short"]) == 5


def test_office_hours_bad_input(county):
    with pytest.raises(ValidationError) as caught:
        services.add_office_hours(
            county.users["branch_a1"],
            county.village_a1,
            person_name="",
            post="",
            work_phone="abc",
            starts_at="17:00",
            ends_at="08:00",
        )
    assert set(caught.value.message_dict) == {
        "weekday",
        "person_name",
        "post",
        "work_phone",
        "ends_at",
    }


def test_public_board_shows_disclosures_and_staff_and_nothing_private(county, settings):
    roster(county)
    m = matter(county)
    walk(county, m, STEPS)
    hidden = services.create_matter(
        county.users["branch_a1"],
        county.village_a1,
        title="尚未公开的事项",
        category="other",
        content="z",
    )
    walk(county, hidden, STEPS[:3])
    secretary = county.members["TA01"][0]
    page = Client().get("/v/TA01/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "甲一村党支部",
        "村东坑塘承包",
        "承包给李某，年租金7200元",
        "合同已签订",
        "王书记",
        "0370-7512345",
        "党支部书记",
    ):
        assert text in html
    assert "尚未公开的事项" not in html
    assert secretary.id_number not in html
    if secretary.phone:
        assert secretary.phone not in html
    assert "乙一村" not in html
    assert "public" in page["Cache-Control"]
    again = Client().get("/v/TA01/", headers={"If-None-Match": page["ETag"]})
    assert again.status_code == 304
    services.add_office_hours(
        county.users["branch_a1"],
        county.village_a1,
        weekday=0,
        person_name="新人",
        post="文书",
        work_phone="0370-7512348",
        starts_at="08:00",
        ends_at="09:00",
    )
    changed = Client().get("/v/TA01/", headers={"If-None-Match": page["ETag"]})
    assert changed.status_code == 200 and "新人" in changed.content.decode()
    assert Client().get("/v/TA/").status_code == 403  # a township has no public board
    assert Client().get("/v/NOPE/").status_code == 404


def test_pages_are_scoped(county):
    m = matter(county)
    client = Client()
    client.force_login(county.users["branch_b1"])
    assert client.get(f"/governance/matters/{m.pk}/").status_code == 404
    assert client.get("/governance/org/TA01/office-hours/").status_code == 404
    client.force_login(county.users["member_a1"])
    page = client.get(f"/governance/matters/{m.pk}/").content.decode()
    assert "村东坑塘承包" in page and "<form" not in page.split("</header>")[1].split("</main>")[
        0
    ].replace('class="lang"', "")


def test_figures_roll_up(county):
    m = matter(county)
    walk(county, m, STEPS[:5])
    other = services.create_matter(
        county.users["branch_b1"],
        county.village_b1,
        title="道路硬化",
        category="public_works",
        content="z",
    )
    walk(county, other, STEPS[:1], user="branch_b1")
    from dangjian.core.periods import Period

    year = Period(2026)
    root = selectors.governance_figures(county.root, year)
    parts = [selectors.governance_figures(o, year) for o in (county.town_a, county.town_b)]
    assert (
        root["four_deliberations_matters"]
        == 2
        == sum(p["four_deliberations_matters"] for p in parts)
    )
    assert root["four_deliberations_disclosed"] == 1
    assert root["four_deliberations_matters_by_status"]["open"] == 2
    assert Matter.objects.count() == 2
