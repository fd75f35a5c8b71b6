"""Dues brackets at each boundary, with Decimal exactness (fen, ROUND_HALF_UP, whole
amount), money parsing and the arrears run."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.config import DEFAULTS
from dangjian.dues import rules

EMPLOYED = rules.brackets_of(DEFAULTS["dues.employed_brackets"])
RETIRED = rules.brackets_of(DEFAULTS["dues.retired_brackets"])


def due(category, yuan):
    return rules.monthly_due_fen(
        category,
        rules.yuan_to_fen(yuan),
        employed=EMPLOYED,
        retired=RETIRED,
        rural_fen=20,
        flat_fen=20,
    )


@pytest.mark.parametrize(
    "base, fen",
    [
        ("0.00", 0),
        ("2999.99", 1500),  # 299999 × 0.005 = 1499.995 → 1500 (half up)
        ("3000.00", 1500),  # ≤ 3,000: 0.5% → 15.00
        ("3000.01", 3000),  # > 3,000: 1% of the WHOLE amount → 30.0001 yuan → 30.00
        ("5000.00", 5000),
        ("5000.01", 7500),  # 1.5% of 5000.01 = 75.00015
        ("10000.00", 15000),
        ("10000.01", 20000),  # 2% of 10000.01 = 200.0002
        ("25000.00", 50000),
    ],
)
def test_employed_brackets_at_each_boundary(base, fen):
    assert due("employed", base) == fen


@pytest.mark.parametrize(
    "base, fen",
    [("5000.00", 2500), ("5000.01", 5000), ("1200.00", 600), ("8000.00", 8000)],
)
def test_retired_brackets_at_the_boundary(base, fen):
    assert due("retired", base) == fen


def test_rounding_is_half_up_to_the_fen_and_exact():
    # 1001.00 × 0.5% = 5.005 yuan: a float gives 5.004999…, Decimal gives exactly 5.005 → 5.01
    assert due("employed", "1001.00") == 501
    assert due("employed", "1000.90") == 500  # 5.0045 → 5.00
    assert due("employed", "3333.33") == 3333  # 33.3333 → 33.33
    assert due("employed", "4444.50") == 4445  # 44.445 → 44.45 (float would say 44.44)
    assert isinstance(rules.rate_for(300000, EMPLOYED), Decimal)


def test_flat_rural_and_hardship():
    assert due("student", "0") == 20 and due("other", "9999") == 20 and due("rural", "0") == 20
    kw = dict(employed=EMPLOYED, retired=RETIRED, rural_fen=20, flat_fen=20)
    assert rules.monthly_due_fen("employed", 800000, exempt=True, **kw) == 0
    assert rules.monthly_due_fen("employed", 800000, reduced_fen=1000, **kw) == 1000


def test_money_parsing_refuses_floats_negatives_and_thirds_of_a_fen():
    assert rules.yuan_to_fen("3000.01") == 300001
    assert rules.yuan_to_fen("3,000") == 300000
    assert rules.yuan_to_fen(" 0.2 ") == 20
    for bad in ("abc", "-1", "1.001", "NaN", "", 0.1):
        with pytest.raises(ValueError):
            rules.yuan_to_fen(bad)
    assert rules.fen_to_yuan(300001) == "3000.01" and rules.fen_to_yuan(5) == "0.05"


def test_category_mapping():
    assert rules.category_of("agency") == "employed"
    assert rules.category_of("retired") == "retired"
    assert rules.category_of("rural") == "rural"
    assert rules.category_of("student") == "student"
    assert rules.category_of("nonsense") == "other"


def test_months_and_probation_start():
    d = datetime.date
    assert rules.first_due_month(d(2026, 3, 31)) == d(2026, 3, 1)
    assert rules.add_months(d(2026, 11, 1), 3) == d(2027, 2, 1)
    assert rules.add_months(d(2026, 1, 1), -6) == d(2025, 7, 1)
    assert len(rules.months_between(d(2025, 11, 5), d(2026, 2, 1))) == 4


def test_arrears_run_and_levels():
    assert rules.unpaid_run([(20, 20)] + [(20, 0)] * 6) == 6
    assert rules.unpaid_run([(20, 0)] * 5 + [(20, 20)]) == 0
    assert rules.unpaid_run([(20, 0), (0, 0), (20, 0)]) == 1  # an exempt month ends the run
    assert rules.arrears_level(6, 3, 6) == "leave"
    assert rules.arrears_level(5, 3, 6) == "warn"
    assert rules.arrears_level(3, 3, 6) == "warn"
    assert rules.arrears_level(2, 3, 6) is None


def test_extra_payment_to_centre_at_1000_yuan():
    assert rules.goes_to_centre(100000, 100000)
    assert not rules.goes_to_centre(99999, 100000)
