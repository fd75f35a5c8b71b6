"""Pure rules of training (no database): class hours and the yearly minimum (Education
Regulations 2019, DOMAIN.md section 3), how a session's hours fall into years, a session's
and an attendance's bounds, and the quiz of an online course.

Year boundaries (decided here, tested in tests/test_rules.py): a one-day session counts
wholly in the year of its date. A session with a start and an end date that spans New Year
is split by days: each year gets the share of the credited hours of the session's days that
fall in it (to 0.1 hour, the later year takes the rounding rest, so the parts add up to the
whole). Sessions and person-times are counted in the year the session starts.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TENTH = Decimal("0.1")
MAX_SPAN_DAYS = 92  # a class longer than a quarter is recorded as several sessions
MAX_TEXT = 200


def q(value) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


# ---- hours -------------------------------------------------------------------------------


def required_hours(is_officer: bool, member_min: int, officer_min: int) -> int:
    """The yearly minimum: every member ≥ member_min (32); grassroots secretaries and
    committee members ≥ officer_min (56)."""
    return officer_min if is_officer else member_min


def day_hours(full_days: int, half_days: int = 0, full: int = 8, half: int = 4) -> Decimal:
    """Class hours by the counting convention: a full day = 8, a half day = 4."""
    return Decimal(full * full_days + half * half_days)


def days_of(starts_on: datetime.date, ends_on: datetime.date | None) -> int:
    return ((ends_on or starts_on) - starts_on).days + 1


def split_hours(
    starts_on: datetime.date, ends_on: datetime.date | None, hours
) -> dict[int, Decimal]:
    """{year: hours} of an attendance: all in the year of a one-day (or one-year) session;
    split by days across New Year."""
    hours = q(hours)
    ends_on = ends_on or starts_on
    if ends_on.year == starts_on.year:
        return {starts_on.year: hours}
    total = days_of(starts_on, ends_on)
    out, given = {}, Decimal(0)
    for year in range(starts_on.year, ends_on.year + 1):
        first = max(starts_on, datetime.date(year, 1, 1))
        last = min(ends_on, datetime.date(year, 12, 31))
        if year == ends_on.year:
            out[year] = hours - given
        else:
            part = q(hours * days_of(first, last) / total)
            out[year] = part
            given += part
    return out


@dataclass(frozen=True)
class YearStatus:
    """A member's year: hours credited against the minimum, and for officers the course
    requirements (≥ 1 concentrated course; a secretary ≥ 1 course at county level or
    above)."""

    hours: Decimal
    required: int
    is_officer: bool = False
    is_secretary: bool = False
    concentrated: bool = False
    county_course: bool = False

    @property
    def met(self) -> bool:
        return self.hours >= self.required

    @property
    def short(self) -> Decimal:
        return max(Decimal(0), Decimal(self.required) - self.hours)

    @property
    def missing(self) -> list[str]:
        out = []
        if not self.met:
            out.append(_("学时不足（%(h)s/%(r)s）") % {"h": self.hours, "r": self.required})
        if self.is_officer and not self.concentrated:
            out.append(_("未参加集中培训"))
        if self.is_secretary and not self.county_course:
            out.append(_("未参加县级以上培训"))
        return out


def months_after(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def trained_in_time(since: datetime.date, months: int, trained_on) -> bool:
    """Was there a training (dates `trained_on`) from `since` to `months` months after it?
    New secretaries within 6 months of taking office; new members during probation or
    within a year of full membership (`since` = joined_on, months = probation + 12)."""
    until = months_after(since, months)
    return any(since <= day <= until for day in trained_on)


def new_member_deadline(joined_on, full_on, months: int) -> datetime.date:
    """A new member's course is due by `months` after full membership (or, still on
    probation, after a year's probation)."""
    return months_after(full_on or months_after(joined_on, 12), months)


# ---- bounds ------------------------------------------------------------------------------


def session_problems(
    *, starts_on, ends_on, hours, today, full_day_hours: int = 8
) -> dict[str, str]:
    """A session's dates and hours: held by today, ends on or after it starts, at most a
    quarter long; 0 < hours ≤ full days × its days (a full day = 8 class hours)."""
    problems = {}
    if starts_on is None:
        problems["starts_on"] = _("请填写培训日期")
    elif starts_on > today:
        problems["starts_on"] = _("培训日期不能晚于今天（只登记已举办的培训）")
    if starts_on and ends_on:
        if ends_on < starts_on:
            problems["ends_on"] = _("结束日期不能早于开始日期")
        elif ends_on > today:
            problems["ends_on"] = _("结束日期不能晚于今天")
        elif days_of(starts_on, ends_on) > MAX_SPAN_DAYS:
            problems["ends_on"] = _("一期培训不能超过%(n)s天，请分期登记") % {"n": MAX_SPAN_DAYS}
    if hours is None:
        problems["hours"] = _("请填写学时")
    elif hours <= 0:
        problems["hours"] = _("学时应大于0")
    elif starts_on and "ends_on" not in problems:
        top = full_day_hours * days_of(starts_on, ends_on)
        if hours > top:
            problems["hours"] = _("学时不能超过%(top)s（每天最多%(day)s学时，共%(n)s天）") % {
                "top": top,
                "day": full_day_hours,
                "n": days_of(starts_on, ends_on),
            }
    elif hours != q(hours):
        problems["hours"] = _("学时最多保留一位小数")
    return problems


def attendance_hours_problem(hours, session_hours) -> str:
    """An attendee is credited between 0 (excluded) and the session's hours."""
    if hours is None or hours <= 0:
        return _("认定学时应大于0")
    if hours > session_hours:
        return _("认定学时不能超过本次培训的学时（%(h)s）") % {"h": session_hours}
    return ""


# ---- the quiz ----------------------------------------------------------------------------


def draw(question_ids, n: int, seed) -> list[int]:
    """`n` questions of the bank, in a random order (the whole bank if it is smaller)."""
    ids = sorted(question_ids)
    rng = random.Random(seed)
    return rng.sample(ids, min(n, len(ids)))


def grade(answers: dict, key: dict) -> int:
    """How many of the drawn questions (`key`: {question id: right choice}) were answered
    right (`answers`: {question id: chosen index})."""
    return sum(1 for qid, right in key.items() if answers.get(qid) == right)


def passed(correct: int, total: int, share) -> bool:
    """At least `share` [a, b] of the questions right (4 of 5 by default)."""
    a, b = share
    return total > 0 and correct * b >= a * total


def score(correct: int, total: int) -> int:
    return round(100 * correct / total) if total else 0


def question_problems(text: str, choices: list, answer) -> dict[str, str]:
    problems = {}
    if not (text or "").strip():
        problems["text"] = _("请填写题目")
    elif len(text) > 500:
        problems["text"] = _("题目不能超过500字")
    clean = [c for c in choices if (c or "").strip()]
    if len(clean) < 2:
        problems["choices"] = _("至少需要两个选项")
    elif len(clean) > 6:
        problems["choices"] = _("最多六个选项")
    elif any(len(c) > 200 for c in clean):
        problems["choices"] = _("每个选项不能超过200字")
    if answer is None or not isinstance(answer, int) or not 0 <= answer < max(len(clean), 1):
        problems["answer"] = _("请选择正确答案（所填选项之一）")
    return problems
