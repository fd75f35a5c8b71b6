"""Reads of serving the public, scoped like every read. Pledges and service posts are seen by
the organization's members too; visits, concerns and proxy requests hold residents'
personal data and are seen only by those who manage the organization (or one above it);
a member sees their own suggestions, claims and service records. The village's public board
gets the branch's pledges and the work team's contacts, nothing else."""

import datetime

from django.db.models import Count, Max, Q, Sum

from dangjian.accounts.scoping import get_visible_or_404, managed_q, org_q, self_q
from dangjian.core.periods import Period
from dangjian.orgs.models import Level, Organization

from . import rules
from .models import (
    CLOSED_STATUSES,
    Concern,
    ConcernCategory,
    ConcernStatus,
    ContactPoint,
    Pledge,
    PledgeStatus,
    PostClaim,
    ProxyRequest,
    ProxyStatus,
    ServicePost,
    ServiceRecord,
    Suggestion,
    SuggestionStatus,
    Visit,
    VisitKind,
    WorkTeam,
)

# ---- scoped lists --------------------------------------------------------------------------


def visible_pledges(user):
    return Pledge.objects.filter(
        org_q(user, "organization__") | self_q(user, "member__")
    ).select_related("organization", "member")


def find_pledge(user, pk) -> Pledge:
    return get_visible_or_404(visible_pledges(user), pk=pk)


def _county_paths(user) -> list[str]:
    """Paths of the counties a member belongs to (through their member roles): a member
    claims posts in the community where they live, anywhere in their county."""
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    if member is None:
        return []
    org = member.organization
    counties = Organization.objects.filter(
        path__in=org.ancestor_paths(), level=Level.COUNTY
    ).values_list("path", flat=True)
    return list(counties) or [org.path[: org.steplen]]


def visible_posts(user):
    """Posts of the communities the user manages or belongs to, and, for a member, every
    community of their county (where they may claim one)."""
    q = org_q(user, "organization__")
    for path in _county_paths(user):
        q |= Q(organization__path__startswith=path)
    return ServicePost.objects.filter(q).select_related("organization")


def find_post(user, pk) -> ServicePost:
    return get_visible_or_404(visible_posts(user), pk=pk)


def visible_claims(user):
    return PostClaim.objects.filter(
        managed_q(user, "organization__") | self_q(user, "member__")
    ).select_related("post", "organization", "member")


def find_claim(user, pk) -> PostClaim:
    return get_visible_or_404(visible_claims(user), pk=pk)


def visible_service_records(user):
    return ServiceRecord.objects.filter(
        managed_q(user, "organization__") | self_q(user, "member__")
    ).select_related("organization", "member", "claim__post")


def visible_visits(user):
    return Visit.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "work_team"
    )


def find_visit(user, pk) -> Visit:
    return get_visible_or_404(visible_visits(user), pk=pk)


def visible_concerns(user):
    return Concern.objects.filter(managed_q(user, "organization__")).select_related("organization")


def find_concern(user, pk) -> Concern:
    return get_visible_or_404(visible_concerns(user), pk=pk)


