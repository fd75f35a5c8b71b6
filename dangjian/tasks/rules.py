"""Pure rules of assignments and report-backs. No database here (the models module is
read for its choices only)."""

import datetime
import decimal

from django.utils.translation import gettext as _

from dangjian.core.services import join_labels

from .models import (  # the one vocabulary of statuses (TextChoices)
    AssignmentPhase,
    ReportStatus,
)

# How many organization codes one assignment's receivers may name (pages and API alike):
# the codes of "under", and the list of "mode=orgs". A code has at most 32 characters.
MAX_UNDER_CODES = 1000
MAX_RECEIVER_CODES = 100_000
CODE_TEXT = 33  # a code and its separator, to size the text boxes holding code lists

TRANSITIONS = {
    # action: statuses it may start from
    "report": {ReportStatus.NOT_STARTED, ReportStatus.REPORTED, ReportStatus.RETURNED},
    "accept": {ReportStatus.REPORTED},
    "return": {ReportStatus.REPORTED},
}


def transition_error(action: str, status: str, *, withdrawn: bool) -> str | None:
    if withdrawn:
        return _("该交办单已撤回")
    if status not in TRANSITIONS[action]:
        # One whole sentence per action, so each language words it its own way.
        messages = {
            "report": _("当前状态为“%(status)s”，不能报送"),
            "accept": _("当前状态为“%(status)s”，不能通过"),
            "return": _("当前状态为“%(status)s”，不能退回"),
        }
        return messages[action] % {"status": ReportStatus(status).label}
    return None


def report_error(
    status: str,
    *,
    withdrawn: bool,
    starts_on: datetime.date,
    deadline: datetime.date,
    today: datetime.date,
) -> str | None:
    """Why a report-back may not be (re)reported today, or None. Whether the user may
    report for the organization at all is a permission, checked apart."""
    if error := transition_error("report", status, withdrawn=withdrawn):
        return error
    if status == ReportStatus.REPORTED and today > deadline:
        return _("已过截止日期，已报送的晒账单不能再修改")
    if today < starts_on:
        return _("交办单%(date)s开始，届时再报送") % {"date": starts_on}
    return None


def effective_deadline(
    assignment_deadline: datetime.date, own: datetime.date | None
) -> datetime.date:
    """A receiver's deadline in force: its own (an extension, 延期) when later than the
    assignment's, else the assignment's. Moving the assignment's deadline later than an
    extension overtakes it; moving it earlier leaves an extension already granted."""
    return own if own is not None and own > assignment_deadline else assignment_deadline


def extension_error(
    current: datetime.date, new: datetime.date | None, *, cap: datetime.date | None = None
) -> str | None:
    """Why `new` cannot be a receiver's extended deadline, or None: it must be later than
    the one in force (`current`) and, for a relayed assignment, no later than the relaying
    receiver's own deadline (`cap`), who reports their sum."""
    if new is None:
        return _("请填写延期后的截止日期")
    if new <= current:
        return _("延期后的截止日期应晚于现在的截止日期（%(date)s）") % {"date": current.isoformat()}
    if cap is not None and new > cap:
        return _("转办的晒账单延期不能晚于转办单位的截止日期（%(date)s）") % {
            "date": cap.isoformat()
        }
    return None


def is_late(
    deadline: datetime.date, reported_on: datetime.date | None, today: datetime.date
) -> bool:
    """Late: first reported after the deadline, or not reported and the deadline has passed."""
    if reported_on is None:
        return today > deadline
    return reported_on > deadline


