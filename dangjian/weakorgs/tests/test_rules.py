"""The pure rules: each criterion at its boundary, and the floors that keep a single slip
from flagging."""

import datetime

from dangjian.weakorgs import rules

D = datetime.date


def test_secretary_vacant_exactly_n_months_is_not_flagged_one_day_more_is():
    assert rules.secretary_vacant(D(2026, 8, 15), D(2026, 11, 15), 3) is None
    found = rules.secretary_vacant(D(2026, 8, 15), D(2026, 11, 16), 3)
    assert found["facts"] == {"vacant_since": "2026-08-15", "months": 3}
    assert "2026-08-15" in found["text"] and "3个月" in found["text"]
    assert (
        "成立以来"
        in rules.secretary_vacant(D(2026, 1, 1), D(2026, 6, 1), 3, never_held=True)["text"]
    )
    assert rules.secretary_vacant(None, D(2026, 6, 1), 3) is None


def test_term_overdue_from_the_day_after_the_term_ends():
    assert rules.term_overdue(D(2026, 1, 1), D(2026, 1, 1)) is None
    assert rules.term_overdue(D(2026, 1, 1), D(2026, 1, 2))["facts"] == {"due_on": "2026-01-01"}
    assert rules.term_overdue(None, D(2026, 1, 2)) is None


def test_meetings_missed_needs_the_threshold_in_two_quarters():
    # 2 in Q1 and 2 in Q2 are 4 in the year, but no quarter reaches 3.
    spread = {1: {"2026-01": 1, "2026-Q1": 1}, 2: {"2026-05": 2}}
    assert rules.meetings_missed(spread, 3) is None
    # One bad quarter is not yet a pattern.
    one = {**spread, 3: {"2026-07": 1, "2026-Q3": 2}}
    assert rules.meetings_missed(one, 3) is None
    found = rules.meetings_missed({**one, 1: {"2026-02": 3}}, 3)
    assert found["facts"]["quarters"] == {"1": {"2026-02": 3}, "3": {"2026-07": 1, "2026-Q3": 2}}
    assert "2个季度" in found["text"] and "第3季度缺开3次" in found["text"]
    # A county may ask for one quarter only.
    assert rules.meetings_missed(one, 3, quarters=1)["facts"]["quarters"] == {
        "3": {"2026-07": 1, "2026-Q3": 2}
    }


def test_a_single_missed_meeting_never_flags_whatever_the_setting():
    assert rules.missed_threshold(1) == rules.MIN_MISSED_IN_QUARTER == 2
    assert rules.meetings_missed({1: {"2026-Q1": 1}}, 1, quarters=0) is None
    assert rules.meetings_missed({1: {"2026-Q1": 1, "2026-02": 1}}, 1, quarters=0) is not None


def test_report_backs_mostly_late_means_more_than_half_of_enough():
    assert rules.reports_late(4, 2, 4, (1, 2)) is None  # half is not "mostly"
    assert rules.reports_late(4, 3, 4, (1, 2))["facts"] == {"due": 4, "late": 3}
    assert rules.reports_late(3, 3, 4, (1, 2)) is None  # too few to be a pattern
    # A county cannot lower the floor to one report-back.
    assert rules.reports_threshold(1) == rules.MIN_REPORT_BACKS
    assert rules.reports_late(1, 1, 1, (1, 2)) is None
    assert rules.reports_late(2, 2, 1, (1, 2)) is None
    assert rules.reports_late(3, 2, 1, (1, 2)) is not None


def test_bottom_grade_is_last_place_or_the_lowest_grade():
    assert rules.bottom_grade("fair", "一般", 2, ("poor",)) is None
    assert "末位" in rules.bottom_grade("fair", "一般", 1, ("poor",))["text"]
    assert "差" in rules.bottom_grade("poor", "差", 5, ("poor",))["text"]


def test_as_of_and_share():
    assert rules.as_of(2025, D(2026, 3, 1)) == D(2025, 12, 31)
    assert rules.as_of(2026, D(2026, 3, 1)) == D(2026, 3, 1)
    assert rules.within_share(4, 100, (5, 10)) == "below"
    assert rules.within_share(5, 100, (5, 10)) == "within"
    assert rules.within_share(10, 100, (5, 10)) == "within"
    assert rules.within_share(11, 100, (5, 10)) == "above"
    assert rules.share_of(0, 0) is None


def test_no_candidate_exactly_the_window_is_not_flagged_one_day_more_is():
    from dangjian.weakorgs.rules import no_candidate

    founded, as_of = datetime.date(2010, 1, 1), datetime.date(2026, 6, 1)
    assert no_candidate(datetime.date(2024, 6, 1), None, founded, as_of, 2) is None
    found = no_candidate(datetime.date(2024, 5, 31), None, founded, as_of, 2)
    assert found["facts"]["last_admitted"] == "2024-05-31" and "2024-05-31" in found["text"]
    # A candidate listed inside the window counts like an admission.
    assert (
        no_candidate(datetime.date(2020, 1, 1), datetime.date(2024, 6, 1), founded, as_of, 2)
        is None
    )
    assert no_candidate(None, None, founded, as_of, 2)["facts"]["last_listed"] is None
    # Younger than the window, or the criterion off: not judged.
    assert no_candidate(None, None, datetime.date(2024, 6, 2), as_of, 2) is None
    assert no_candidate(None, None, founded, as_of, 0) is None