def concern_ledger(user, *, org=None, category="", status="", year=None, overdue=False, today=None):
    """The concerns ledger: the user's concerns (of `org`'s subtree), filtered, newest first."""
    qs = visible_concerns(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(raised_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    if overdue:
        qs = qs.exclude(status__in=CLOSED_STATUSES).filter(due_on__lt=today)
    return qs.order_by("-raised_on", "-pk")


def visible_proxy(user):
    return ProxyRequest.objects.filter(managed_q(user, "organization__")).select_related(
        "organization"
    )


def find_proxy(user, pk) -> ProxyRequest:
    return get_visible_or_404(visible_proxy(user), pk=pk)


def visible_suggestions(user):
    return Suggestion.objects.filter(
        managed_q(user, "organization__") | self_q(user, "member__")
    ).select_related("organization", "member")


def find_suggestion(user, pk) -> Suggestion:
    return get_visible_or_404(visible_suggestions(user), pk=pk)


def grouped_suggestions(qs) -> list[tuple]:
    """[(meeting date, topic, [suggestions])] of those filed after a meeting, latest first."""
    groups: dict = {}
    for s in qs.exclude(topic="").order_by("-meeting_on", "topic", "-submitted_on")[:500]:
        groups.setdefault((s.meeting_on, s.topic), []).append(s)
    return [(day, topic, items) for (day, topic), items in groups.items()]


def visible_teams(user):
    return WorkTeam.objects.filter(org_q(user, "organization__")).select_related("organization")


def find_team(user, pk) -> WorkTeam:
    return get_visible_or_404(visible_teams(user), pk=pk)


def visible_contact_points(user):
    """Contact points recorded at, or pointing into, the user's subtree."""
    return ContactPoint.objects.filter(
        org_q(user, "organization__") | org_q(user, "point__")
    ).select_related("organization", "point")


# ---- figures -------------------------------------------------------------------------------


COMPLETION = {
    "org_made": Count("id", filter=Q(member__isnull=True)),
    "org_done": Count("id", filter=Q(member__isnull=True, status=PledgeStatus.DONE)),
    "member_made": Count("id", filter=Q(member__isnull=False)),
    "member_done": Count("id", filter=Q(member__isnull=False, status=PledgeStatus.DONE)),
}


def _completion(row) -> dict[str, rules.Completion]:
    return {
        "organization": rules.Completion(row["org_made"] or 0, row["org_done"] or 0),
        "member": rules.Completion(row["member_made"] or 0, row["member_done"] or 0),
    }


def pledge_completion(org, year: int) -> dict[str, rules.Completion]:
    """{"organization": …, "member": …} pledges of the subtree made in `year` and done."""
    return _completion(
        Pledge.objects.filter(organization__path__startswith=org.path, year=year).aggregate(
            **COMPLETION
        )
    )


def pledge_completion_by_child(org, year: int) -> list[tuple]:
    """[(child, {"organization": Completion, "member": Completion})] for the level below,
    each from the counts summed over that child's subtree (one grouped query)."""
    children = list(org.children().active())
    if not children:
        return []
    prefix_len = len(org.path) + org.steplen
    rows = (
        Pledge.objects.filter(organization__path__startswith=org.path, year=year)
        .exclude(organization__path=org.path)
        .values("organization__path")
        .annotate(**COMPLETION)
        .order_by()
    )
    sums: dict = {}
    for row in rows:
        key = row["organization__path"][:prefix_len]
        acc = sums.setdefault(key, dict.fromkeys(COMPLETION, 0))
        for k in COMPLETION:
            acc[k] += row[k]
    empty = dict.fromkeys(COMPLETION, 0)
    return [(child, _completion(sums.get(child.path, empty))) for child in children]


def _by(qs, field, choices) -> dict[str, int]:
    out = {value: 0 for value in choices.values}
    for row in qs.values(field).annotate(n=Count("id")).order_by():
        out[row[field]] = row["n"]
    return out


def concern_totals(org, period: Period) -> dict:
    """Concerns raised in `period` in the subtree: by category, by status, and solved by
    category ("2,600 disputes resolved"), from one grouped query."""
    rows = (
        Concern.objects.filter(
            organization__path__startswith=org.path,
            raised_on__range=(period.start, period.end),
        )
        .values("category", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_category = {c: 0 for c in ConcernCategory.values}
    by_status = {s: 0 for s in ConcernStatus.values}
    solved = {c: 0 for c in ConcernCategory.values}
    for row in rows:
        by_category[row["category"]] += row["n"]
        by_status[row["status"]] += row["n"]
        if row["status"] == ConcernStatus.SOLVED:
            solved[row["category"]] += row["n"]
    return {"by_category": by_category, "by_status": by_status, "solved_by_category": solved}


def service_figures(org, period: Period) -> dict:
    """The stats keys of serving the public over `org`'s subtree in `period`: each count is
    the sum over the child organizations plus the organization's own records; rates are
    from the summed counts."""
    in_subtree = {"organization__path__startswith": org.path}
    span = (period.start, period.end)
    completion = pledge_completion(org, period.start.year)
    if period.kind != "year":
        # Pledges are made for a year; a month or quarter counts those due in it.
        completion = _completion(
            Pledge.objects.filter(**in_subtree, due_on__range=span).aggregate(**COMPLETION)
        )
    posts = ServicePost.objects.filter(**in_subtree, year=period.start.year).aggregate(
        n=Count("id"), claimed=Count("id", filter=Q(claimed__gt=0))
    )
    records = ServiceRecord.objects.filter(**in_subtree, served_on__range=span).aggregate(
        n=Count("id"), hours=Sum("hours"), people=Sum("people_served")
    )
    visits = Visit.objects.filter(**in_subtree, visited_on__range=span).aggregate(
        households=Count("id", filter=Q(kind=VisitKind.HOUSEHOLD)),
        units=Count("id", filter=Q(kind=VisitKind.UNIT)),
    )
    concerns = concern_totals(org, period)
    proxy = ProxyRequest.objects.filter(**in_subtree, requested_on__range=span).aggregate(
        n=Count("id"), done=Count("id", filter=Q(status=ProxyStatus.DONE))
    )
    suggestions = Suggestion.objects.filter(**in_subtree, submitted_on__range=span).aggregate(
        n=Count("id"), replied=Count("id", filter=Q(status=SuggestionStatus.REPLIED))
    )
    return {
        "pledges_made": {k: c.made for k, c in completion.items()},
        "pledges_done": {k: c.done for k, c in completion.items()},
        "pledges_done_rate": {k: c.rate for k, c in completion.items()},
        "service_posts": posts["n"],
        "service_posts_claimed": posts["claimed"],
        "service_person_times": records["n"],
        "service_hours": float(records["hours"] or 0),
        "service_people_served": records["people"] or 0,
        "households_visited": visits["households"],
        "units_visited": visits["units"],
        "concerns": sum(concerns["by_category"].values()),
        "concerns_by_category": concerns["by_category"],
        "concerns_by_status": concerns["by_status"],
        "concerns_solved_by_category": concerns["solved_by_category"],
        "proxy_services": proxy["n"],
        "proxy_services_done": proxy["done"],
        "suggestions": suggestions["n"],
        "suggestions_replied": suggestions["replied"],
    }


# ---- desk ----------------------------------------------------------------------------------


def open_concerns_due(org_ids, before: datetime.date):
    """Open concerns of these organizations due on or before `before`, soonest first."""
    return (
        Concern.objects.filter(organization_id__in=org_ids, due_on__lte=before)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("due_on", "pk")
    )


def overdue_concerns_below(paths, today):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(organization__path__startswith=path)
    return (
        Concern.objects.filter(q, due_on__lt=today)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("organization")
        .order_by("due_on", "pk")
    )


def pledges_due(org_ids, before: datetime.date):
    return Pledge.objects.filter(
        organization_id__in=org_ids, status=PledgeStatus.OPEN, due_on__lte=before
    ).order_by("due_on", "pk")


def suggestions_awaiting(org_ids):
    return Suggestion.objects.filter(
        organization_id__in=org_ids, status=SuggestionStatus.OPEN
    ).order_by("submitted_on", "pk")


def own_pledges_due(member, before):
    return Pledge.objects.filter(
        member=member, status=PledgeStatus.OPEN, due_on__lte=before
    ).order_by("due_on", "pk")


def own_claims(member, year):
    return (
        PostClaim.objects.filter(member=member, post__year=year)
        .select_related("post", "organization")
        .annotate(times=Count("records"))
        .order_by("-claimed_on")
    )


# ---- the public board ------------------------------------------------------------------


def board_pledges(org, today: datetime.date) -> dict | None:
    """The branch's pledges of this year and last with their status: content, for whom, by
    when, and the member's name for a member's pledge (names only)."""
    pledges = list(
        Pledge.objects.filter(organization=org, year__gte=today.year - 1)
        .select_related("member")
        .order_by("-year", "member_id", "due_on", "pk")[:100]
    )
    if not pledges:
        return None
    return {
        "organization_pledges": [p for p in pledges if p.member_id is None],
        "member_pledges": [p for p in pledges if p.member_id is not None],
    }


def board_pledges_stamp(org, today) -> str:
    agg = Pledge.objects.filter(organization=org).aggregate(t=Max("updated_at"), n=Count("id"))
    return f"{agg['t']}/{agg['n']}/{today.year}"


def current_teams(org, today):
    return [
        t
        for t in WorkTeam.objects.filter(organization=org, starts_on__lte=today)
        .prefetch_related("people")
        .order_by("-starts_on")
        if t.term_end >= today
    ]


def board_teams(org, today: datetime.date) -> dict | None:
    """The work teams in the village today: name, sending unit, term, and each person's
    name, post and work phone."""
    teams = current_teams(org, today)
    return {"teams": teams} if teams else None


def board_teams_stamp(org, today) -> str:
    agg = WorkTeam.objects.filter(organization=org).aggregate(
        t=Max("updated_at"), n=Count("id"), p=Count("people")
    )
    return f"{agg['t']}/{agg['n']}/{agg['p']}/{today}"
