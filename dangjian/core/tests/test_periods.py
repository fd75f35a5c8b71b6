import datetime

import pytest

from dangjian.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("2026-Q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2026-q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_parse_and_bounds(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "26-01", "明年"])
def test_bad_periods_are_explained(text):
    with pytest.raises(PeriodError, match="期间"):
        Period.parse(text)


def test_period_of_a_day():
    day = datetime.date(2026, 11, 23)
    assert str(Period.month_of(day)) == "2026-11"
    assert str(Period.quarter_of(day)) == "2026-Q4"
