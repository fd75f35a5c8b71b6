"""Pure rules of cadre pay and venues: seed 004's figures reproduced exactly with Decimal
from its stated multiple and income, rounding at its boundaries, and bad input refused with
a message naming the field."""

from decimal import Decimal

import pytest

from dangjian.village import rules

# Seed 004 (Ningling): 2017 pay = 1.92 × the 2015 rural per-capita net income.
INCOME = Decimal("8437.50")
MULTIPLE = Decimal("1.92")
SEED_004 = [
    rules.PostTerms("secretary", Decimal("1.00"), standard_monthly_fen=126_200),
    rules.PostTerms("director", Decimal("0.80"), standard_monthly_fen=101_000),
    rules.PostTerms("member", Decimal("0.60"), standard_monthly_fen=75_700),
]


def test_seed_004_monthly_pay_from_its_multiple_and_income():
    assert rules.head_yearly(INCOME, MULTIPLE) == Decimal("16200.0000")
    pay = rules.schedule(INCOME, MULTIPLE, SEED_004)
    assert [p.monthly_fen for p in pay] == [135_000, 108_000, 81_000]
    assert [p.above_standard_fen for p in pay] == [8_800, 7_000, 5_300]
    assert pay[0].yearly_fen == 1_620_000


def test_the_income_is_what_the_secretarys_pay_implies():
    # 1,350 × 12 / 1.92 = 8,437.50: the income seed 004 does not state but implies.
    assert Decimal(1350) * 12 / MULTIPLE == INCOME


def test_default_ratios_are_seed_004s_and_a_fixed_amount_wins():
    assert rules.monthly_fen(INCOME, MULTIPLE, rules.PostTerms("director")) == 108_000
    group = rules.PostTerms("group", fixed_monthly_fen=30_000)  # seed 001: 3,600 a year
    assert rules.monthly_fen(INCOME, MULTIPLE, group) == 30_000
    with pytest.raises(rules.PayError) as e:
        rules.monthly_fen(INCOME, MULTIPLE, rules.PostTerms("group"))
    assert e.value.field == "ratio"


def test_rounding_half_up_once_at_the_end():
    # 2 × 9,000.05 / 12 = 1,500.008333… → 1,500 yuan; to the fen 1,500.01; to ten 1,500.
    income = Decimal("9000.05")
    head = rules.PostTerms("secretary", Decimal("1"))
    assert rules.monthly_fen(income, Decimal(2), head, "yuan") == 150_000
    assert rules.monthly_fen(income, Decimal(2), head, "fen") == 150_001
    # 0.70 × 2 × 9,000.05 / 12 = 1,050.005833… → 1,050 / 1,050.01 / 1,050
    deputy = rules.PostTerms("director", Decimal("0.70"))
    assert rules.monthly_fen(income, Decimal(2), deputy, "fen") == 105_001
    assert rules.monthly_fen(income, Decimal(2), deputy, "ten") == 105_000
    # exactly half a yuan rounds up: 6 × 1,001 / 12 = 500.5
    assert rules.monthly_fen(Decimal(1001), Decimal(6), head, "yuan") == 50_100
    assert rules.round_yuan(Decimal("1355"), "ten") == Decimal("1360")


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "应为数字"),
        ("", "请填写"),
        ("-5", "应大于0"),
        ("0", "应大于0"),
        ("8437.505", "最多保留2位小数"),
        ("NaN", "应为数字"),
        ("20000000", "不能超过"),
    ],
)
def test_bad_income_is_refused_naming_the_field(value, message):
    with pytest.raises(rules.PayError) as e:
        rules.parse_decimal("income", "农村居民人均纯收入", value, high=rules.MAX_INCOME)
    assert e.value.field == "income"
    assert message in e.value.message and "农村居民人均纯收入" in e.value.message


def test_numbers_are_read_as_written_never_as_floats():
    assert rules.parse_decimal("income", "收入", "8,437.50元") == INCOME
    assert rules.parse_decimal("multiple", "倍数", Decimal("1.92")) == MULTIPLE
    with pytest.raises(rules.PayError):
        rules.parse_decimal("multiple", "倍数", 1.92)


def test_rule_problems():
    ok = rules.rule_problems(INCOME, MULTIPLE, SEED_004, year=2017, income_year=2015)
    assert ok == {}
    assert "income_year" in rules.rule_problems(INCOME, MULTIPLE, [], year=2017, income_year=2017)
    both = [rules.PostTerms("group", Decimal("0.2"), fixed_monthly_fen=100)]
    assert "posts-0" in rules.rule_problems(INCOME, MULTIPLE, both)
    high = [rules.PostTerms("director", Decimal("1.10"))]
    assert "posts-0" in rules.rule_problems(INCOME, MULTIPLE, high)
    twice = [rules.PostTerms("director"), rules.PostTerms("director")]
    assert "posts" in rules.rule_problems(INCOME, MULTIPLE, twice)


def test_line_bounds():
    assert rules.line_problems(12, 0, 0) == {}
    assert "months" in rules.line_problems(0, 0, 0)
    assert "months" in rules.line_problems(13, 0, 0)
    assert "performance" in rules.line_problems(12, 100, 99)
    assert rules.line_total_fen(135_000, 12, 50_000) == 1_670_000


def test_shares_and_money_text():
    assert rules.share(0, 0) == "—"
    assert rules.share(205, 205) == "100.0%"
    assert rules.share(1, 3) == "33.3%"
    assert rules.yuan_text(1_080_000) == "10,800"
    assert rules.yuan_text(135_050) == "1,350.50"
    assert rules.venue_problems(Decimal(0), Decimal(-1), 1900, 2026).keys() == {
        "building_area",
        "square_area",
        "built_year",
    }


def test_bad_input_reads_in_english_too():
    from django.utils import translation

    with translation.override("en"), pytest.raises(rules.PayError) as e:
        rules.parse_decimal("income", "收入", "abc")
    assert "should be a number" in e.value.message