def _bound_text(bound, ftype: str) -> str:
    """A field's limit as its users write it: "0" for an integer field (not "0.00"), and
    a decimal without trailing zeros ("2.5", not "2.50")."""
    number = decimal.Decimal(str(bound))
    if ftype == "integer" or number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def clean_value(field: dict, raw):
    """Validate one typed field's value; returns (value, error). `field` has type, label,
    required, choices, min_value, max_value. Values are stored as JSON-ready plain values."""
    label, ftype = field["label"], field["type"]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, (
            _("“%(label)s”为必填项") % {"label": label} if field.get("required") else None
        )
    text = raw.strip() if isinstance(raw, str) else raw
    if ftype in ("integer", "decimal"):
        try:
            number = decimal.Decimal(str(text))
        except decimal.InvalidOperation:
            return None, _("“%(label)s”应填写数字，“%(value)s”不是数字") % {
                "label": label,
                "value": raw,
            }
        if not number.is_finite():
            return None, _("“%(label)s”应填写数字") % {"label": label}
        if ftype == "integer" and number != number.to_integral_value():
            return None, _("“%(label)s”应填写整数") % {"label": label}
        low, high = field.get("min_value"), field.get("max_value")
        if low is not None and number < decimal.Decimal(str(low)):
            return None, _("“%(label)s”不能小于%(low)s") % {
                "label": label,
                "low": _bound_text(low, ftype),
            }
        if high is not None and number > decimal.Decimal(str(high)):
            return None, _("“%(label)s”不能大于%(high)s") % {
                "label": label,
                "high": _bound_text(high, ftype),
            }
        return (int(number) if ftype == "integer" else str(number)), None
    if ftype == "boolean":
        if text in (True, "1", "true", "是", "yes", "on"):
            return True, None
        if text in (False, "0", "false", "否", "no", "off"):
            return False, None
        return None, _("“%(label)s”应填“是”或“否”") % {"label": label}
    if ftype == "choice":
        if text not in field.get("choices", []):
            choices = join_labels(field.get("choices", []))
            return None, (
                _("“%(label)s”应从以下选项中选择：%(choices)s")
                % {"label": label, "choices": choices}
            )
        return text, None
    if ftype == "date":
        try:
            return (
                text if isinstance(text, datetime.date) else datetime.date.fromisoformat(str(text))
            ).isoformat(), None
        except ValueError:
            return None, _("“%(label)s”应为日期，如 2026-03-31") % {"label": label}
    value = str(text)
    if len(value) > 2000:
        return None, _("“%(label)s”不能超过2000字") % {"label": label}
    return value, None


def on_time_rate(on_time: int, reported: int) -> float | None:
    return on_time / reported if reported else None


def target_met(kind: str, target_value, progress_value, met_flag: bool) -> bool:
    if kind == "number":
        return target_value is not None and progress_value >= target_value
    return met_flag


def nearest_below(path: str, paths) -> list[str]:
    """Of `paths` (the receivers of one assignment), those strictly below `path` with no
    other of them in between: the receivers whose subtrees `path`'s bound figures leave out,
    since they report them themselves. Sorted, an ancestor's path comes just before its
    descendants', so one pass keeps the topmost."""
    out: list[str] = []
    for p in sorted(p for p in paths if p.startswith(path) and p != path):
        if not (out and p.startswith(out[-1])):
            out.append(p)
    return out


def nearest_below_each(paths) -> dict[str, list[str]]:
    """nearest_below(p, paths) for every p of `paths` at once, in one sorted pass (for a
    whole assignment's receivers)."""
    below: dict[str, list[str]] = {p: [] for p in paths}
    stack: list[str] = []
    for p in sorted(below):
        while stack and not p.startswith(stack[-1]):
            stack.pop()
        if stack:
            below[stack[-1]].append(p)
        stack.append(p)
    return below


def assignment_phase(status: str, deadline: datetime.date, today: datetime.date) -> str:
    """执行中 until the deadline, 已截止 after it, 已撤回 once withdrawn (AssignmentPhase)."""
    if status == AssignmentPhase.WITHDRAWN:
        return AssignmentPhase.WITHDRAWN
    return AssignmentPhase.CLOSED if today > deadline else AssignmentPhase.ACTIVE
