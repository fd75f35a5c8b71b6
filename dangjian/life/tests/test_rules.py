import datetime

from dangjian.core.periods import Period
from dangjian.life import rules

D = datetime.date


def test_who_must_hold_what():
    assert rules.applies("group_meeting", "group", 0, 7)
    assert not rules.applies("group_meeting", "branch", 30, 7)
    assert rules.applies("committee_meeting", "branch", 7, 7)
    assert not rules.applies("committee_meeting", "branch", 6, 7)
    assert rules.applies("theme_day", "joint_branch", 3, 7)
    assert not rules.applies("theme_day", "committee", 300, 7)
    assert not rules.applies("leadership_life_meeting", "branch", 30, 7)


def test_slots_across_granularities():
    assert [str(p) for p in rules.slots(Period.parse("2026-Q2"), "month")] == [
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert len(rules.slots(Period.parse("2026"), "month")) == 12
    assert len(rules.slots(Period.parse("2026"), "quarter")) == 4
    assert rules.slots(Period.parse("2026-03"), "quarter") == []
    assert rules.slots(Period.parse("2026-Q1"), "year") == []


def test_slot_status_over_month_boundaries():
    march = Period.parse("2026-03")
    today = D(2026, 5, 1)
    assert rules.slot_status([(D(2026, 3, 31), D(2026, 3, 31))], march, 1, today, 7) == "done"
    # Held on the last day, recorded within the grace days: still on time.
    assert rules.slot_status([(D(2026, 3, 31), D(2026, 4, 7))], march, 1, today, 7) == "done"
    assert rules.slot_status([(D(2026, 3, 31), D(2026, 4, 8))], march, 1, today, 7) == "late"
    # A meeting on April 1st does not count for March.
    assert rules.slot_status([(D(2026, 4, 1), D(2026, 4, 1))], march, 1, today, 7) == "missing"
    assert rules.slot_status([], march, 1, D(2026, 3, 20), 7) == "pending"
    assert rules.slot_status([(D(2026, 3, 2), D(2026, 3, 2))], march, 2, today, 7) == "missing"


def test_quarter_boundary_and_leap_year():
    q1 = Period.parse("2024-Q1")
    assert rules.slot_status([(D(2024, 2, 29), D(2024, 2, 29))], q1, 1, D(2024, 6, 1), 0) == "done"
    assert rules.slot_status([(D(2024, 4, 1), D(2024, 4, 1))], q1, 1, D(2024, 6, 1), 0) == "missing"


def test_tally_rate_from_summed_counts():
    a, b = rules.Tally(done=3, missing=1), rules.Tally(late=1, missing=3, pending=2)
    total = rules.Tally()
    total += a
    total += b
    assert total.as_dict() == {"done": 3, "late": 1, "missing": 4, "pending": 2, "rate": 0.5}
    assert rules.Tally(pending=3).rate is None


def test_excellent_cap_is_a_third():
    assert rules.excellent_cap(30, (1, 3)) == 10
    assert rules.excellent_cap(10, (1, 3)) == 3
    assert rules.excellent_cap(2, (1, 3)) == 0


def test_leadership_life_meeting_is_for_committees_only():
    assert rules.applies("leadership_life_meeting", "committee", 0, 7)
    assert rules.applies("leadership_life_meeting", "working_committee", 0, 7)
    assert not rules.applies("leadership_life_meeting", "general_branch", 60, 7)
    assert not rules.applies("leadership_life_meeting", "group", 5, 7)


def test_yearly_meetings_held_early_in_the_year_review_the_year_before():
    assert rules.default_review_year("life_meeting", D(2026, 1, 20)) == 2025
    assert rules.default_review_year("leadership_life_meeting", D(2026, 2, 28)) == 2025
    assert rules.default_review_year("life_meeting", D(2026, 3, 1)) == 2026
    assert rules.default_review_year("theme_day", D(2026, 1, 20)) is None
    # Counted on the last day of the year reviewed, recorded as promptly as it was.
    assert rules.counted_on(D(2026, 1, 20), D(2026, 1, 22), 2025) == (
        D(2025, 12, 31),
        D(2026, 1, 2),
    )
    assert rules.counted_on(D(2026, 1, 20), D(2026, 1, 22), 2026) == (
        D(2026, 1, 20),
        D(2026, 1, 22),
    )
