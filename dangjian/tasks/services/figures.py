"""Figures of the tasks for the stats (reports app)."""

import decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from dangjian.core.periods import Period
from dangjian.orgs.models import Organization

from .. import rules
from ..models import (
    Assignment,
    AssignmentStatus,
    PledgeTarget,
    ReportBack,
    ReportStatus,
    SecretaryProject,
    TargetKind,
)
from .report_backs import models_deadline


def task_figures(org: Organization, period: Period, today=None) -> dict:
    today = today or timezone.localdate()
    rbs = ReportBack.objects.filter(
        organization__path__startswith=org.path,
        assignment__status=AssignmentStatus.ACTIVE,
        assignment__starts_on__range=(period.start, period.end),
    )
    by_status = {s: 0 for s in ReportStatus.values}
    for row in rbs.values("status").annotate(n=Count("id")).order_by():
        by_status[row["status"]] = row["n"]
    # Each receiver's deadline in force (its own when extended, 延期).
    timing = rbs.annotate(in_force=models_deadline()).aggregate(
        on_time=Count(
            "id",
            filter=Q(first_reported_at__isnull=False)
            & Q(first_reported_at__date__lte=F("in_force")),
        ),
        late_reported=Count("id", filter=Q(first_reported_at__date__gt=F("in_force"))),
        late_missing=Count("id", filter=Q(first_reported_at__isnull=True, in_force__lt=today)),
    )
    # A target's cascaded parts lie in its pledge organization's subtree, so they are among
    # these rows: count the met targets in memory, without a query per part.
    targets = list(
        PledgeTarget.objects.filter(
            pledge__organization__path__startswith=org.path, pledge__year=period.year
        )
    )
    parts = {}
    for t in targets:
        if t.source_id:
            parts.setdefault(t.source_id, []).append(t)

    def progress_of(t):
        return t.progress_value + sum(
            (progress_of(p) for p in parts.get(t.pk, ())), decimal.Decimal(0)
        )

    def met(t):
        if t.kind == TargetKind.NUMBER:
            return rules.target_met("number", t.target_value, progress_of(t), False)
        return t.met

    issued = Assignment.objects.filter(
        status=AssignmentStatus.ACTIVE, starts_on__range=(period.start, period.end)
    )
    return {
        # Assignments issued by the organizations of the subtree (a sum over children plus
        # the organization's own); those received there (distinct, not a sum); the
        # report-backs of the subtree's receivers by status.
        "assignments": issued.filter(issuer__path__startswith=org.path).count(),
        "assignments_received": issued.filter(
            pk__in=rbs.values("assignment_id").order_by().distinct()
        ).count(),
        "report_backs": by_status | {"late": timing["late_reported"] + timing["late_missing"]},
        "report_back_on_time_rate": rules.on_time_rate(
            timing["on_time"], timing["on_time"] + timing["late_reported"]
        ),
        "pledge_targets": len(targets),
        "pledge_targets_met": sum(1 for t in targets if met(t)),
        "secretary_projects": SecretaryProject.objects.filter(
            organization__path__startswith=org.path, year=period.year
        ).count(),
    }
