import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core import config
from dangjian.health import rules
from dangjian.health import services as health
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.testing import add_member

D = datetime.date


def codes(flags, code):
    return {f["organization"].code for f in flags if f["code"] == code}


def test_small_branch_is_flagged_with_the_rule_explained(county):
    assert codes(health.setup_flags(county.root), "branch_too_small") == set()
    members.remove(county.members["TA02"][0], reason="去世")
    flags = health.setup_flags(county.root)
    assert codes(flags, "branch_too_small") == {"TA02"}
    flag = next(f for f in flags if f["code"] == "branch_too_small")
    assert "联合党支部" in flag["suggestion"]


def test_general_branch_thresholds_and_local_variant(county):
    gb = orgs.create_child(county.town_b, code="TBG", name="某党总支", kind="general_branch")
    branch = orgs.create_child(gb, code="TBG1", name="某支部", kind="branch")
    for _ in range(25):
        add_member(branch)
    assert "TBG" in codes(health.setup_flags(county.root), "general_branch_too_small")
    # Seed 002's local variant: general branches under 20 members become branches.
    config.set_rule(county.root, "setup.general_branch_min_members", 20)
    assert "TBG" not in codes(health.setup_flags(county.root), "general_branch_too_small")


def test_branch_committee_required_from_seven_full_members(county):
    for _ in range(4):
        add_member(county.village_a1)
    assert "TA01" in codes(health.setup_flags(county.root), "committee_missing")


def test_pure_setup_rules():
    def cfg(key):
        return config.DEFAULTS[key]

    assert [f["code"] for f in rules.setup_flags("branch", "village", 120, 110, 5, cfg)] == [
        "branch_too_large"
    ]
    assert "党委" in rules.setup_flags("branch", "village", 120, 110, 5, cfg)[0]["suggestion"]
    assert [f["code"] for f in rules.setup_flags("general_branch", "agency", 130, 120, 5, cfg)] == [
        "general_branch_too_large"
    ]
    assert rules.setup_flags("committee", "township", 30, 30, 5, cfg) == []
    assert [f["code"] for f in rules.setup_flags("committee", "enterprise", 30, 30, 5, cfg)] == [
        "committee_too_small"
    ]


def test_election_due_dates():
    def cfg(key):
        return config.DEFAULTS[key]

    assert rules.term_years("branch", "village", None, cfg) == 5
    assert rules.term_years("branch", "agency", None, cfg) == 3
    assert rules.term_years("committee", "township", None, cfg) == 5
    assert rules.term_years("branch", "agency", 4, cfg) == 4
    today = D(2026, 11, 23)
    assert rules.election_status(D(2023, 11, 22), 3, today, 6) == ("overdue", D(2026, 11, 22))
    assert rules.election_status(D(2023, 12, 1), 3, today, 6) == ("due", D(2026, 12, 1))
    assert rules.election_status(D(2024, 5, 23), 3, today, 6) == ("due", D(2027, 5, 23))
    assert rules.election_status(D(2024, 5, 24), 3, today, 6)[0] == "ok"
    assert rules.election_status(D(2024, 2, 29), 3, today, 6)[1] == D(2027, 2, 28)
    assert rules.election_status(None, 3, today, 6) == ("unknown", None)


def test_election_board_counts(county):
    orgs.update(county.village_b1, name="乙一村党支部")
    county.village_a1.term_started_on = D(2021, 1, 1)  # village: 5 years → overdue
    county.village_a1.save()
    county.village_a2.term_started_on = D(2021, 12, 1)  # due 2026-12-01: within 6 months
    county.village_a2.save()
    counts = health.election_counts(county.root, today=D(2026, 11, 23))
    assert (counts["elections_overdue"], counts["elections_due"]) == (1, 1)


