"""Points sources of the list-based mechanism, for organizations: report-backs (晒账单)
reported on time, and responsibility-pledge targets (目标责任书) done.

A report-back counts for the year its assignment started in (as in the tasks app's stats)
when it is reported or accepted (not returned, not withdrawn) and was first reported on or
before the receiver's deadline in force (an extension, 延期, counts). A target counts for
its pledge's year when done: a text target marked done, a number target whose progress
reached its value — its own progress plus that of the parts cascaded below it (分解),
followed down five levels (county → township → general branch → branch → group).
"""

import decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.tasks.models import (
    AssignmentStatus,
    PledgeTarget,
    ReportBack,
    ReportStatus,
    TargetKind,
)
from dangjian.tasks.services.report_backs import models_deadline

from . import ORGANIZATION, Record, Source, register

CASCADE_DEPTH = 5


def on_time():
    return (
        ReportBack.objects.filter(
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=(ReportStatus.REPORTED, ReportStatus.ACCEPTED),
            first_reported_at__isnull=False,
        )
        .annotate(in_force=models_deadline())
        .filter(first_reported_at__date__lte=F("in_force"))
    )


def count_on_time(path, period):
    return (
        on_time()
        .filter(
            # The receiver's path copied on the report-back: one range of the (assignment,
            # path) index per assignment, not a join to every receiver of the province.
            path__startswith=path,
            organization__dissolved_on__isnull=True,
            assignment__starts_on__range=(period.start, period.end),
        )
        .values(subject=F("organization_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def on_time_records(org, period):
    rows = (
        on_time()
        .filter(organization=org, assignment__starts_on__range=(period.start, period.end))
        .select_related("assignment")
        .order_by("first_reported_at", "id")
    )
    return [
        Record(
            timezone.localtime(rb.first_reported_at).date(),
            f"《{rb.assignment.title}》（截止{rb.in_force:%Y-%m-%d}）",
            reverse("tasks:report", args=[rb.pk]),
        )
        for rb in rows
    ]


def _parts(depth: int):
    """The progress of a target's parts `depth` levels below it, summed (0 when none)."""
    lookup = "__".join(["source"] * depth)
    parts = (
        PledgeTarget.objects.filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(s=Sum("progress_value"))
        .values("s")
    )
    return Coalesce(Subquery(parts), Value(decimal.Decimal(0)))


def targets_met():
    progress = F("progress_value")
    for depth in range(1, CASCADE_DEPTH + 1):
        progress = progress + _parts(depth)
    return PledgeTarget.objects.annotate(effective=progress).filter(
        Q(kind=TargetKind.TEXT, met=True)
        | Q(kind=TargetKind.NUMBER, target_value__isnull=False, effective__gte=F("target_value"))
    )


def count_targets(path, period):
    return (
        targets_met()
        .filter(
            pledge__organization__path__startswith=path,
            pledge__organization__dissolved_on__isnull=True,
            pledge__year=period.year,
        )
        .values(subject=F("pledge__organization_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def target_records(org, period):
    rows = (
        targets_met()
        .filter(pledge__organization=org, pledge__year=period.year)
        .select_related("pledge")
        .order_by("pledge_id", "order", "id")
    )
    return [
        Record(
            t.pledge.signed_on,
            f"{t.text}（{t.pledge.title}）",
            reverse("tasks:pledge", args=[t.pledge_id]),
        )
        for t in rows
    ]


def register_all() -> None:
    register(
        Source(
            key="tasks.report_back_on_time",
            label=_("按时报送晒账单"),
            subject=ORGANIZATION,
            count=count_on_time,
            records=on_time_records,
            unit=_("份"),
            help=_("在截止日期（含延期）前首次报送、未被退回的晒账单"),
            order=100,
        )
    )
    register(
        Source(
            key="tasks.pledge_target_met",
            label=_("完成目标责任书目标"),
            subject=ORGANIZATION,
            count=count_targets,
            records=target_records,
            unit=_("项"),
            help=_("文字目标标为已完成，数量目标完成值（含分解到下级的部分）达到目标值"),
            order=110,
        )
    )
