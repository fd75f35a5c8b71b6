"""The list-based work in a member's own history (members.timeline): the secretary projects
they lead. Read through tasks' selectors."""

from django.urls import reverse
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
