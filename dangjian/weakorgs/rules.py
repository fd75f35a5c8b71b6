"""Pure rules of weak organizations (软弱涣散, DOMAIN.md section 3): when the records show a
criterion, and the words of its evidence. No database here.

Only a sustained pattern flags an organization, never a single event: the software asks
for no photos and no check-ins, and one missed meeting or one late report-back is a slip,
not weakness. Concretely:

- secretary vacant: the post has been empty for *more than* N months (default 3);
- committee missing / term overdue: standing states of the records (health's rules);
- meetings missed: in at least 2 finished quarters of the year (a setting), each at least
  N required meetings missing (default 3, and never fewer than MIN_MISSED_IN_QUARTER = 2,
  whatever a county sets) — one bad quarter is not yet a pattern;
- report-backs: at least N report-backs due in the year (default 4, never fewer than
  MIN_REPORT_BACKS = 3) and more than half of them late or missing;
- bottom grade: the lowest grade, or last place, in the year's assessment.

- no venue: a village or community organization with no venue in the venue ledger, once
  the county keeps that ledger (a county that has entered no venue at all is not judged:
  an empty ledger says nothing about its villages);
- no development (a local addition, off unless the county sets `weakorgs.no_candidate_years`,
  usually 2): a village or community organization that has been in the tree for the
  whole window and in it nobody was admitted (the roster's joining dates)
  and nobody was listed as a candidate for development (step 7 of the development record).

The other criteria (a divided team, vote buying, clan interference …) are judged by people
and recorded by hand with a reason.
"""

from django.utils.translation import gettext as _

from dangjian.health.rules import add_months

SECRETARY_VACANT = "secretary_vacant"
COMMITTEE_MISSING = "committee_missing"
TERM_OVERDUE = "term_overdue"
MEETINGS_MISSED = "meetings_missed"
REPORTS_LATE = "reports_late"
BOTTOM_GRADE = "bottom_grade"
NO_VENUE = "no_venue"
NO_CANDIDATE = "no_candidate"
AUTO_CRITERIA = (
    SECRETARY_VACANT,
    COMMITTEE_MISSING,
    TERM_OVERDUE,
    MEETINGS_MISSED,
    REPORTS_LATE,
    BOTTOM_GRADE,
    NO_VENUE,
    NO_CANDIDATE,
)

# Floors no local setting can lower: below them a single slip would flag.
MIN_MISSED_IN_QUARTER = 2
MIN_REPORT_BACKS = 3

# Organizations that can be weak: grassroots organizations, not the leading committees
# (county, township, street) nor groups and temporary organizations.
KINDS = ("branch", "joint_branch", "general_branch", "committee")
LEADING_LEVELS = ("province", "city", "county", "township", "street")


def evidence(text: str, **facts) -> dict:
    return {"text": text, "facts": facts}


def secretary_vacant(vacant_since, as_of, months: int, *, never_held=False) -> dict | None:
    """The secretary post empty since `vacant_since` (the last secretary left, or, with
    `never_held`, the organization was set up and no secretary was ever recorded) for more
    than `months` months on `as_of`: exactly `months` months is not yet flagged, one day
    more is."""
    if vacant_since is None:
        return None
    if as_of <= add_months(vacant_since, months):
        return None
    text = (
        _("自%(since)s成立以来未登记书记，已超过%(months)s个月")
        if never_held
        else _("书记职位自%(since)s起空缺，已超过%(months)s个月")
    )
    return evidence(
        text % {"since": vacant_since.isoformat(), "months": months},
        vacant_since=vacant_since.isoformat(),
        months=months,
    )


def term_overdue(due_on, as_of) -> dict | None:
    """The term ended before `as_of` and no election is recorded since."""
    if due_on is None or due_on >= as_of:
        return None
    return evidence(
        _("本届任期已于%(due)s届满，逾期未换届") % {"due": due_on.isoformat()},
        due_on=due_on.isoformat(),
    )


def missed_threshold(setting: int) -> int:
    return max(int(setting), MIN_MISSED_IN_QUARTER)