def test_record_election_starts_a_new_term(county):
    for _ in range(5):
        add_member(county.village_a2)
    people = list(county.village_a2.members.all())[:5]
    votes = {people[0]: 7, people[1]: 6, people[2]: 6, people[3]: 2, people[4]: 5}
    election = health.record_election(
        county.village_a2,
        held_on=D(2026, 10, 8),
        seats=3,
        voters=8,
        present=8,
        votes=votes,
        secretary=people[0],
        deputy=people[1],
        today=D(2026, 11, 23),
    )
    county.village_a2.refresh_from_db()
    assert county.village_a2.term_started_on == D(2026, 10, 8)
    current = {o.member_id: o.role for o in county.village_a2.officers.current()}
    assert current == {
        people[0].pk: "secretary",
        people[1].pk: "deputy_secretary",
        people[2].pk: "member",
    }
    assert election.candidates == 5


@pytest.mark.parametrize(
    "change, field",
    [
        ({"present": 6}, "present"),  # 6 of 8 is not more than 4/5
        ({"voters": 50}, "voters"),  # more voters than full members
        ({"seats": 5}, "candidates"),  # 5 candidates < 5 × 1.2
    ],
)
def test_election_rules_refuse_bad_results(county, change, field):
    for _ in range(5):
        add_member(county.village_a2)
    people = list(county.village_a2.members.all())[:5]
    args = {
        "held_on": D(2026, 10, 8),
        "seats": 3,
        "voters": 8,
        "present": 8,
        "votes": {p: 6 for p in people},
        "secretary": people[0],
        "today": D(2026, 11, 23),
    } | change
    with pytest.raises(ValidationError) as e:
        health.record_election(county.village_a2, **args)
    assert field in e.value.message_dict
    assert not county.village_a2.elections.exists()


def test_coverage_rates_per_sector(county):
    joint = orgs.create_child(county.town_a, code="TAJ", name="联合党支部", kind="joint_branch")
    health.save_unit(
        county.town_a,
        name="甲镇小学",
        sector="school",
        coverage="own",
        covering_organization=county.village_a2,
    )
    health.save_unit(
        county.town_a,
        name="甲镇中学",
        sector="school",
        coverage="joint",
        covering_organization=joint,
    )
    health.save_unit(county.town_b, name="乙镇小学", sector="school", coverage="none")
    health.save_unit(
        county.town_b,
        name="某公司",
        sector="private_enterprise",
        coverage="instructor",
        instructor="李指导员",
    )
    cov = health.coverage(county.root)
    assert cov["school"]["units"] == 3 and cov["school"]["covered"] == 2
    assert cov["school"]["rate"] == 2 / 3
    assert cov["private_enterprise"]["rate"] == 0 and cov["private_enterprise"]["work_rate"] == 1
    assert health.coverage(county.town_a)["school"]["rate"] == 1
    assert health.instructors(county.root) == 1


def test_coverage_needs_the_covering_organization(county):
    with pytest.raises(ValidationError) as e:
        health.save_unit(county.town_a, name="甲镇卫生院", sector="hospital", coverage="own")
    assert "covering_organization" in e.value.message_dict
    with pytest.raises(ValidationError):
        health.save_unit(county.town_a, name="甲镇卫生院", sector="hospital", coverage="instructor")


def test_seats_per_kind():
    def cfg(key):
        return config.DEFAULTS[key]

    assert rules.seat_errors("branch", 8, 3, cfg) == []
    assert rules.seat_errors("branch", 8, 8, cfg)[0][0] == "seats"
    assert rules.seat_errors("branch", 6, 3, cfg)[0][0] == "seats"  # no committee under 7
    assert rules.seat_errors("branch", 6, 2, cfg) == []
    assert rules.seat_errors("general_branch", 60, 4, cfg)[0][0] == "seats"
    assert rules.seat_errors("general_branch", 60, 9, cfg) == []
    assert rules.seat_errors("committee", 200, 9, cfg) == []
    assert rules.seat_errors("committee", 200, 10, cfg)[0][0] == "seats"


def test_branch_under_seven_full_members_elects_no_committee(county):
    for _ in range(2):
        add_member(county.village_a2)  # 5 full members
    people = list(county.village_a2.members.all())[:4]
    with pytest.raises(ValidationError) as e:
        health.record_election(
            county.village_a2,
            held_on=D(2026, 10, 8),
            seats=3,
            voters=5,
            present=5,
            votes={p: 5 for p in people},
            secretary=people[0],
            today=D(2026, 11, 23),
        )
    assert "seats" in e.value.message_dict


