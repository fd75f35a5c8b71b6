"""Pure rules of training: hours across year boundaries, the yearly minimums, bounds, the quiz."""

import datetime
from decimal import Decimal

from dangjian.training import rules

D = datetime.date
TODAY = D(2026, 12, 7)


def test_a_one_day_session_counts_wholly_in_its_year():
    assert rules.split_hours(D(2025, 12, 31), None, 8) == {2025: Decimal("8.0")}
    assert rules.split_hours(D(2026, 1, 1), D(2026, 1, 1), 4) == {2026: Decimal("4.0")}


def test_a_session_across_new_year_is_split_by_days_and_adds_up():
    # 30, 31 Dec and 1 Jan: two days in 2025, one in 2026
    parts = rules.split_hours(D(2025, 12, 30), D(2026, 1, 1), 24)
    assert parts == {2025: Decimal("16.0"), 2026: Decimal("8.0")}
    odd = rules.split_hours(D(2025, 12, 31), D(2026, 1, 2), 10)
    assert odd == {2025: Decimal("3.3"), 2026: Decimal("6.7")}
    assert sum(odd.values()) == Decimal("10.0")


def test_minimums_32_for_members_and_56_for_officers():
    assert rules.required_hours(False, 32, 56) == 32
    assert rules.required_hours(True, 32, 56) == 56
    member = rules.YearStatus(hours=Decimal("31.9"), required=32)
    assert not member.met and member.short == Decimal("0.1")
    assert rules.YearStatus(hours=Decimal(32), required=32).met
    officer = rules.YearStatus(hours=Decimal(40), required=56, is_officer=True, is_secretary=True)
    assert not officer.met and len(officer.missing) == 3
    done = rules.YearStatus(
        hours=Decimal(56),
        required=56,
        is_officer=True,
        is_secretary=True,
        concentrated=True,
        county_course=True,
    )
    assert done.met and done.missing == []


def test_counting_convention_full_day_8_half_day_4():
    assert rules.day_hours(2, 1) == Decimal(20)


def test_new_secretary_and_new_member_deadlines():
    assert rules.trained_in_time(D(2026, 1, 31), 6, [D(2026, 7, 31)])
    assert not rules.trained_in_time(D(2026, 1, 31), 6, [D(2026, 8, 1)])
    assert rules.months_after(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert rules.new_member_deadline(D(2025, 3, 1), None, 12) == D(2027, 3, 1)
    assert rules.new_member_deadline(D(2025, 3, 1), D(2026, 3, 5), 12) == D(2027, 3, 5)


def test_session_bounds_name_the_field():
    ok = rules.session_problems(starts_on=TODAY, ends_on=None, hours=Decimal(8), today=TODAY)
    assert ok == {}
    assert "starts_on" in rules.session_problems(
        starts_on=TODAY + datetime.timedelta(days=1), ends_on=None, hours=Decimal(1), today=TODAY
    )
    assert "ends_on" in rules.session_problems(
        starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1), hours=Decimal(1), today=TODAY
    )
    assert "hours" in rules.session_problems(
        starts_on=TODAY, ends_on=None, hours=Decimal("8.5"), today=TODAY
    )
    assert "hours" in rules.session_problems(
        starts_on=TODAY, ends_on=None, hours=Decimal(0), today=TODAY
    )
    two = rules.session_problems(
        starts_on=TODAY - datetime.timedelta(days=1), ends_on=TODAY, hours=Decimal(16), today=TODAY
    )
    assert two == {}
    assert rules.attendance_hours_problem(Decimal(9), Decimal(8))
    assert rules.attendance_hours_problem(Decimal(0), Decimal(8))
    assert rules.attendance_hours_problem(Decimal(8), Decimal(8)) == ""


def test_quiz_draw_grade_and_pass_mark():
    ids = list(range(1, 11))
    drawn = rules.draw(ids, 5, seed=7)
    assert len(drawn) == 5 and len(set(drawn)) == 5 and set(drawn) <= set(ids)
    assert rules.draw(ids, 5, seed=7) == drawn
    assert sorted(rules.draw([1, 2], 5, seed=1)) == [1, 2]
    key = {1: 0, 2: 1, 3: 2, 4: 0, 5: 1}
    assert rules.grade({1: 0, 2: 1, 3: 2, 4: 0, 5: 0}, key) == 4
    assert rules.passed(4, 5, (4, 5)) and not rules.passed(3, 5, (4, 5))
    assert not rules.passed(0, 0, (4, 5))
    assert rules.score(4, 5) == 80


def test_question_bounds():
    assert rules.question_problems("题", ["甲", "乙"], 1) == {}
    bad = rules.question_problems(" ", ["甲"], 3)
    assert set(bad) == {"text", "choices", "answer"}
