"""Each time rule of the development procedure at its boundary: one day early refused (the
rule named, with its date), on the day accepted."""

import datetime

import pytest

from dangjian.development import rules
from dangjian.development.rules import Done, Step

S = dict(rules.DEFAULT_SETTINGS)
D = datetime.date
BIRTH = D(2000, 5, 10)


def path_to(n):
    """Steps 1..n done on sensible dates (activist on start+1 month, assembly etc.)."""
    start = D(2024, 1, 8)
    days = {1: start, 2: start + datetime.timedelta(days=10), 3: D(2024, 3, 1)}
    for k in range(4, 7):
        days[k] = D(2024, 3, 1) + datetime.timedelta(days=k)
    days[7] = D(2025, 3, 3)
    for k in range(8, 15):
        days[k] = D(2025, 3, 3) + datetime.timedelta(days=3 * k)
    days[15] = D(2025, 5, 6)
    days[16] = D(2025, 5, 10)
    days[17] = D(2025, 6, 1)
    for k in range(18, 22):
        days[k] = D(2025, 6, 1) + datetime.timedelta(days=k)
    days[22] = D(2026, 5, 6)
    days[23] = D(2026, 5, 20)
    out = []
    for k in range(1, n + 1):
        outcome = "approved" if k in (17, 24) else ""
        out.append(Done(k, days[k], outcome))
    return out


def errs(step, done, **kw):
    return rules.check(step, done, S, birth_date=BIRTH, **kw)


def test_age_at_application():
    assert "18周岁（2018-05-10 起）" in errs(Step(1, D(2018, 5, 9)), [])["done_on"][0]
    assert errs(Step(1, D(2018, 5, 10)), []) == {}


def test_talk_within_a_month():
    done = path_to(1)  # applied 2024-01-08
    assert "最迟 2024-02-08" in errs(Step(2, D(2024, 2, 9)), done)["done_on"][0]
    assert errs(Step(2, D(2024, 2, 8)), done) == {}


def test_activist_a_full_year_before_candidate():
    done = path_to(6)  # activist 2024-03-01
    msg = errs(Step(7, D(2025, 2, 28), notice_from=D(2025, 2, 10)), done)["done_on"]
    assert any("须担任入党积极分子满一年（2025-03-01 起）才能列为发展对象" in m for m in msg)
    assert errs(Step(7, D(2025, 3, 1), notice_from=D(2025, 2, 10)), done) == {}


def test_notice_five_working_days_and_local_seven():
    done = path_to(6)
    # Monday 2025-03-03 + 5 working days: decision from Saturday 2025-03-08.
    early = errs(Step(7, D(2025, 3, 7), notice_from=D(2025, 3, 3)), done)
    assert "须公示5个工作日（2025-03-08 起）" in early["done_on"][0]
    assert errs(Step(7, D(2025, 3, 8), notice_from=D(2025, 3, 3)), done) == {}
    seven = dict(S, notice_working_days=7, holidays=["2025-03-04"])
    # 7 working days, Tuesday a holiday: Mon, Wed–Fri, Mon–Wed → from Thursday 2025-03-13.
    late = rules.check(Step(7, D(2025, 3, 12), notice_from=D(2025, 3, 3)), done, seven)
    assert "2025-03-13" in late["done_on"][0]
    assert rules.check(Step(7, D(2025, 3, 13), notice_from=D(2025, 3, 3)), done, seven) == {}
    assert "notice_from" in errs(Step(7, D(2025, 3, 13)), done)


def test_mentors_and_sponsors_are_full_members():
    done4 = path_to(4)
    full, prob = ("甲", "full", False), ("乙", "probationary", False)
    assert "people" in errs(Step(5, D(2024, 4, 1), people=[]), done4)
    assert "people" in errs(Step(5, D(2024, 4, 1), people=[full, full, full]), done4)
    assert errs(Step(5, D(2024, 4, 1), people=[full]), done4) == {}
    done8 = path_to(8)
    assert "须有2名正式党员" in errs(Step(9, D(2025, 5, 1), people=[full]), done8)["people"][0]
    assert "须是正式党员" in errs(Step(9, D(2025, 5, 1), people=[full, prob]), done8)["people"][0]
    sanctioned = ("丙", "full", True)
    assert "留党察看" in errs(Step(9, D(2025, 5, 1), people=[full, sanctioned]), done8)["people"][0]
    assert errs(Step(9, D(2025, 5, 1), people=[full, full]), done8) == {}


