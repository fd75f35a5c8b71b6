"""The list-based work in a member's own history (members.timeline): the secretary projects
they lead and the report-backs they sent with their own account (selectors.reported_by_member).
Read through tasks' selectors."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.members.timeline import Entry

from . import selectors


def entries(user, member):
    projects = selectors.visible_projects(user).filter(secretary=member)
    for project in projects.select_related("organization"):
        yield Entry(
            on=project.created_at.date(),
            kind=_("书记项目"),
            text=f"{project.year} · {project.title}",
            detail=project.organization.name,
            url=reverse("tasks:project", args=[project.pk]),
        )
    report_backs = selectors.reported_by_member(user, member).select_related(
        "assignment", "organization"
    )
    for rb in report_backs.order_by("-first_reported_at")[:200]:
        yield Entry(
            on=timezone.localtime(rb.first_reported_at or rb.reported_at).date(),
            kind=_("报送晒账单"),
            text=rb.assignment.title,
            detail=f"{rb.organization.name} · {rb.get_status_display()}",
            url=reverse("tasks:report", args=[rb.pk]),
        )
