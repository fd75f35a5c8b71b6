"""The time rules of the development procedure (Development Rules 2014, DOMAIN.md section 3),
as pure functions of dates and numbers: no database. `check()` returns every refusal of a
step, each naming the rule and, where a date would make it right, the earliest (or latest)
allowed date; `earliest()` is the first date the next step may carry.

Settings (core.config "development.*") arrive as a plain dict `s`, see `DEFAULT_SETTINGS`.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# number: (stage reached once the step is done, label)
STEPS = {
    1: ("applicant", gettext_noop("递交入党申请书")),
    2: ("applicant", gettext_noop("党组织派人谈话")),
    3: ("activist", gettext_noop("推荐和确定入党积极分子")),
    4: ("activist", gettext_noop("报上级党委备案")),
    5: ("activist", gettext_noop("指定培养联系人")),
    6: ("activist", gettext_noop("培养教育考察")),
    7: ("candidate", gettext_noop("确定发展对象")),
    8: ("candidate", gettext_noop("报上级党委备案")),
    9: ("candidate", gettext_noop("确定入党介绍人")),
    10: ("candidate", gettext_noop("进行政治审查")),
    11: ("candidate", gettext_noop("开展集中培训")),
    12: ("candidate", gettext_noop("支部委员会审查")),
    13: ("candidate", gettext_noop("上级党委预审")),
    14: ("candidate", gettext_noop("填写入党志愿书")),
    15: ("candidate", gettext_noop("支部党员大会讨论")),
    16: ("candidate", gettext_noop("上级党委派人谈话")),
    17: ("probationary", gettext_noop("上级党委审批")),
    18: ("probationary", gettext_noop("报上级党委组织部门备案")),
    19: ("probationary", gettext_noop("编入党支部和党小组")),
    20: ("probationary", gettext_noop("入党宣誓")),
    21: ("probationary", gettext_noop("继续教育考察")),
    22: ("probationary", gettext_noop("提出转正申请")),
    23: ("probationary", gettext_noop("支部党员大会讨论转正")),
    24: ("full", gettext_noop("上级党委审批转正")),
    25: ("full", gettext_noop("材料归档")),
}
STAGE_ORDER = ("applicant", "activist", "candidate", "probationary", "full")
# Steps that may be recorded more than once: the half-yearly assessment of an activist, and
# after an extended probation, the application, the vote and the decision again.
REPEATABLE = {6, 21, 22, 23, 24}
# Steps whose decision needs a public notice first (公示).
NOTICE_STEPS = {3, 7, 13, 23}
# Steps that are a vote of the branch assembly.
VOTE_STEPS = {15, 23}
DEFAULT_SETTINGS = {
    "min_age": 18,
    "talk_within_months": 1,
    "activist_months": 12,
    "mentors": [1, 2],
    "sponsors": 2,
    "review_valid_months": 12,
    "training_min_hours": 24,
    "training_min_days": 3,
    "notice_working_days": 5,
    "holidays": [],
    "decision_months": 3,
    "decision_special_months": 6,
    "probation_months": 12,
    "extension_months": [6, 12],
}


def label(number: int) -> str:
    return _(STEPS[number][1])


def step_name(number: int) -> str:
    return f"{number}. {label(number)}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`months` calendar months after `day` (31 January + 1 = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_working_days(day: datetime.date, n: int, holidays=()) -> datetime.date:
    """The date after `n` full working days (Mon–Fri, not a holiday) counted from `day`
    itself: a notice put up on Monday for 5 working days has run by Friday evening, so a
    decision may be taken from the next working day on... here: from the day after the
    n-th working day."""
    off = {datetime.date.fromisoformat(h) if isinstance(h, str) else h for h in holidays}
    counted, current = 0, day
    while True:
        if current.weekday() < 5 and current not in off:
            counted += 1
            if counted == n:
                return current + datetime.timedelta(days=1)
        current += datetime.timedelta(days=1)


@dataclass
class Done:
    """A step already recorded (what the rules need of it)."""

    number: int
    day: datetime.date
    outcome: str = ""
    extension_months: int | None = None


@dataclass
class Step:
    """The step being recorded."""

    number: int
    day: datetime.date
    people: list = field(default_factory=list)  # [(name, status, on probation within Party)]
    hours: int | None = None
    days: int | None = None
    notice_from: datetime.date | None = None
    voters: int | None = None
    present: int | None = None
    yes: int | None = None
    special: bool = False
    outcome: str = ""
    extension_months: int | None = None


def _last(done: list[Done], number: int) -> Done | None:
    rows = [d for d in done if d.number == number]
    return max(rows, key=lambda d: d.day) if rows else None


def stage_after(done: list[Done]) -> str:
    """The stage a candidacy is in after these steps."""
    stage = "applicant"
    for d in sorted(done, key=lambda d: (d.day, d.number)):
        if d.number == 17 and d.outcome not in ("", "approved"):
            return "ended"
        if d.number == 24 and d.outcome == "cancelled":
            return "ended"
        if d.number == 24 and d.outcome == "extended":
            stage = "probationary"
            continue
        s = STEPS[d.number][0]
        if STAGE_ORDER.index(s) > STAGE_ORDER.index(stage):
            stage = s
    return stage


def next_number(done: list[Done]) -> int | None:
    """The step to record next (None once the papers are archived)."""
    if not done:
        return 1
    ordered = sorted(done, key=lambda d: (d.day, d.number))
    extended = [i for i, d in enumerate(ordered) if d.number == 24 and d.outcome == "extended"]
    if extended:
        after = ordered[extended[-1] + 1 :]
        if not after:
            return 22
        top = max(d.number for d in after)
    else:
        top = max(d.number for d in done)
    return top + 1 if top < 25 else None


def probation_end(done: list[Done], s) -> datetime.date | None:
    """End of probation: a year (setting) from the assembly's date (step 15), plus any
    extension decided at step 24."""
    assembly = _last(done, 15)
    if assembly is None:
        return None
    months = s["probation_months"]
    months += sum(
        d.extension_months or 0 for d in done if d.number == 24 and d.outcome == "extended"
    )
    return add_months(assembly.day, months)


def _fmt(day: datetime.date) -> str:
    return day.isoformat()


def earliest(number: int, done: list[Done], s, *, birth_date=None):
    """(earliest date, the rule's sentence) for step `number`, or (None, "") without a bound."""
    if number == 1 and birth_date is not None:
        day = add_months(birth_date, 12 * s["min_age"])
        return day, _("申请入党须年满%(n)s周岁（%(d)s 起）") % {"n": s["min_age"], "d": _fmt(day)}
    if number == 7 and (a := _last(done, 3)):
        day = add_months(a.day, s["activist_months"])
        return day, _("须担任入党积极分子满一年（%(d)s 起）才能列为发展对象") % {"d": _fmt(day)}
    if number == 22 and (end := probation_end(done, s)):
        return end, _("预备期从支部大会通过之日起算，满期（%(d)s）后才能提出转正申请") % {
            "d": _fmt(end)
        }
    if number == 23 and (end := probation_end(done, s)):
        return end, _("预备期满（%(d)s 起）才能讨论转正") % {"d": _fmt(end)}
    if done:
        last = max(d.day for d in done)
        return last, _("不能早于上一步骤的日期（%(d)s）") % {"d": _fmt(last)}
    return None, ""


def notice_end(notice_from: datetime.date, s):
    """(first date a decision may be taken after a notice put up on `notice_from`, rule)."""
    day = add_working_days(notice_from, s["notice_working_days"], s["holidays"])
    return day, _("须公示%(n)s个工作日（%(d)s 起）才能作出决定") % {
        "n": s["notice_working_days"],
        "d": _fmt(day),
    }


def _latest(number: int, done: list[Done], s, special: bool):
    """(latest date, the rule's sentence) for a step with a deadline."""
    if number == 2 and (a := _last(done, 1)):
        day = add_months(a.day, s["talk_within_months"])
        return day, _("党组织应在收到入党申请书后一个月内派人谈话（最迟 %(d)s）") % {"d": _fmt(day)}
    if number == 17 and (a := _last(done, 15)):
        months = s["decision_special_months"] if special else s["decision_months"]
        day = add_months(a.day, months)
        if special:
            text = _("上级党委审批特殊情况下最长不超过%(n)s个月（最迟 %(d)s）")
        else:
            text = _(
                "上级党委应在支部大会通过后%(n)s个月内审批（最迟 %(d)s；特殊情况请勾选“特殊情况”）"
            )
        return day, text % {"n": months, "d": _fmt(day)}
    if number == 24 and (a := _last(done, 23)):
        day = add_months(a.day, s["decision_months"])
        return day, _("上级党委应在支部大会讨论转正后%(n)s个月内审批（最迟 %(d)s）") % {
            "n": s["decision_months"],
            "d": _fmt(day),
        }
    if number == 15 and (a := _last(done, 10)):
        day = add_months(a.day, s["review_valid_months"])
        return day, _("政治审查结论有效期约一年，已超过（%(d)s），请重新审查") % {"d": _fmt(day)}
    return None, ""


def _vote(errors: dict, step: Step) -> None:
    need = {"voters": step.voters, "present": step.present, "yes": step.yes}
    for key, value in need.items():
        if value is None:
            errors.setdefault(key, []).append(_("支部党员大会表决须填写应到、实到人数和赞成票"))
            return
    if step.present > step.voters or step.yes > step.present:
        errors.setdefault("yes", []).append(_("实到人数不能超过应到人数，赞成票不能超过实到人数"))
        return
    if step.present * 2 <= step.voters:
        errors.setdefault("present", []).append(
            _("到会有表决权的党员须超过应到人数的半数（%(v)s 人中至少 %(n)s 人）")
            % {"v": step.voters, "n": step.voters // 2 + 1}
        )
    if step.yes * 2 <= step.voters:
        errors.setdefault("yes", []).append(
            _("赞成人数须超过应到会有表决权的正式党员的半数（至少 %(n)s 票）")
            % {"n": step.voters // 2 + 1}
        )


def check(step: Step, done: list[Done], s, *, birth_date=None, today=None) -> dict[str, list[str]]:
    """Every refusal of recording `step` after `done`, by field; {} when it may be recorded."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    n = step.number
    if n not in STEPS:
        add("number", _("步骤应为1至25"))
        return errors
    if stage_after(done) == "ended":
        add("number", _("该发展程序已终止"))
        return errors
    expected = next_number(done)
    if n != expected and not (n in REPEATABLE and n == expected - 1 and n != 24):
        if expected is None:
            add("number", _("发展程序已全部完成"))
        else:
            add("number", _("应先完成第%(e)s步“%(l)s”") % {"e": expected, "l": label(expected)})
        return errors
    if today is not None and step.day > today:
        add("done_on", _("日期不能晚于今天"))
    low, why = earliest(n, done, s, birth_date=birth_date)
    if low is not None and step.day < low:
        add("done_on", why)
    elif done and step.day < (last := max(d.day for d in done)):
        add("done_on", _("不能早于上一步骤的日期（%(d)s）") % {"d": _fmt(last)})
    if n in NOTICE_STEPS:
        if step.notice_from is None:
            add("notice_from", _("该决定须先公示，请填写公示开始日期"))
        else:
            if step.notice_from < (max((d.day for d in done), default=step.notice_from)):
                add("notice_from", _("公示开始日期不能早于上一步骤的日期"))
            low, why = notice_end(step.notice_from, s)
            if step.day < low:
                add("done_on", why)
    high, why = _latest(n, done, s, step.special)
    if high is not None and step.day > high:
        add("done_on", why)
    if n == 5:
        lo, hi = s["mentors"]
        if not lo <= len(step.people) <= hi:
            add("people", _("须指定%(a)s至%(b)s名正式党员作为培养联系人") % {"a": lo, "b": hi})
        _full_people(add, step, _("培养联系人"))
    if n == 9:
        if len(step.people) != s["sponsors"]:
            add("people", _("须有%(n)s名正式党员作入党介绍人") % {"n": s["sponsors"]})
        _full_people(add, step, _("入党介绍人"))
    if n == 11:
        hours_ok = (step.hours or 0) >= s["training_min_hours"]
        days_ok = (step.days or 0) >= s["training_min_days"]
        if not (hours_ok or days_ok):
            add(
                "hours",
                _("集中培训须不少于%(d)s天或不少于%(h)s个学时")
                % {"d": s["training_min_days"], "h": s["training_min_hours"]},
            )
    if n in VOTE_STEPS:
        _vote(errors, step)
    if n == 17 and step.outcome not in ("approved", "cancelled"):
        add("outcome", _("请选择审批结果（同意或不同意）"))
    if n == 24:
        if step.outcome not in ("approved", "extended", "cancelled"):
            add("outcome", _("请选择审批结果"))
        if step.outcome == "extended":
            if any(d.number == 24 and d.outcome == "extended" for d in done):
                add("outcome", _("预备期只能延长一次；期满仍不具备条件的，应取消预备党员资格"))
            lo, hi = s["extension_months"]
            if step.extension_months is None or not lo <= step.extension_months <= hi:
                add(
                    "extension_months",
                    _("延长预备期不能少于%(a)s个月，不超过%(b)s个月") % {"a": lo, "b": hi},
                )
    return errors


def _full_people(add, step: Step, what: str) -> None:
    for name, status, disciplined in step.people:
        if status != "full":
            add("people", _("%(w)s“%(n)s”须是正式党员") % {"w": what, "n": name})
        elif disciplined:
            add("people", _("%(w)s“%(n)s”正在受留党察看处分") % {"w": what, "n": name})


def decision_deadline(done: list[Done], s) -> datetime.date | None:
    """When the higher committee's decision pending on this candidacy is due (admission after
    step 16, conversion after step 23), or None."""
    nxt = next_number(done)
    if nxt == 17 and (a := _last(done, 15)):
        return add_months(a.day, s["decision_months"])
    if nxt == 24 and (a := _last(done, 23)):
        return add_months(a.day, s["decision_months"])
    return None


def talk_deadline(applied_on: datetime.date, s) -> datetime.date:
    return add_months(applied_on, s["talk_within_months"])


# ---- four cultivations ---------------------------------------------------------------------

TRACK = ("leader", "member", "leader_member", "cadre", "secretary")


def track_may_move(old: str, new: str) -> bool:
    """The track goes forward, one stage or more at a time."""
    return TRACK.index(new) > TRACK.index(old)


def share(part: int, whole: int) -> str:
    """A share as "70%" (whole numbers), "—" without a base."""
    if not whole:
        return "—"
    return f"{round(100 * part / whole)}%"