def test_training_three_days_or_24_hours():
    done = path_to(10)
    assert "不少于3天或不少于24个学时" in errs(Step(11, D(2025, 5, 1), hours=23), done)["hours"][0]
    assert errs(Step(11, D(2025, 5, 1), hours=24), done) == {}
    assert errs(Step(11, D(2025, 5, 1), days=3), done) == {}
    assert "hours" in errs(Step(11, D(2025, 5, 1), days=2), done)


def test_political_review_valid_a_year():
    done = path_to(14)  # review (step 10) on 2025-04-02
    vote = dict(voters=9, present=5, yes=5)
    assert "政治审查" in errs(Step(15, D(2026, 4, 3), **vote), done)["done_on"][0]
    assert errs(Step(15, D(2026, 4, 2), **vote), done) == {}


def test_assembly_quorum_and_majority():
    done = path_to(14)
    day = D(2025, 5, 6)
    assert "present" in errs(Step(15, day, voters=10, present=5, yes=5), done)
    assert "yes" in errs(Step(15, day, voters=10, present=6, yes=5), done)
    assert errs(Step(15, day, voters=10, present=6, yes=6), done) == {}
    assert "voters" in errs(Step(15, day), done)


def test_higher_committee_within_three_months_six_special():
    done = path_to(16)  # assembly 2025-05-06
    assert (
        "最迟 2025-08-06" in errs(Step(17, D(2025, 8, 7), outcome="approved"), done)["done_on"][0]
    )
    assert errs(Step(17, D(2025, 8, 6), outcome="approved"), done) == {}
    assert errs(Step(17, D(2025, 11, 6), outcome="approved", special=True), done) == {}
    assert "done_on" in errs(Step(17, D(2025, 11, 7), outcome="approved", special=True), done)
    assert "outcome" in errs(Step(17, D(2025, 8, 6)), done)


def test_probation_a_year_from_the_assembly():
    done = path_to(21)  # assembly 2025-05-06
    assert "2026-05-06" in errs(Step(22, D(2026, 5, 5)), done)["done_on"][0]
    assert errs(Step(22, D(2026, 5, 6)), done) == {}


def test_conversion_decision_and_one_extension():
    done = path_to(23)  # conversion vote 2026-05-20
    assert (
        "最迟 2026-08-20" in errs(Step(24, D(2026, 8, 21), outcome="approved"), done)["done_on"][0]
    )
    assert errs(Step(24, D(2026, 8, 20), outcome="approved"), done) == {}
    assert "extension_months" in errs(
        Step(24, D(2026, 6, 1), outcome="extended", extension_months=5), done
    )
    assert "extension_months" in errs(
        Step(24, D(2026, 6, 1), outcome="extended", extension_months=13), done
    )
    assert errs(Step(24, D(2026, 6, 1), outcome="extended", extension_months=6), done) == {}
    extended = done + [Done(24, D(2026, 6, 1), "extended", 6)]
    assert rules.next_number(extended) == 22
    # Probation now ends 2025-05-06 + 18 months.
    assert "2026-11-06" in errs(Step(22, D(2026, 11, 5)), extended)["done_on"][0]
    again = extended + [Done(22, D(2026, 11, 6)), Done(23, D(2026, 11, 20))]
    twice = errs(Step(24, D(2026, 12, 1), outcome="extended", extension_months=6), again)
    assert "只能延长一次" in twice["outcome"][0]


def test_order_and_stage():
    assert (
        "应先完成第2步"
        in errs(Step(3, D(2024, 3, 1), notice_from=D(2024, 2, 20)), path_to(1))["number"][0]
    )
    assert "不能早于上一步骤" in errs(Step(4, D(2024, 2, 1)), path_to(3))["done_on"][0]
    assert rules.stage_after(path_to(2)) == "applicant"
    assert rules.stage_after(path_to(3)) == "activist"
    assert rules.stage_after(path_to(7)) == "candidate"
    assert rules.stage_after(path_to(17)) == "probationary"
    assert rules.stage_after(path_to(23) + [Done(24, D(2026, 6, 1), "approved")]) == "full"
    assert rules.stage_after(path_to(16) + [Done(17, D(2025, 6, 1), "cancelled")]) == "ended"
    # The half-yearly assessment (step 6) may be recorded again.
    assert errs(Step(6, D(2024, 9, 1)), path_to(6)) == {}


@pytest.mark.parametrize(
    "day,n,expected",
    [(D(2026, 1, 30), 1, D(2026, 2, 28)), (D(2024, 2, 29), 12, D(2025, 2, 28))],
)
def test_months_at_month_end(day, n, expected):
    assert rules.add_months(day, n) == expected


def test_share():
    assert rules.share(889, 1270) == "70%"
    assert rules.share(1, 0) == "—"
