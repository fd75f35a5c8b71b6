"""The tasks app's items on the work desk (desk.registry): report-backs to do, report-backs
not in below with a 催报 button, and a member's own organization's report-backs and pledges."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import member_org_paths, own_org_ids
from dangjian.desk.registry import BRANCH, MEMBER, UPPER, Item, Line, register

from . import rules, selectors
from .models import Assignment, AssignmentStatus, ReportStatus

LIMIT = 20
DUE_DAYS = 7  # a deadline this close is flagged "due"


def _badge(rb, today) -> str:
    if rb.status == ReportStatus.RETURNED:
        return "returned"
    if rules.is_late(rb.effective_deadline, None, today):
        return "late"
    if rb.effective_deadline <= today + datetime.timedelta(days=DUE_DAYS):
        return "due"
    return ""


def report_backs_to_do(user, today) -> list[Item]:
    """The report-backs the user's own organizations still have to send: not started or
    returned, of active assignments, soonest deadline first."""
    qs = selectors.todo(user)
    rows = list(qs[:LIMIT])
    lines = [
        Line(
            _("%(title)s（%(org)s，%(date)s截止）")
            % {
                "title": rb.assignment.title,
                "org": rb.organization.name,
                "date": rb.effective_deadline.isoformat(),
            },
            url=reverse("tasks:report", args=[rb.pk]),
            badge=_badge(rb, today),
        )
        for rb in rows
    ]
    count = qs.count() if len(rows) == LIMIT else len(rows)
    return [Item(_("待报送的晒账单"), lines, count=count, more_url=reverse("tasks:home"))]


def report_backs_below(user, today) -> list[Item]:
    """Per active assignment the user's own organizations issued, the report-backs below
    not in yet, with a 催报 button (assignments issued further down are the issuers' to
    follow up: the county is not handed every township's)."""
    own = set(own_org_ids(user))
    issued = set(
        Assignment.objects.filter(issuer_id__in=own, status=AssignmentStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    rows = [r for r in selectors.pending_below(user, today, limit=None) if r["id"] in issued]
    receivers = selectors.pending_receivers(user, [r["id"] for r in rows[:LIMIT]])
    desk = reverse("desk:home")
    lines = [
        Line(
            (
                _("%(title)s：%(n)s个组织未报，其中%(late)s个已逾期（%(date)s截止）")
                if r["late"]
                else _("%(title)s：%(n)s个组织未报（%(date)s截止）")
            )
            % {
                "title": r["title"],
                "n": r["pending"],
                "late": r["late"],
                "date": r["deadline"].isoformat(),
            },
            url=reverse("tasks:board", args=[r["id"]]),
            badge="late" if r["late"] else "",
            post_url=reverse("tasks:urge", args=[r["id"]]),
            post_label=_("催报"),
            # 延期 for one of them (services.extend_deadline)
            form_template="tasks/_desk_extend.html" if receivers.get(r["id"]) else "",
            extra={"assignment_id": r["id"], "receivers": receivers.get(r["id"]), "next": desk},
        )
        for r in rows[:LIMIT]
    ]
    return [
        Item(_("下级未报的晒账单"), lines, count=len(rows), more_url=reverse("tasks:assignments"))
    ]


def my_organization_tasks(user, today) -> list[Item]:
    """For a member: the report-backs of active assignments started this year (latest first) and
    this year's pledges where the member's own organization is named."""
    paths = member_org_paths(user)
    if not paths:
        return []
    rbs = list(
        selectors.visible_report_backs(user)
        .filter(
            organization__path__in=paths,
            assignment__status=AssignmentStatus.ACTIVE,
            assignment__starts_on__year=today.year,
        )
        .select_related("assignment", "organization")
        .order_by("-assignment__deadline", "-id")[:LIMIT]
    )
    pledges = list(
        selectors.visible_pledges(user)
        .filter(organization__path__in=paths, year=today.year)
        .select_related("organization")
        .order_by("title")[:LIMIT]
    )
    return [
        Item(
            _("本支部的晒账单"),
            [
                Line(
                    _("%(title)s：%(status)s")
                    % {"title": rb.assignment.title, "status": rb.get_status_display()},
                    url=reverse("tasks:report", args=[rb.pk]),
                )
                for rb in rbs
            ],
        ),
        Item(
            _("本支部的目标责任书"),
            [Line(p.title, url=reverse("tasks:pledge", args=[p.pk])) for p in pledges],
        ),
    ]


def register_all():
    register("tasks.todo", report_backs_to_do, roles=(BRANCH, UPPER), order=15)
    register("tasks.below", report_backs_below, roles=(UPPER,), order=20)
    register("tasks.mine", my_organization_tasks, roles=(MEMBER,), order=30)