def meetings_missed(
    missed_by_quarter: dict[int, dict[str, int]], setting: int, quarters: int = 2
) -> dict | None:
    """`missed_by_quarter` {quarter: {period: required meetings missed}} of finished
    quarters (the quarter's own row and its months'): flagged when at least `quarters`
    quarters (default 2) each miss at least the threshold in all. One missed meeting, or one
    bad quarter, never flags."""
    need = missed_threshold(setting)
    bad = {
        q: parts for q, parts in sorted(missed_by_quarter.items()) if sum(parts.values()) >= need
    }
    if len(bad) < max(int(quarters), 1):
        return None
    words = [
        _("第%(q)s季度缺开%(n)s次") % {"q": q, "n": sum(parts.values())} for q, parts in bad.items()
    ]
    return evidence(
        _("%(k)s个季度必开会议缺开%(need)s次以上：%(list)s")
        % {"k": len(bad), "need": need, "list": _("、").join(words)},
        quarters={str(q): parts for q, parts in bad.items()},
        threshold=need,
    )


def reports_threshold(setting: int) -> int:
    return max(int(setting), MIN_REPORT_BACKS)


def reports_late(due: int, late: int, setting: int, share: tuple[int, int]) -> dict | None:
    """Of `due` report-backs whose deadline fell in the year, `late` were reported after it
    or not at all: flagged when there were enough of them and more than `share` (a/b, 1/2)
    were late."""
    a, b = share
    if due < reports_threshold(setting) or late * b <= due * a:
        return None
    return evidence(
        _("本年度应报晒账单%(due)s份，逾期或未报%(late)s份") % {"due": due, "late": late},
        due=due,
        late=late,
    )


def bottom_grade(grade, grade_label, rank_from_bottom, bottom_grades) -> dict | None:
    """The lowest grade (`bottom_grades`), or the last place (rank 1 from the bottom), in the
    year's assessment."""
    if rank_from_bottom != 1 and grade not in bottom_grades:
        return None
    if rank_from_bottom == 1:
        text = _("年度考核排名末位（等次：%(grade)s）") % {"grade": grade_label}
    else:
        text = _("年度考核等次为%(grade)s") % {"grade": grade_label}
    return evidence(text, grade=grade, rank_from_bottom=rank_from_bottom)


def no_venue() -> dict:
    return evidence(_("村级活动场所台账中没有本村（社区）的活动场所"))


def no_candidate(last_admitted, last_listed, in_tree_since, as_of, years: int) -> dict | None:
    """Nobody admitted (`last_admitted`, the latest joining date of its members) and nobody
    listed as a candidate (`last_listed`, the latest step 7) within the `years` before
    `as_of`, by an organization in the tree since `in_tree_since`: exactly `years` years
    since the last one is not yet flagged, one day more is; an organization younger than
    the window is not judged. `years` 0 turns the criterion off."""
    if years <= 0:
        return None
    start = add_months(as_of, -12 * years)
    if in_tree_since is None or in_tree_since > start:
        return None
    last = max([d for d in (last_admitted, last_listed) if d], default=None)
    if last is not None and last >= start:
        return None
    if last is None:
        text = _("%(years)s年以上未发展党员（没有入党日期或列为发展对象的记录）") % {"years": years}
    else:
        text = _("%(years)s年以上未发展党员（最近一次：%(last)s）") % {
            "years": years,
            "last": last.isoformat(),
        }
    return evidence(
        text,
        years=years,
        last_admitted=last_admitted.isoformat() if last_admitted else None,
        last_listed=last_listed.isoformat() if last_listed else None,
    )


def as_of(year: int, today):
    """The day a year's records are judged on: today during the year, its last day after."""
    import datetime

    return min(today, datetime.date(year, 12, 31))


def share_of(weak: int, total: int) -> float | None:
    return weak / total if total else None


def within_share(weak: int, total: int, share: tuple[int, int]) -> str:
    """ "below", "within" or "above" the share [low %, high %] of village organizations a
    county singles out a year (5–10%)."""
    low, high = share
    if not total or weak * 100 < low * total:
        return "below"
    if weak * 100 > high * total:
        return "above"
    return "within"
