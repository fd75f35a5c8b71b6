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


# ---- pages: courses, a member's year, the hours page, coverage -------------------------------


def _ancestor_q(user, prefix: str = "organization__") -> Q:
    """Records hanging on an organization at or above one of the user's."""
    from dangjian.accounts.scoping import managed_paths, member_org_paths
    from dangjian.orgs.models import Organization

    paths = set(managed_paths(user)) | set(member_org_paths(user))
    step = Organization.steplen
    above = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
    return Q(**{f"{prefix}path__in": sorted(above)})


def visible_courses(user):
    """Published courses of an organization at or above the user's, and every course of an
    organization the user manages."""
    from dangjian.accounts.scoping import is_unrestricted, managed_q

    from .models import Course

    qs = Course.objects.select_related("organization")
    if is_unrestricted(user):
        return qs
    return qs.filter((Q(is_published=True) & _ancestor_q(user)) | managed_q(user, "organization__"))


def find_course(user, pk):
    return get_visible_or_404(visible_courses(user).prefetch_related("files"), pk=pk)


def my_year(member, year: int) -> dict:
    """我的学习: hours of the year against the minimum, the sessions and passes behind them."""
    from dangjian.core import config

    from . import rules
    from .models import CourseCompletion

    row = MemberYear.objects.filter(member=member, year=year).first()
    org = member.organization
    required = row.required if row else config.get(org, "training.member_min_hours")
    status = rules.YearStatus(
        hours=row.hours if row else rules.q(0),
        required=required,
        is_officer=bool(row and row.is_officer),
        is_secretary=bool(row and row.is_secretary),
        concentrated=bool(row and row.concentrated),
        county_course=bool(row and row.county_course),
    )
    lines = []
    attendances = (
        Attendance.objects.filter(member=member, year__in=(year - 1, year))
        .select_related("session")
        .order_by("-session__starts_on")
    )
    for a in attendances:
        part = rules.split_hours(a.session.starts_on, a.session.ends_on, a.hours).get(year)
        if part is not None:
            lines.append((a.session, part))
    passes = CourseCompletion.objects.filter(member=member, passed_on__year=year)
    return {"status": status, "sessions": lines, "passes": list(passes.select_related("course"))}


def courses_for(user, member):
    """Published courses open to the member, each marked passed or not."""
    from .models import CourseCompletion

    done = set(CourseCompletion.objects.filter(member=member).values_list("course_id", flat=True))
    courses = list(visible_courses(user).filter(is_published=True))
    for c in courses:
        c.passed = c.pk in done
    return courses


def attach_years(members, year: int, member_min: int) -> list:
    """The page's (or export's) members, each with their year's hours (0 without a row)."""
    members = list(members)
    rows = years_of([m.pk for m in members], year)
    for m in members:
        r = rows.get(m.pk)
        m.training_hours = r.hours if r else 0
        m.training_required = r.required if r else member_min
        m.training_sessions = r.sessions if r else 0
        m.training_courses = r.courses if r else 0
        m.training_met = bool(r and r.met)
    return members


def coverage(org, year: int) -> dict:
    """Members trained at least once and villages with at least one Party lecture in the
    year, of `org` and of each child (drill-down), from the roll-ups and one read of the
    lectures."""
    from dangjian.orgs.models import Level, Organization

    children = list(
        Organization.objects.active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .order_by("path")
    )
    figs = figures.of_many([org, *children], year)
    lectured = set(
        Session.objects.filter(
            is_lecture=True, starts_on__year=year, organization__path__startswith=org.path
        ).values_list("organization__path", flat=True)
    )
    villages = list(
        Organization.objects.active()
        .filter(path__startswith=org.path, level=Level.VILLAGE, kind="branch")
        .values_list("path", flat=True)
    )

    def line(o):
        s = figures.summary(figs[o.pk], year)
        mine = [v for v in villages if v.startswith(o.path)]
        s["org"] = o
        s["villages"] = len(mine)
        s["villages_lectured"] = sum(1 for v in mine if any(p.startswith(v) for p in lectured))
        s["trained_percent"] = f"{100 * s['trained'] / s['members']:.1f}%" if s["members"] else "—"
        return s

    return {"total": line(org), "children": [line(c) for c in children]}
