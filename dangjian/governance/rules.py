"""The rules of village governance, without the database (DOMAIN.md section 3).

Four deliberations, two disclosures (四议两公开) for a village's major matter:
1. the village Party organization proposes; 2. the joint meeting of the two committees
deliberates; 3. the members' assembly reviews (local rule: ≥ 2/3 present, passes with yes
from more than half of those due); 4. the villagers' assembly or representative assembly
resolves (Villagers' Committee Law: representatives ≥ 2/3 present, more than half of those
present agree; villagers' assembly: more than half of the adults, or representatives of
≥ 2/3 of the households, present, more than half of those present agree); 5. the resolution
is disclosed; 6. the result of carrying it out is disclosed. No step may be skipped or
taken out of order; a vote without quorum is refused; a vote that fails ends the matter.

Office hours (坐班制, seed 004): the service station is staffed Monday to Friday for at least
a set number of hours a day; weekends and holidays by rotation.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROPOSAL, JOINT_MEETING, MEMBERS_ASSEMBLY, VILLAGERS_ASSEMBLY, RESOLUTION, RESULT = range(1, 7)
STEPS = (PROPOSAL, JOINT_MEETING, MEMBERS_ASSEMBLY, VILLAGERS_ASSEMBLY, RESOLUTION, RESULT)
STEP_LABELS = {
    PROPOSAL: gettext_lazy("村党组织提议"),
    JOINT_MEETING: gettext_lazy("村“两委”联席会议商议"),
    MEMBERS_ASSEMBLY: gettext_lazy("党员大会审议"),
    VILLAGERS_ASSEMBLY: gettext_lazy("村民会议或村民代表会议决议"),
    RESOLUTION: gettext_lazy("决议公开"),
    RESULT: gettext_lazy("实施结果公开"),
}
MEETINGS = (JOINT_MEETING, MEMBERS_ASSEMBLY, VILLAGERS_ASSEMBLY)  # the steps that vote
DISCLOSURES = (RESOLUTION, RESULT)

REPRESENTATIVES, VILLAGERS = "representatives", "villagers"

# National and local defaults, each a county setting (core.config, "governance.*").
DEFAULTS = {
    "joint_quorum": [1, 2],  # more than half of the two committees present
    "members_quorum": [2, 3],  # at least 2/3 of the members due present
    "representatives_quorum": [2, 3],
    "villagers_quorum": [1, 2],  # more than half of the adult villagers
    "households_quorum": [2, 3],  # or representatives of at least 2/3 of the households
}


@dataclass
class Vote:
    """A meeting's count: those due to attend, present, and yes votes; for a villagers'
    assembly also the households due and represented (either quorum will do)."""

    due: int
    present: int
    yes: int
    no: int = 0
    abstain: int = 0
    households_due: int = 0
    households_present: int = 0


def _at_least(n: int, share) -> bool:
    return Fraction(n) >= Fraction(*share)


def _more_than(n: int, share) -> bool:
    return Fraction(n) > Fraction(*share)


def next_step(done: list[int], rejected: bool) -> int | None:
    """The step a matter may take now: the one after the last done, none once a vote has
    failed or the result is disclosed."""
    if rejected:
        return None
    last = max(done, default=0)
    return last + 1 if last < RESULT else None


def check_order(step: int, done: list[int], rejected: bool) -> str | None:
    """Why `step` may not be taken now (skipped, repeated, after a failed vote), or None."""
    if step not in STEPS:
        return _("没有第%(n)s步") % {"n": step}
    if rejected:
        return _("该事项已在表决中未获通过，不能继续办理")
    expected = next_step(done, rejected)
    if step in done:
        return _("“%(step)s”已经登记过") % {"step": STEP_LABELS[step]}
    if expected is None or step != expected:
        return _("须先完成“%(step)s”，不能跳过或颠倒步骤") % {"step": STEP_LABELS[expected]}
    return None


def check_date(day, previous_day, today) -> str | None:
    if day is None:
        return _("请填写日期")
    if day > today:
        return _("日期不能晚于今天")
    if previous_day is not None and day < previous_day:
        return _("日期不能早于上一步（%(day)s）") % {"day": previous_day}
    return None


def check_counts(vote: Vote) -> list[tuple[str, str]]:
    """(field, message) for counts that cannot be: negative, more present than due, more
    votes than present."""
    errors = []
    for field in ("due", "present", "yes", "no", "abstain", "households_due", "households_present"):
        if getattr(vote, field) < 0:
            errors.append((field, _("人数不能为负数")))
    if errors:
        return errors
    if vote.due == 0:
        errors.append(("due", _("请填写应到人数")))
    if vote.present > vote.due:
        errors.append(("present", _("实到人数不能多于应到人数")))
    if vote.yes + vote.no + vote.abstain > vote.present:
        errors.append(("yes", _("赞成、反对、弃权票合计不能多于实到人数")))
    if vote.households_present > vote.households_due:
        errors.append(("households_present", _("到会户数不能多于总户数")))
    return errors


def quorum(step: int, vote: Vote, body: str, settings=DEFAULTS) -> tuple[bool, str]:
    """(quorum present?, the rule as a sentence) for a vote of `step`."""
    if step == JOINT_MEETING:
        share = settings["joint_quorum"]
        ok = _more_than(vote.present, (vote.due * share[0], share[1]))
        return ok, _("两委成员过半数到会")
    if step == MEMBERS_ASSEMBLY:
        share = settings["members_quorum"]
        ok = _at_least(vote.present, (vote.due * share[0], share[1]))
        return ok, _("应到党员的%(a)s/%(b)s以上到会") % {"a": share[0], "b": share[1]}
    if body == REPRESENTATIVES:
        share = settings["representatives_quorum"]
        ok = _at_least(vote.present, (vote.due * share[0], share[1]))
        return ok, _("村民代表的%(a)s/%(b)s以上到会") % {"a": share[0], "b": share[1]}
    people, homes = settings["villagers_quorum"], settings["households_quorum"]
    ok = _more_than(vote.present, (vote.due * people[0], people[1])) or (
        vote.households_due > 0
        and _at_least(vote.households_present, (vote.households_due * homes[0], homes[1]))
    )
    return ok, _("本村十八周岁以上村民过半数，或本村三分之二以上的户的代表到会")


def passes(step: int, vote: Vote) -> tuple[bool, str]:
    """(passed?, the rule as a sentence): the members' assembly by more than half of those
    due, the other meetings by more than half of those present."""
    if step == MEMBERS_ASSEMBLY:
        return 2 * vote.yes > vote.due, _("赞成票超过应到党员的半数")
    return 2 * vote.yes > vote.present, _("赞成票超过到会人数的半数")


# ---- office hours -------------------------------------------------------------------------

WEEKDAY_LABELS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def hours_staffed(intervals) -> float:
    """Hours the station is staffed in a day: the union of the people's (start, end) times,
    so two cadres sitting together count once."""
    spans = sorted((s, e) for s, e in intervals if e > s)
    total, current = 0.0, None
    for start, end in spans:
        s, e = _minutes(start), _minutes(end)
        if current and s <= current[1]:
            current[1] = max(current[1], e)
            continue
        if current:
            total += current[1] - current[0]
        current = [s, e]
    if current:
        total += current[1] - current[0]
    return total / 60


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def is_holiday(day: datetime.date, holidays, workdays=()) -> bool:
    """Weekends and the county's holidays, except the make-up workdays (调休上班)."""
    if day in workdays:
        return False
    return day.weekday() >= 5 or day in holidays


def short_weekdays(weekly: dict[int, list], min_hours: float) -> list[tuple[int, float]]:
    """(weekday 0–4, hours) for each of Monday to Friday staffed fewer than `min_hours`."""
    out = []
    for weekday in range(5):
        hours = hours_staffed(weekly.get(weekday, []))
        if hours < min_hours:
            out.append((weekday, hours))
    return out
