"""Reads of organizational life: which meetings, attendance rows, attachments, reviews,
talks, leaders and compliance figures a user may see.

Every question "which of these may this user see" is answered here, once per model; the
pages (`life.views`), the .xlsx exports, the API (`life.api`) and the reminder list all call
these, so the three read paths of a list show the same records. Anything outside the
user's subtree is never fetched; a direct lookup of it is a 404.
"""

from collections import defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from dangjian.accounts.scoping import (
    covers,
    get_visible_or_404,
    managed_q,
    member_org_paths,
    org_q,
    self_q,
)
from dangjian.core.forms import normalize_code
from dangjian.core.models import Reminder
from dangjian.core.periods import Period
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, Sector
from dangjian.orgs.selectors import visible_orgs

from . import rules, services
from .models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    Grade,
    Leader,
    Meeting,
    MeetingKind,
    MissedMeetings,
    PlannedMeeting,
    Review,
    Talk,
)

# ---- organizations --------------------------------------------------------------------------


def org_for(user, code):
    """The organization of `code` (typed in any case), visible to `user` or 404."""
    return get_visible_or_404(visible_orgs(user), code=normalize_code(code))


def can_record(user, org) -> bool:
    """May `user` record meetings, reviews and talks for `org` (and void its meetings)?"""
    return user.has_perm("life.record", org) and not org.is_dissolved


def visible_org_ids(user, org):
    """A predicate: may `user` see organization id x under `org`? (one query at most)"""
    if covers(user, org):
        return lambda _id: True
    ids = set(visible_orgs(user).filter(path__startswith=org.path).values_list("pk", flat=True))
    return ids.__contains__


# ---- meetings -------------------------------------------------------------------------------


def visible_meetings(user):
    """Meetings of the organizations `user` may see (voided ones included)."""
    return Meeting.objects.filter(org_q(user, "organization__"))


