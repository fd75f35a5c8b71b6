"""Pure rules of serving the public (no database): completion rates of pledges, what a
concern needs to be closed, when something is due or overdue, a service record's bounds.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_HOURS = Decimal("24")
MAX_PEOPLE = 100_000


@dataclass(frozen=True)
class Completion:
    """Pledges made and done: the rate is done / made, from counts summed over a subtree
    (never an average of the children's rates)."""

    made: int
    done: int

    @property
    def rate(self) -> float | None:
        return self.done / self.made if self.made else None

    @property
    def percent(self) -> str:
        """“86.2%” (one decimal), or “—” when nothing was pledged."""
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    def __add__(self, other: "Completion") -> "Completion":
        return Completion(self.made + other.made, self.done + other.done)


def close_pledge_problems(done: bool, evidence: str, reason: str) -> dict[str, str]:
    """A pledge is closed as done with its evidence, or as not done with the reason."""
    if done and not (evidence or "").strip():
        return {"evidence": _("标为已兑现时请写明兑现情况")}
    if not done and not (reason or "").strip():
        return {"reason": _("标为未兑现时请写明原因")}
    return {}


def close_concern_problems(outcome: str, closed_on, raised_on, today) -> dict[str, str]:
    """A concern cannot be closed without its outcome, nor on a date before it was raised
    or after today."""
    problems = {}
    if not (outcome or "").strip():
        problems["outcome"] = _("办结前请填写办理结果，没有结果的民情事项不能办结")
    if closed_on is None:
        problems["closed_on"] = _("请填写办结日期")
    elif closed_on < raised_on:
        problems["closed_on"] = _("办结日期不能早于反映日期（%(d)s）") % {"d": raised_on}
    elif closed_on > today:
        problems["closed_on"] = _("办结日期不能晚于今天")
    return problems


def due_badge(due_on: datetime.date, today: datetime.date, soon_days: int) -> str:
    """ "late" past the deadline, "due" within `soon_days` of it, else ""."""
    if due_on < today:
        return "late"
    if (due_on - today).days <= soon_days:
        return "due"
    return ""


def record_problems(hours, people_served, served_on, claimed_on, today) -> dict[str, str]:
    """A service record's bounds: 0 < hours ≤ 24, a head count, a date between the claim
    and today."""
    problems = {}
    if hours is None or hours <= 0 or hours > MAX_HOURS:
        problems["hours"] = _("服务时长应大于0且不超过24小时")
    if people_served is None or people_served < 0 or people_served > MAX_PEOPLE:
        problems["people_served"] = _("服务群众人数应为0至100000之间的整数")
    if served_on is None:
        problems["served_on"] = _("请填写服务日期")
    elif served_on > today:
        problems["served_on"] = _("服务日期不能晚于今天")
    elif served_on < claimed_on:
        problems["served_on"] = _("服务日期不能早于认领岗位的日期（%(d)s）") % {"d": claimed_on}
    return problems


def term_problems(starts_on, ends_on, extended_to) -> dict[str, str]:
    problems = {}
    if starts_on and ends_on and ends_on <= starts_on:
        problems["ends_on"] = _("任期结束应晚于任期开始")
    if extended_to and ends_on and extended_to <= ends_on:
        problems["extended_to"] = _("延期至的日期应晚于原任期结束")
    return problems
