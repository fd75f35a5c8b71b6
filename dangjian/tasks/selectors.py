"""Reads of the list-based mechanism: which assignments, report-backs, pledges, work meetings
and secretary projects a user may see. Pages, the API, the .xlsx exports and the to-do lists
all start here, so they can no longer disagree on who sees what.

The rule, for every record of this app: a record hangs on an organization on the
"receiving" side (the receiver of a report-back, the responsible organization of a pledge,
the organization of a work meeting or project) and, for assignments and pledges, on an
issuing organization.

- The receiving side is `org_q`: a manager sees the records of their subtree; a user with
  only a member role sees those of their own organization — as in every other member view.
- The issuing side is managers only: a user who manages the issuer (or an organization
  above it) sees what it issued. A member role at the issuing organization gives no view
  of what the organization issued; it sees an assignment only when its own organization
  received it.
"""

from django.db.models import Count, Exists, OuterRef, Q

from dangjian.accounts.scoping import (
    covers,
    is_unrestricted,
    managed_q,
    org_q,
    own_org_ids,
)
from dangjian.orgs.models import Organization

from .models import (
    Assignment,
    AssignmentStatus,
    Pledge,
    PledgeTarget,
    ProjectPhoto,
    ReportBack,
    ReportBackFile,
    ReportStatus,
    Reviewer,
    SecretaryProject,
    WorkMeeting,
)

ISSUED, RECEIVED = "issued", "received"
PENDING = (ReportStatus.NOT_STARTED, ReportStatus.RETURNED)


# ---- assignments ----------------------------------------------------------------------------


def _received_q(user) -> Q:
    mine = ReportBack.objects.filter(org_q(user, "organization__"), assignment=OuterRef("pk"))
    return Q(Exists(mine))


def visible_assignments(user, side: str | None = None):
    """Assignments the user may see: issued by an organization they manage (or one below
    it), or received by an organization in their scope (`org_q`: a manager's subtree, a
    member's own organization).

    side="issued": the issuing side only; side="received": received in the user's scope and
    not issued within it. The two sides are disjoint and together make the whole list, so the
    tabs of the page, the API's `side` filter and the exports show the same records."""
    if is_unrestricted(user):
        qs = Assignment.objects.all()
        return qs.none() if side == RECEIVED else qs
    issued = managed_q(user, "issuer__")
    if side == ISSUED:
        return Assignment.objects.filter(issued)
    if side == RECEIVED:
        return Assignment.objects.filter(_received_q(user)).exclude(issued)
    return Assignment.objects.filter(issued | _received_q(user))


def is_issuer_side(user, assignment) -> bool:
    """Does the user see `assignment` as one who manages its issuer?"""
    return covers(user, assignment.issuer)


def report_back_counts(user, assignment_ids) -> dict:
    """Counts by status of the report-backs within the user's scope, per assignment."""
    rows = (
        ReportBack.objects.filter(assignment_id__in=assignment_ids)
        .filter(org_q(user, "organization__"))
        .values("assignment_id")
        .annotate(
            receivers=Count("id"),
            done=Count("id", filter=Q(status__in=[ReportStatus.REPORTED, ReportStatus.ACCEPTED])),
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
        )
        .order_by()
    )
    return {r["assignment_id"]: r for r in rows}


# ---- report-backs ---------------------------------------------------------------------------


def visible_report_backs(user, assignment: Assignment | None = None, action: str = "view"):
    """Report-backs the user may see (action="view") or act on (action="act").

    Acting (report, accept, return) needs the receiver in the user's scope or the issuer
    managed by the user. Viewing adds, on a shared board (`board_shared`), every other
    receiver's report-back of an assignment the user's own scope received too. A branch
    that did not receive an assignment sees none of it.

    With `assignment`, the board of that assignment (the fast path for 50,000 receivers)."""
    if assignment is not None:
        qs = assignment.report_backs.all()
        mine = qs.filter(org_q(user, "organization__"))
        if covers(user, assignment.issuer):
            return qs
        # A shared board is shared among the receivers' managers; a member sees their own
        # organization's report-back only.
        shared = action == "view" and assignment.board_shared
        if shared and qs.filter(managed_q(user, "organization__")).exists():
            return qs
        return mine
    if is_unrestricted(user):
        return ReportBack.objects.all()
    q = org_q(user, "organization__") | managed_q(user, "assignment__issuer__")
    if action == "view":
        peers = ReportBack.objects.filter(
            managed_q(user, "organization__"), assignment=OuterRef("assignment")
        )
        q |= Q(assignment__board_shared=True) & Q(Exists(peers))
    return ReportBack.objects.filter(q)


def reported_by_member(user, member):
    """The report-backs `member` sent (报送) with their own login account, among those the
    user may see: what a report-back "names" of a member, since it holds no member field —
    only who reported it (`reported_by`). Their history lists them (tasks.timeline)."""
    if not member.user_id:
        return ReportBack.objects.none()
    return visible_report_backs(user).filter(reported_by_id=member.user_id)