def _count(rows):
    """The number of `rows` (attendance or attachments) of the outer meeting."""
    counted = (
        rows.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(qs):
    """Meetings annotated with n_present, n_leave, n_absent and n_attachments.

    Correlated counts, not joins: the database computes them only for the rows of the page,
    not for every meeting of the county before paging."""
    return qs.annotate(
        n_present=_count(Attendance.objects.filter(status="present")),
        n_leave=_count(Attendance.objects.filter(status="leave")),
        n_absent=_count(Attendance.objects.filter(status="absent")),
        n_attachments=_count(Attachment.objects.all()),
    )


def meetings(user, org=None, *, kind="", period: Period | None = None, voided=False):
    """The meeting list of the page, its export and the API: the visible meetings of `org`'s
    subtree (all visible ones without `org`), newest first, with their attendance counts."""
    qs = visible_meetings(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if kind:
        qs = qs.counting_as(kind)
    if period is not None:
        qs = qs.filter(held_on__range=(period.start, period.end))
    if not voided:
        qs = qs.filter(voided_on__isnull=True)
    qs = qs.select_related("organization", "host", "lecturer_member").prefetch_related(
        "extra_kinds"
    )
    return with_counts(qs).order_by("-held_on", "-id")


def meeting(user, pk):
    """One visible meeting (voided or not) with its attendance counts, or 404."""
    qs = visible_meetings(user).select_related(
        "organization", "host", "created_by", "lecturer_member"
    )
    return get_visible_or_404(with_counts(qs.prefetch_related("extra_kinds")), pk=pk)


def visible_attendance(user, meeting=None):
    """Attendance rows of visible meetings (of one meeting if given): all of them for those
    who manage the organization; for a member, their own row only (others' leave reasons
    are not theirs to read)."""
    qs = Attendance.objects.filter(
        managed_q(user, "meeting__organization__") | self_q(user, "member__")
    )
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    return qs.select_related("member")


def visible_attachments(user):
    """Minutes and photos of meetings: for those who manage the organization."""
    return Attachment.objects.filter(managed_q(user, "meeting__organization__"))


def get_visible_attachment(user, pk):
    return get_visible_or_404(visible_attachments(user), pk=pk)


# ---- planned meetings -----------------------------------------------------------------------


def own_organizations(user):
    """The organizations whose planned meetings are a member's own: those of their member
    roles and of their member records — and, for a Party group, its branch too (group
    members attend the branch's assemblies, lectures and theme days)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    paths = set(member_org_paths(user))
    paths |= set(
        Member.objects.filter(user=user, removed_on__isnull=True).values_list(
            "organization__path", flat=True
        )
    )
    own = list(Organization.objects.filter(path__in=paths).values_list("path", "kind"))
    paths |= {
        p[: -Organization.steplen]
        for p, kind in own
        if kind == "group" and len(p) > Organization.steplen
    }
    return Organization.objects.filter(path__in=paths, dissolved_on__isnull=True).order_by("path")


def visible_plans(user):
    """Planned meetings `user` may see: all of the subtree for its managers (the
    organization's and those above); a member, their own organization's (for a group
    member also the branch's; own_organizations). Not other branches', not a subtree's."""
    own = own_organizations(user).values("pk")
    return PlannedMeeting.objects.filter(
        managed_q(user, "organization__") | Q(organization__in=own)
    )


def plans(user, org=None, *, include_closed=False):
    """The plans of `org` itself (every visible one without `org`), by date: open ones
    (upcoming and overdue), with cancelled and held ones when `include_closed`."""
    qs = visible_plans(user).select_related("organization", "meeting")
    if org is not None:
        qs = qs.filter(organization=org)
    if not include_closed:
        qs = qs.open()
    return qs.order_by("planned_on", "planned_at", "id")


def upcoming_plans(user, org=None, *, today):
    """Plans dated today or later, neither cancelled nor held."""
    return plans(user, org).filter(planned_on__gte=today)


def overdue_plans(user, org=None, *, today):
    """Plans dated before today, neither held nor cancelled (未按计划召开)."""
    return plans(user, org).filter(planned_on__lt=today)


def plan(user, pk):
    """One visible plan, or 404."""
    return get_visible_or_404(visible_plans(user).select_related("organization", "meeting"), pk=pk)


def plan_for_recording(user, org, pk):
    """The open plan `pk` of `org` a meeting is recorded from (`?plan=`), or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**53:
        return None
    return visible_plans(user).open().filter(organization=org, pk=pk).first()


# ---- member review --------------------------------------------------------------------------


def visible_reviews(user):
    """Review grades: all of the subtree for its managers; a member's own grade for them."""
    return Review.objects.filter(managed_q(user, "organization__") | self_q(user, "member__"))


def reviews(user, org=None, year=None):
    """The yearly review grades of `org`'s subtree (all visible without `org`)."""
    qs = visible_reviews(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("organization", "member").order_by(
        "organization__path", "member__name"
    )


def yearly_chain(user, meeting) -> dict | None:
    """For a life meeting (组织生活会): the chain talks → life meeting → review of the year it
    reviews — the organization's heart-to-heart talk coverage of that year and its member
    review results (grades of the reviews `user` may see). None for other kinds."""
    if MeetingKind.LIFE_MEETING not in meeting.kinds:
        return None
    org = meeting.organization
    year = meeting.review_year or rules.default_review_year(
        MeetingKind.LIFE_MEETING, meeting.held_on
    )
    grades = dict.fromkeys(Grade.values, 0)
    for grade, n in (
        reviews(user, org, year).order_by().values_list("grade").annotate(n=Count("pk"))
    ):
        grades[grade] += n
    return {
        "year": year,
        "talks": services.talk_coverage(org, year),
        "grades": [(Grade(g).label, n) for g, n in grades.items()],
        "reviewed": sum(grades.values()),
    }


# ---- talks ----------------------------------------------------------------------------------


def visible_talks(user):
    """Talks: all of the subtree for its managers; a member sees the talks they took part in."""
    return Talk.objects.filter(
        managed_q(user, "organization__")
        | self_q(user, "initiator__")
        | self_q(user, "counterpart__")
    )


def talks(user, org=None, year=None):
    """The talks of `org`'s subtree (all visible without `org`) in `year`, newest first."""
    qs = visible_talks(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return qs.select_related("organization", "initiator", "counterpart").order_by("-held_on", "-id")


# ---- participation records ------------------------------------------------------------------


def visible_leaders(user):
    """Registered leaders of the branches `user` manages (or the user's own record)."""
    return Leader.objects.filter(
        managed_q(user, "member__organization__") | self_q(user, "member__")
    )


def participation(user, org, period: Period) -> list[dict]:
    """The participation rows (services.participation) of the leaders `user` may see."""
    visible = visible_org_ids(user, org)
    leaders = set(visible_leaders(user).values_list("pk", flat=True))
    rows = [
        r
        for r in services.participation(org, period)
        if visible(r["branch"].pk) and r["leader"].pk in leaders
    ]
    rows.sort(key=lambda r: (r["branch"].path, r["leader"].member.name))
    return rows


# ---- compliance and reminders ---------------------------------------------------------------


def compliance(user, org, period: Period, today=None, *, by_org=False) -> dict:
    """Everything the overview page, its export and the API show: the total of `org`'s
    subtree, (child, tally, own) for `org` itself and each visible child, and the same
    figures by meeting kind and by sector; `by_org` (the export): also (organization,
    tally) of every visible organization of the subtree with required meetings, by path."""
    result = services.compliance(org, period, today)
    visible = visible_org_ids(user, org)
    extra = {}
    if by_org:
        ids = [i for i, t in result["by_org"].items() if (t.due or t.pending) and visible(i)]
        extra["by_org"] = [
            (o, result["by_org"][o.pk])
            for o in Organization.objects.filter(pk__in=ids).order_by("path")
        ]
    by_child = [
        (child, tally, child.pk == org.pk)
        for child, tally in services.compliance_by_child(org, period, today, result=result)
        if child.pk == org.pk or visible(child.pk)
    ]
    order = list(MeetingKind.values)
    by_kind = sorted(result["by_kind"].items(), key=lambda kv: order.index(kv[0]))
    sectors = dict(
        Organization.objects.filter(pk__in=list(result["by_org"])).values_list("id", "sector")
    )
    by_sector = defaultdict(rules.Tally)
    for org_id, tally in result["by_org"].items():
        if tally.due or tally.pending:
            by_sector[sectors[org_id]] += tally
    sector_order = list(Sector.values)
    return {
        "total": result["total"],
        "by_child": by_child,
        "by_kind": by_kind,
        "by_sector": sorted(by_sector.items(), key=lambda kv: sector_order.index(kv[0])),
        **extra,
    }


def missed_below(user, org, periods, today=None):
    """The organizations below `org` the user may see that missed required meetings in
    finished `periods` (MissedMeetings, computed over the tree once a period), by path:
    a queryset of {"organization_id", "code", "name", "n"} (the missed count)."""
    services.ensure_missed(periods, today)
    rows = MissedMeetings.objects.filter(
        org_q(user, "organization__"),
        period__in=[str(p) for p in periods],
        organization__path__startswith=org.path,
    ).exclude(organization=org)
    return (
        rows.values("organization_id")
        .annotate(
            code=F("organization__code"),
            name=F("organization__name"),
            path=F("organization__path"),
            n=Sum("missing"),
        )
        .order_by("path")
    )


def secretary_lectures(user, org, year: int, today=None) -> dict:
    """Every secretary of the visible organizations of `org`'s subtree and their Party
    lectures of `year` (services.secretary_lectures): counts by status, and those who have
    not lectured yet (pending while the year runs, missing once it is over)."""
    visible = visible_org_ids(user, org)
    rows = [
        r
        for r in services.secretary_lectures(org, year, today)
        if visible(r["officer"].organization_id)
    ]
    counts = dict.fromkeys((rules.DONE, rules.PENDING, rules.MISSING), 0)
    for r in rows:
        counts[r["status"]] += 1
    return {
        "year": year,
        "secretaries": len(rows),
        "lectured": counts[rules.DONE],
        "not_yet": counts[rules.PENDING],
        "missing": counts[rules.MISSING],
        "without": [r for r in rows if r["status"] != rules.DONE],
    }


def upcoming_reminders(user, org, today, limit=50):
    """Reminders (missing meetings) of the visible organizations of `org`'s subtree."""
    return (
        Reminder.objects.filter(
            organization__in=visible_orgs(user).filter(path__startswith=org.path),
            due_on__gte=today,
        )
        .select_related("organization")
        .order_by("due_on", "organization__path")[:limit]
    )


def unexcused_absences(member_ids, year: int) -> dict[int, int]:
    """{member id: how many meetings of `year` they were absent (缺席) from without a reason
    given}: what 民主评议 weighs. Voided meetings do not count."""
    rows = (
        Attendance.objects.filter(
            member_id__in=list(member_ids),
            status=AttendanceStatus.ABSENT,
            reason="",
            meeting__held_on__year=year,
            meeting__voided_on__isnull=True,
        )
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {r["member_id"]: r["n"] for r in rows}
