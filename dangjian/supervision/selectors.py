"""Reads of supervision, scoped like every read: the ledger, inspections, orders and
interviews of the organizations a user manages (the ledger is the managers' business, not
every member's); the figures of a subtree, summed in SQL over the path prefix."""

import datetime

from django.db.models import Count, Q

from dangjian.accounts.scoping import get_visible_or_404, managed_q
from dangjian.core.periods import Period

from .models import (
    Finding,
    Inspection,
    InspectionKind,
    InspectionPlan,
    Interview,
    ItemStatus,
    ProgressFile,
    RectificationItem,
    ShownStatus,
    SupervisionOrder,
)

OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


# ---- the ledger ---------------------------------------------------------------------------


def visible_items(user):
    """The rectification items of the organizations the user manages (and below)."""
    return RectificationItem.objects.filter(managed_q(user, "organization__")).select_related(
        "organization"
    )


def items_of(organization):
    """The items of one organization itself (not its subtree), deadline first (unscoped:
    the caller has checked the organization is visible)."""
    return RectificationItem.objects.filter(organization=organization).order_by("deadline", "pk")


def find_item(user, pk) -> RectificationItem:
    return get_visible_or_404(visible_items(user), pk=pk)


def with_shown_status(qs, status: str, today: datetime.date):
    """Filter by the status the ledger shows (overdue is not stored but read from the
    deadline)."""
    if status == ShownStatus.OVERDUE:
        return qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    if status == ShownStatus.RECTIFIED:
        return qs.filter(status=ItemStatus.RECTIFIED)
    if status in (ShownStatus.OPEN, ShownStatus.IN_PROGRESS):
        return qs.filter(status=status, deadline__gte=today)
    return qs


def ledger(user, *, today, status="", sector="", source="", org=None):
    """The ledger rows a user sees, narrowed by shown status, sector, source and subtree."""
    qs = visible_items(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    qs = with_shown_status(qs, status, today)
    if sector:
        qs = qs.filter(organization__sector=sector)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("deadline", "pk")


def item_detail(item):
    """What the item page shows besides the item: guarantors, progress with files, the order,
    the interviews."""
    notes = list(item.progress_notes.order_by("noted_on", "pk").prefetch_related("files"))
    order = SupervisionOrder.objects.filter(item=item).first()
    return {
        "guarantors": list(item.guarantors.order_by("pk")),
        "notes": notes,
        "order": order,
        "interviews": list(item.interviews.order_by("-held_on")),
        "finding": item.finding,
    }


def find_progress_file(user, pk) -> ProgressFile:
    return get_visible_or_404(
        ProgressFile.objects.filter(managed_q(user, "note__item__organization__")), pk=pk
    )


# ---- inspections --------------------------------------------------------------------------


def visible_plans(user):
    return InspectionPlan.objects.filter(managed_q(user, "organization__")).select_related(
        "organization"
    )


def find_plan(user, pk) -> InspectionPlan:
    return get_visible_or_404(visible_plans(user), pk=pk)


def visible_inspections(user):
    return Inspection.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "plan"
    )


def find_inspection(user, pk) -> Inspection:
    return get_visible_or_404(visible_inspections(user), pk=pk)


def findings_of(inspection) -> list[Finding]:
    return list(
        inspection.findings.select_related("organization", "item").order_by(
            "organization__path", "pk"
        )
    )


def sample_of(inspection) -> list:
    return [s.organization for s in inspection.sample.select_related("organization")]


def visible_findings(user):
    """Findings about the organizations a user manages (a branch sees what was found at it,
    not the rest of the county's inspection)."""
    return Finding.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "inspection"
    )


# ---- orders and interviews ------------------------------------------------------------------


def visible_orders(user):
    """Orders addressed to an organization the user manages, or issued by one."""
    return SupervisionOrder.objects.filter(
        managed_q(user, "organization__") | managed_q(user, "issuer__")
    ).select_related("organization", "issuer", "item")


def find_order(user, pk) -> SupervisionOrder:
    return get_visible_or_404(visible_orders(user), pk=pk)


def visible_interviews(user):
    return Interview.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "item"
    )


def find_interview(user, pk) -> Interview:
    return get_visible_or_404(visible_interviews(user), pk=pk)


# ---- figures ------------------------------------------------------------------------------


def item_counts(org, today: datetime.date, period: Period | None = None) -> dict[str, int]:
    """Items of the subtree by shown status (opened in `period` if given): one aggregate
    over the path prefix."""
    qs = RectificationItem.objects.filter(organization__path__startswith=org.path)
    if period is not None:
        qs = qs.filter(opened_on__range=(period.start, period.end))
    late = Q(status__in=OPEN_STATUSES, deadline__lt=today)
    row = qs.aggregate(
        open=Count("pk", filter=Q(status=ItemStatus.OPEN) & ~late),
        in_progress=Count("pk", filter=Q(status=ItemStatus.IN_PROGRESS) & ~late),
        overdue=Count("pk", filter=late),
        rectified=Count("pk", filter=Q(status=ItemStatus.RECTIFIED)),
    )
    return {s: row[s] for s in ShownStatus.values}


def rectified_organizations_by_sector(org, period: Period | None = None) -> dict[str, int]:
    """Organizations of the subtree whose every item is signed off (at least one of them in
    `period`), by sector — seed 001's "111 village, 2 community … organizations rectified"."""
    from dangjian.orgs.models import Sector

    items = RectificationItem.objects.filter(organization__path__startswith=org.path)
    still_open = items.filter(status__in=OPEN_STATUSES).values("organization_id")
    done = items.filter(status=ItemStatus.RECTIFIED).exclude(organization_id__in=still_open)
    if period is not None:
        done = done.filter(rectified_on__range=(period.start, period.end))
    rows = (
        done.values("organization__sector")
        .annotate(n=Count("organization_id", distinct=True))
        .order_by()
    )
    out = {s: 0 for s in Sector.values}
    for row in rows:
        out[row["organization__sector"]] = row["n"]
    return out


def supervision_figures(org, period: Period, today: datetime.date | None = None) -> dict:
    """The stats keys of supervision over the subtree of `org` in `period`: each count is
    the sum over the child organizations plus the organization's own records.
    rectification_items: items opened in the period, by shown status; inspections held in
    the period by kind (counted at the inspecting organization); red supervision orders
    issued and interviews held in the period."""
    from django.utils import timezone

    today = today or timezone.localdate()
    span = (period.start, period.end)
    inspections = (
        Inspection.objects.filter(organization__path__startswith=org.path, held_on__range=span)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_kind = {k: 0 for k in InspectionKind.values}
    for row in inspections:
        by_kind[row["kind"]] = row["n"]
    return {
        "rectification_items": item_counts(org, today, period),
        "rectified_organizations_by_sector": rectified_organizations_by_sector(org, period),
        "inspections": by_kind,
        "supervision_orders": SupervisionOrder.objects.filter(
            organization__path__startswith=org.path, issued_on__range=span
        ).count(),
        "interviews": Interview.objects.filter(
            organization__path__startswith=org.path, held_on__range=span
        ).count(),
    }
