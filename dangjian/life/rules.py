"""Pure rules of organizational life (DOMAIN.md section 3). No database here."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from dangjian.core.periods import Period

BRANCH_LIKE = frozenset({"branch", "joint_branch", "general_branch", "temporary"})
# Leadership bodies: the leadership life meeting (民主生活会) is held by committees only.
COMMITTEE_KINDS = frozenset({"committee", "working_committee"})
LEADERSHIP_KINDS = ("leadership_life_meeting",)
# Meetings that review a year (组织生活会, 民主生活会): often held in January–February of the
# next year, they belong to the year they review.
YEARLY_KINDS = frozenset({"life_meeting", "leadership_life_meeting"})

# Which meetings each kind of organization holds (DOMAIN.md glossary and section 3):
# branches (and general, joint and temporary branches) the three meetings and one lecture of
# a branch, theme days and the organizational life meeting; a group only its group meeting;
# a grassroots committee its members' assembly, committee meeting, Party lectures and the
# leadership life meeting; a working committee (appointed, not elected by an assembly) the
# same without the assembly.
_BRANCH_MEETINGS = frozenset(
    {"branch_assembly", "committee_meeting", "party_lecture", "theme_day", "life_meeting"}
)
KINDS_BY_ORG_KIND = {
    "branch": _BRANCH_MEETINGS,
    "joint_branch": _BRANCH_MEETINGS,
    "general_branch": _BRANCH_MEETINGS,
    "temporary": _BRANCH_MEETINGS,
    "group": frozenset({"group_meeting"}),
    "committee": frozenset(
        {"members_assembly", "committee_session", "party_lecture", "leadership_life_meeting"}
    ),
    "working_committee": frozenset(
        {"committee_session", "party_lecture", "leadership_life_meeting"}
    ),
}
# Meetings of all the organization's members: one record may count as several of them (a
# theme day that is also the month's assembly and Party lecture). A committee meeting, group
# meeting or leadership life meeting has its own attendees and is recorded on its own.
COMBINABLE_KINDS = frozenset(
    {"branch_assembly", "members_assembly", "party_lecture", "theme_day", "life_meeting"}
)


def fits(meeting_kind: str, org_kind: str) -> bool:
    """May an organization of `org_kind` hold a meeting of `meeting_kind`?"""
    return meeting_kind in KINDS_BY_ORG_KIND.get(org_kind, ())


def combinable(kinds) -> bool:
    """May one record carry all of `kinds`? One kind always; several only if all are
    meetings of the whole membership."""
    kinds = set(kinds)
    return len(kinds) <= 1 or kinds <= COMBINABLE_KINDS


# Held but not required: a committee's Party lectures (the quarterly lecture is a branch's;
# each secretary's yearly lecture is checked on its own, see secretary_lecture_status).
OPTIONAL_KINDS = {"committee": {"party_lecture"}, "working_committee": {"party_lecture"}}


def applies(meeting_kind: str, org_kind: str, full_members: int, committee_threshold: int) -> bool:
    """Is a meeting of `meeting_kind` required of the organization (given the requirements
    set in "life.requirements")? Only kinds that fit it; a branch's committee meeting only
    where it has a committee (≥ "setup.branch_committee_min_full_members" full members)."""
    if not fits(meeting_kind, org_kind) or meeting_kind in OPTIONAL_KINDS.get(org_kind, ()):
        return False
    if meeting_kind == "committee_meeting":
        return full_members >= committee_threshold
    return True


_ORDER = {"month": 0, "quarter": 1, "year": 2}


def slots(period: Period, per: str) -> list[Period]:
    """The sub-periods of granularity `per` inside `period` (none if `per` is coarser)."""
    if _ORDER[per] > _ORDER[period.kind]:
        return []
    if per == period.kind:
        return [period]
    if per == "quarter":
        return [Period(period.year, quarter=q) for q in range(1, 5)]
    months = range(period.start.month, period.end.month + 1)
    return [Period(period.year, month=m) for m in months]


DONE, LATE, MISSING, PENDING = "done", "late", "missing", "pending"
# The one vocabulary of a period's meeting status, for pages (translated) and exports (as is):
# 已开 held on time, 补录 recorded late, 未开 the period passed without it, 待开 still open.
STATUS_WORDS = {
    DONE: gettext_noop("已开"),
    LATE: gettext_noop("补录"),
    MISSING: gettext_noop("未开"),
    PENDING: gettext_noop("待开"),
}


def slot_status(
    held: list[tuple[datetime.date, datetime.date]],
    slot: Period,
    count: int,
    today: datetime.date,
    grace_days: int,
) -> str:
    """Status of one required slot, from the (held_on, recorded_on) of meetings in it.

    done: enough meetings held in the slot and recorded within the grace days after it;
    late: enough held, but only counting ones recorded after the grace days;
    missing: the slot is over and not enough were held; pending: the slot is not over yet.
    """
    inside = [(h, r) for h, r in held if slot.contains(h)]
    deadline = slot.end + datetime.timedelta(days=grace_days)
    on_time = [1 for _, recorded in inside if recorded <= deadline]
    if len(on_time) >= count:
        return DONE
    if len(inside) >= count:
        return LATE
    return MISSING if slot.end < today else PENDING


def yearly_status(done: int, year: int, today: datetime.date, grace_days: int) -> str:
    """Status of a once-a-year duty (a secretary's Party lecture): done once done; while the
    year and its grace days still run, pending ("not yet"), not missing."""
    if done:
        return DONE
    return (
        MISSING
        if datetime.date(year, 12, 31) + datetime.timedelta(days=grace_days) < today
        else PENDING
    )


@dataclass
class Tally:
    """Counts of required slots; rates are computed from the summed counts."""

    done: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    def add(self, status: str, n: int = 1):
        setattr(self, status, getattr(self, status) + n)

    def __iadd__(self, other: "Tally"):
        for f in ("done", "late", "missing", "pending"):
            self.add(f, getattr(other, f))
        return self

    @property
    def due(self) -> int:
        """Slots that count: those over, and those already met early."""
        return self.done + self.late + self.missing

    @property
    def rate(self) -> float | None:
        """Share of the slots that count which were met: a finished period's figure. Not
        rounded here: a page rounds once, when it shows the rate."""
        return (self.done + self.late) / self.due if self.due else None

    @property
    def held(self) -> int:
        return self.done + self.late

    @property
    def required(self) -> int:
        """Every slot of the period, over or not: the whole period's obligation."""
        return self.due + self.pending

    @property
    def progress(self) -> float | None:
        """Of an unfinished period: meetings held against the whole period's obligation."""
        return self.held / self.required if self.required else None

    def as_dict(self):
        return {
            "done": self.done,
            "late": self.late,
            "missing": self.missing,
            "pending": self.pending,
            "rate": self.rate,
        }


def attendance_rate(present: int, leave: int, absent: int) -> float | None:
    total = present + leave + absent
    return present / total if total else None


def excellent_cap(graded: int, share: tuple[int, int]) -> int:
    """How many of `graded` members may be rated 优秀 (≤ 1/3 by default)."""
    num, den = share
    return graded * num // den


LOWER_GRADES_FOLLOW_UPS = {
    # Section 3 / regulation: lower grades are followed up; 不合格 ends in a time-limited
    # correction, persuasion to leave, or removal.
    "basically_qualified": {"education", "rectify"},
    "unqualified": {"rectify", "persuade_to_leave", "remove"},
}


def review_year(today) -> int:
    """The year a review page or list opens on: the review of a year is held early in the
    next, so until March it is last year's."""
    return today.year - 1 if today.month <= 3 else today.year


def default_review_year(kind: str, held_on: datetime.date) -> int | None:
    """The year a yearly meeting reviews unless told otherwise: the previous year when held
    in January–February, else its own year; None for the other kinds."""
    if kind not in YEARLY_KINDS:
        return None
    return held_on.year - 1 if held_on.month <= 2 else held_on.year


def review_year_allowed(held_on: datetime.date, year: int) -> bool:
    """A yearly meeting reviews the year it is held in or the year before."""
    return year in (held_on.year - 1, held_on.year)


def counted_on(
    held_on: datetime.date, recorded: datetime.date, review_year: int | None
) -> tuple[datetime.date, datetime.date]:
    """(held, recorded) as compliance sees them: a meeting reviewing an earlier year counts
    on the last day of that year, its recording shifted by as much (so a meeting recorded
    within the grace days after it was held is on time)."""
    if review_year is None or review_year == held_on.year:
        return held_on, recorded
    counted = datetime.date(review_year, 12, 31)
    if recorded == datetime.date.max:
        return counted, recorded
    return counted, recorded - (held_on - counted)


# Meetings that need a quorum (DOMAIN.md section 3): a members' assembly more than half of the
# members with voting rights (full members), a committee meeting more than half of the
# committee. A record that also counts as another kind (a theme day that is also the
# assembly) counts as that other kind whatever the quorum. Elections have their own quorum (elections app).
QUORUM_KINDS = frozenset(
    {"branch_assembly", "members_assembly", "committee_meeting", "committee_session"}
)
# Of those, the ones whose due are the committee (current officers), not the full members.
COMMITTEE_QUORUM_KINDS = frozenset({"committee_meeting", "committee_session"})


def quorate(due: int | None, present: int | None) -> bool:
    """More than half of those due present. Unknown (no one due on record) is not judged."""
    if not due:
        return True
    return (present or 0) * 2 > due


def late_entry_deadline(held_on: datetime.date, per: str, days: int) -> datetime.date:
    """The last day a meeting held on `held_on` may be entered without approval: `days`
    after the end of the period (month, quarter or year) its kind is required in."""
    if per == "month":
        period = Period.month_of(held_on)
    elif per == "quarter":
        period = Period.quarter_of(held_on)
    else:
        period = Period(held_on.year)
    return period.end + datetime.timedelta(days=days)


def counts(late_entry: bool, approved: bool, late_entries_count: bool) -> bool:
    """Does a meeting count toward compliance? A late entry only once approved, and only
    where the setting lets approved late entries count."""
    return not late_entry or (approved and late_entries_count)