def test_working_committees_and_the_root_are_not_on_the_board(county):
    wc = orgs.create_child(county.root, code="TW", name="某工委", kind="working_committee")
    county.root.term_started_on = D(2020, 1, 1)
    county.root.save()
    codes_on_board = {r["organization"].code for r in health.election_board(county.root)}
    assert wc.code not in codes_on_board
    assert county.root.code not in codes_on_board
    assert "TA01" in codes_on_board


def test_term_change_moves_the_due_date(county):
    users = county.users
    county.village_a2.term_started_on = D(2021, 12, 1)  # due 2026-12-01
    county.village_a2.save()
    today = D(2026, 11, 23)
    with pytest.raises(PermissionDenied):
        health.change_term(
            county.village_a2,
            months=6,
            approved_on=today,
            reason="x",
            actor=users["branch_b1"],
            today=today,
        )
    with pytest.raises(ValidationError):
        health.change_term(county.village_a2, months=13, approved_on=today, reason="x", today=today)
    change = health.change_term(
        county.village_a2,
        months=8,
        approved_on=today,
        reason="村两委换届统一安排",
        actor=users["town_a"],
        today=today,
    )
    assert change.approved_by == county.town_a
    row = next(
        r for r in health.election_board(county.root, today) if r["organization"].code == "TA02"
    )
    assert (row["status"], row["due_on"]) == ("ok", D(2027, 8, 1))
    with pytest.raises(ValidationError):  # ±12 months in all
        health.change_term(county.village_a2, months=5, approved_on=today, reason="x", today=today)


def test_term_reminders_six_and_one_month_before(county):
    from dangjian.core import reminders
    from dangjian.core.models import Reminder

    county.village_a2.term_started_on = D(2021, 12, 1)  # due 2026-12-01
    county.village_a2.save()
    assert reminders.make(D(2026, 6, 1)) >= 1
    keys = set(
        Reminder.objects.filter(organization=county.village_a2).values_list("key", flat=True)
    )
    assert keys == {f"health:{county.village_a2.pk}:term:2026-12-01:6"}
    reminders.make(D(2026, 11, 2))
    keys = set(
        Reminder.objects.filter(organization=county.village_a2).values_list("key", flat=True)
    )
    assert f"health:{county.village_a2.pk}:term:2026-12-01:1" in keys


def test_approved_exception_is_no_longer_a_problem(county):
    users = county.users
    for _ in range(50):
        add_member(county.village_a1)
    flag = next(f for f in health.setup_flags(county.root) if f["code"] == "branch_too_large")
    assert flag["organization"] == county.village_a1 and flag["approved"] is None
    with pytest.raises(PermissionDenied):
        health.approve_setup_exception(
            county.village_a1,
            "branch_too_large",
            approved_on=D(2026, 1, 5),
            reason="x",
            actor=users["branch_a1"],
        )
    health.approve_setup_exception(
        county.village_a1,
        "branch_too_large",
        approved_on=D(2026, 1, 5),
        reason="党员集中居住，暂不分设",
        actor=users["town_a"],
    )
    flag = next(f for f in health.setup_flags(county.root) if f["code"] == "branch_too_large")
    assert flag["approved"].reason == "党员集中居住，暂不分设"


def test_unit_without_own_branch_and_crowded_joint_branch_are_flagged(county):
    joint = orgs.create_child(county.town_a, code="TAJ", name="联合党支部", kind="joint_branch")
    for i in range(6):
        health.save_unit(
            county.town_a,
            name=f"单位{i}",
            sector="rural",
            full_members=3 if i == 0 else 1,
            coverage="joint",
            covering_organization=joint,
        )
    flags = health.setup_flags(county.root)
    assert codes(flags, "joint_branch_too_many_units") == {"TAJ"}
    assert [f["unit"].name for f in flags if f["code"] == "unit_needs_own_branch"] == ["单位0"]
