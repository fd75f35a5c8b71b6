"""Pure rules of assignments and report-backs. No database here."""

import datetime
import decimal

TRANSITIONS = {
    # action: statuses it may start from
    "report": {"not_started", "reported", "returned"},
    "accept": {"reported"},
    "return": {"reported"},
}


def transition_error(action: str, status: str, *, withdrawn: bool) -> str | None:
    if withdrawn:
        return "该交办单已撤回"
    if status not in TRANSITIONS[action]:
        labels = {"not_started": "未报送", "reported": "已报送", "returned": "已退回",
                  "accepted": "已通过"}
        verbs = {"report": "报送", "accept": "通过", "return": "退回"}
        return f"当前状态为“{labels[status]}”，不能{verbs[action]}"
    return None


def is_late(deadline: datetime.date, reported_on: datetime.date | None, today: datetime.date) -> bool:
    """Late: first reported after the deadline, or not reported and the deadline has passed."""
    if reported_on is None:
        return today > deadline
    return reported_on > deadline


def clean_value(field: dict, raw):
    """Validate one typed field's value; returns (value, error). `field` has type, label,
    required, choices, min_value, max_value. Values are stored as JSON-ready plain values."""
    label, ftype = field["label"], field["type"]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, (f"「{label}」为必填项" if field.get("required") else None)
    text = raw.strip() if isinstance(raw, str) else raw
    if ftype in ("integer", "decimal"):
        try:
            number = decimal.Decimal(str(text))
        except decimal.InvalidOperation:
            return None, f"「{label}」应填写数字，“{raw}”不是数字"
        if not number.is_finite():
            return None, f"「{label}」应填写数字"
        if ftype == "integer" and number != number.to_integral_value():
            return None, f"「{label}」应填写整数"
        low, high = field.get("min_value"), field.get("max_value")
        if low is not None and number < decimal.Decimal(str(low)):
            return None, f"「{label}」不能小于{low}"
        if high is not None and number > decimal.Decimal(str(high)):
            return None, f"「{label}」不能大于{high}"
        return (int(number) if ftype == "integer" else str(number)), None
    if ftype == "boolean":
        if text in (True, "1", "true", "是", "yes", "on"):
            return True, None
        if text in (False, "0", "false", "否", "no", "off"):
            return False, None
        return None, f"「{label}」应填“是”或“否”"
    if ftype == "choice":
        if text not in field.get("choices", []):
            return None, f"「{label}」应从以下选项中选择：{'、'.join(field.get('choices', []))}"
        return text, None
    if ftype == "date":
        try:
            return (text if isinstance(text, datetime.date) else
                    datetime.date.fromisoformat(str(text))).isoformat(), None
        except ValueError:
            return None, f"「{label}」应为日期，如 2026-03-31"
    value = str(text)
    if len(value) > 2000:
        return None, f"「{label}」不能超过2000字"
    return value, None


def on_time_rate(on_time: int, reported: int) -> float | None:
    return round(on_time / reported, 4) if reported else None


def target_met(kind: str, target_value, progress_value, met_flag: bool) -> bool:
    if kind == "number":
        return target_value is not None and progress_value >= target_value
    return met_flag