def awaiting_review(user, assignment: Assignment):
    """Reported report-backs of `assignment` that one of the user's own organizations (where
    they hold a manager role) is to accept or return: all of them at the issuer, or, when
    each receiver's parent level reviews (Reviewer.PARENT), those of the receivers directly
    under the user's organizations. A county that lets the townships review is not handed
    its 383 villages."""
    qs = assignment.report_backs.filter(status=ReportStatus.REPORTED)
    own = Organization.objects.filter(pk__in=own_org_ids(user)).values_list("path", "depth")
    if assignment.reviewer == Reviewer.ISSUER:
        return qs if any(p == assignment.issuer.path for p, _d in own) else qs.none()
    q = Q(pk__in=[])
    for path, depth in own:
        q |= Q(path__startswith=path, organization__depth=depth + 1)
    return qs.filter(q)


def visible_report_back_files(user):
    return ReportBackFile.objects.filter(
        report_back__in=visible_report_backs(user).values("pk")
    ).select_related("report_back")


def todo(user):
    """Report-backs the user's own organizations (where they hold a manager role) still
    have to do, soonest deadline first. Those of the organizations below are followed up
    per assignment (pending_below), not listed to a county one by one."""
    from .services import models_deadline

    return (
        ReportBack.objects.filter(
            organization_id__in=own_org_ids(user),
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=PENDING,
        )
        .select_related("assignment", "organization")
        .order_by(models_deadline(), "id")  # its own deadline when extended (延期)
    )


def pending_below(user, today, limit=10) -> list[dict]:
    """Per active assignment, how many report-backs the organizations below the user's own
    still have to do (not started or returned): what a township or county follows up on.
    Open assignments first, soonest deadline first, then the overdue ones, latest first (a
    branch that never reported a year ago should not hide this month's work). Each row:
    id, title, issuer (name), deadline, pending, overdue."""
    from .services import models_deadline

    groups = (
        ReportBack.objects.filter(
            org_q(user),  # on the report-back's own copy of the receiver's path
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=PENDING,
        )
        .exclude(organization_id__in=own_org_ids(user))
        .alias(in_force=models_deadline())
        .values_list(
            "assignment_id", "assignment__title", "assignment__issuer__name", "assignment__deadline"
        )
        # late: past the receiver's own deadline in force (an extension, 延期, counts)
        .annotate(pending=Count("id"), late=Count("id", filter=Q(in_force__lt=today)))
        .order_by()
    )
    rows = [
        {
            "id": aid,
            "title": title,
            "issuer": issuer,
            "deadline": deadline,
            "pending": n,
            "late": late,
            "overdue": deadline < today,
        }
        for aid, title, issuer, deadline, n, late in groups
    ]
    rows.sort(
        key=lambda r: (
            r["overdue"],
            (-1 if r["overdue"] else 1) * r["deadline"].toordinal(),
            r["id"],
        )
    )
    return rows[:limit]


def pending_receivers(user, assignment_ids, per_assignment=100) -> dict[int, list[dict]]:
    """For the desk's 延期 choice: per assignment, the receivers below the user's own
    organizations that have not reported (as pending_below counts them), in tree order, at
    most `per_assignment` each. Each: pk (the report-back), name, deadline (in force)."""
    from .services import models_deadline

    if not assignment_ids:
        return {}
    rows = (
        ReportBack.objects.filter(org_q(user), assignment_id__in=assignment_ids, status__in=PENDING)
        .exclude(organization_id__in=own_org_ids(user))
        .values_list("assignment_id", "pk", "organization__name", models_deadline())
        .order_by("assignment_id", "path")
    )
    out: dict[int, list[dict]] = {}
    for aid, pk, name, deadline in rows:
        listed = out.setdefault(aid, [])
        if len(listed) < per_assignment:
            listed.append({"pk": pk, "name": name, "deadline": deadline})
    return out


# ---- pledges ---------------------------------------------------------------------------------


def _pledge_q(user, prefix="") -> Q:
    return org_q(user, f"{prefix}organization__") | managed_q(user, f"{prefix}issuer__")


def visible_pledges(user):
    """Pledges seen by the responsible organization's side (`org_q`) and by the managers of
    the issuing organization."""
    if is_unrestricted(user):
        return Pledge.objects.all()
    return Pledge.objects.filter(_pledge_q(user))


def visible_targets(user):
    """Targets of the pledges the user may see."""
    if is_unrestricted(user):
        return PledgeTarget.objects.all()
    return PledgeTarget.objects.filter(_pledge_q(user, "pledge__"))


# ---- work meetings and secretary projects ---------------------------------------------------


def visible_work_meetings(user):
    return WorkMeeting.objects.filter(org_q(user, "organization__"))


def visible_projects(user):
    return SecretaryProject.objects.filter(org_q(user, "organization__"))


def visible_project_photos(user):
    return ProjectPhoto.objects.filter(org_q(user, "project__organization__"))
