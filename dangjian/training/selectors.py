"""Reads of training: what a user may see, answered once here."""

from django.db.models import Count, Q

from dangjian.accounts.scoping import get_visible_or_404, org_q, self_q
from dangjian.core.periods import Period
from dangjian.members.models import Member

from . import figures
from .models import Attendance, MemberYear, Session


def visible_sessions(user):
    return Session.objects.filter(org_q(user, "organization__")).select_related(
        "organization", "base"
    )


def find_session(user, pk) -> Session:
    return get_visible_or_404(visible_sessions(user), pk=pk)


def visible_member_years(user):
    return MemberYear.objects.filter(
        org_q(user, "organization__") | self_q(user, "member__")
    ).select_related("member", "organization")


def member_hours(org, year: int, *, below_only=False):
    """The county's hours page: every active member of `org`'s subtree with their hours of
    `year` (0 when none), one query over members LEFT JOIN their MemberYear row. Ordered by
    organization path then name (never by hours: no ranking of people)."""
    qs = (
        Member.objects.active()
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "name_pinyin", "id")
    )
    rows = MemberYear.objects.filter(year=year, member__organization__path__startswith=org.path)
    if below_only:
        met = rows.filter(met=True).values("member_id")
        qs = qs.exclude(pk__in=met)
    return qs


def years_of(member_ids, year: int) -> dict[int, MemberYear]:
    return {r.member_id: r for r in MemberYear.objects.filter(member_id__in=member_ids, year=year)}


def _from_rows(org, period: Period) -> dict:
    """Sessions and person-times of a quarter or month, counted from the rows."""
    sessions = Session.objects.filter(
        organization__path__startswith=org.path, starts_on__range=(period.start, period.end)
    ).aggregate(n=Count("id"), lectures=Count("id", filter=Q(is_lecture=True)))
    person_times = Attendance.objects.filter(
        organization__path__startswith=org.path,
        session__starts_on__range=(period.start, period.end),
    ).count()
    return {"sessions": sessions["n"], "person_times": person_times}


def training_figures(org, period: Period) -> dict:
    """The stats keys of training over `org`'s subtree in `period`: each count is the sum
    over the child organizations plus the organization's own records. A year's come from
    the roll-ups; a quarter's or month's sessions and person-times from the rows (members
    below the minimum are a yearly count: that of the period's year)."""
    f = figures.summary(figures.year_figures(org, period.year), period.year)
    counts = (
        {"sessions": f["sessions"], "person_times": f["person_times"]}
        if period.kind == "year"
        else _from_rows(org, period)
    )
    return {
        "training_sessions": counts["sessions"],
        "training_person_times": counts["person_times"],
        "members_below_training_minimum": f["below"],
    }
