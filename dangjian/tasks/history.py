"""The records of the list-based mechanism with a history page (assignments, report-backs,
pledges, secretary projects), found through the selectors, so the page shows only what the
user may see (404 otherwise). A pledge's page shows its targets' progress too, a project's
its plan items'."""

from django.urls import reverse

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.audit import history_target

from . import selectors
from .models import Assignment, Pledge, ReportBack, SecretaryProject


def find_assignment(user, pk):
    qs = selectors.visible_assignments(user).select_related("issuer")
    assignment = get_visible_or_404(qs, pk=pk)
    return assignment, assignment.issuer


def find_report_back(user, pk):
    qs = selectors.visible_report_backs(user).select_related("organization", "assignment")
    rb = get_visible_or_404(qs, pk=pk)
    return rb, rb.organization


def find_pledge(user, pk):
    pledge = get_visible_or_404(
        selectors.visible_pledges(user).select_related("organization"), pk=pk
    )
    return pledge, pledge.organization


def find_project(user, pk):
    project = get_visible_or_404(
        selectors.visible_projects(user).select_related("organization"), pk=pk
    )
    return project, project.organization


def register():
    history_target(
        Assignment, "assignment", find_assignment, url=lambda a: reverse("tasks:board", args=[a.pk])
    )
    history_target(
        ReportBack,
        "report_back",
        find_report_back,
        url=lambda rb: reverse("tasks:report", args=[rb.pk]),
        title=lambda rb: f"{rb.organization.name} · {rb.assignment.title}",
    )
    history_target(
        Pledge,
        "pledge",
        find_pledge,
        parts=lambda p: [(p.targets.model, p.targets.values_list("pk", flat=True))],
        url=lambda p: reverse("tasks:pledge", args=[p.pk]),
    )
    history_target(
        SecretaryProject,
        "project",
        find_project,
        parts=lambda p: [(p.items.model, p.items.values_list("pk", flat=True))],
        url=lambda p: reverse("tasks:project", args=[p.pk]),
    )
