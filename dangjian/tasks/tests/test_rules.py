import datetime

import pytest

from dangjian.tasks import rules

NUM = {"label": "参加人数", "type": "integer", "required": True, "min_value": 0, "max_value": 500}


@pytest.mark.parametrize(
    "raw, value, error",
    [
        ("12", 12, None),
        ("十二", None, "不是数字"),
        ("1.5", None, "整数"),
        ("-1", None, "不能小于0"),
        ("501", None, "不能大于500"),
        ("", None, "必填"),
    ],
)
def test_integer_fields(raw, value, error):
    got, err = rules.clean_value(NUM, raw)
    assert got == value
    assert (err is None) if error is None else (error in err)


def test_other_types():
    assert rules.clean_value({"label": "x", "type": "decimal"}, "2.50") == ("2.50", None)
    assert rules.clean_value({"label": "x", "type": "boolean"}, "是") == (True, None)
    assert "是" in rules.clean_value({"label": "x", "type": "boolean"}, "maybe")[1]
    assert rules.clean_value({"label": "x", "type": "choice", "choices": ["甲", "乙"]}, "乙") == (
        "乙",
        None,
    )
    assert "选项" in rules.clean_value({"label": "x", "type": "choice", "choices": ["甲"]}, "丙")[1]
    assert rules.clean_value({"label": "x", "type": "date"}, "2026-03-31") == ("2026-03-31", None)
    assert "日期" in rules.clean_value({"label": "x", "type": "date"}, "3月31日")[1]
    assert rules.clean_value({"label": "x", "type": "text", "required": False}, "") == (None, None)


def test_transitions():
    assert rules.transition_error("report", "returned", withdrawn=False) is None
    assert "不能报送" in rules.transition_error("report", "accepted", withdrawn=False)
    assert "撤回" in rules.transition_error("report", "not_started", withdrawn=True)
    assert rules.transition_error("accept", "not_started", withdrawn=False)


def test_lateness():
    deadline = datetime.date(2026, 3, 31)
    assert not rules.is_late(deadline, datetime.date(2026, 3, 31), datetime.date(2026, 4, 9))
    assert rules.is_late(deadline, datetime.date(2026, 4, 1), datetime.date(2026, 4, 9))
    assert rules.is_late(deadline, None, datetime.date(2026, 4, 1))
    assert not rules.is_late(deadline, None, datetime.date(2026, 3, 31))


def test_nearest_receivers_below_skip_those_under_another():
    paths = ["0001", "00010001", "000100010001", "000100010002", "00010002", "0002"]
    assert rules.nearest_below("0001", paths) == ["00010001", "00010002"]
    assert rules.nearest_below("00010001", paths) == ["000100010001", "000100010002"]
    assert rules.nearest_below("0001", ["0001", "000100010001"]) == ["000100010001"]
    assert rules.nearest_below("0002", paths) == []
    each = rules.nearest_below_each(paths)
    assert each == {p: rules.nearest_below(p, paths) for p in paths}
