"""Compliance with the required meetings, per organization and period, rolled up the tree."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups

from .. import rules
from ..models import (
    Meeting,
    MeetingKind,
)

# ---- compliance -------------------------------------------------------------------------


def _active_during(org_row, slot: Period) -> bool:
    founded, dissolved = org_row["founded_on"], org_row["dissolved_on"]
    return not (founded and founded > slot.end) and not (dissolved and dissolved < slot.start)


def compliance(org: Organization, period: Period, today: datetime.date | None = None) -> dict:
    """Required-meeting slots of every organization in the subtree, and their status.

    Returns {"total": Tally, "by_kind": {kind: Tally}, "by_org": {org id: Tally},
    "rows": [(org id, kind, slot, status)]}; counts sum over the tree.
    """
    today = today or timezone.localdate()
    requirements = config.resolver(org, "life.requirements")
    grace_days = config.resolver(org, "life.grace_days")
    late_entries_count = config.resolver(org, "life.late_entries_count")
    threshold = config.resolver(org, "setup.branch_committee_min_full_members")
    orgs = list(
        Organization.objects.filter(
            path__startswith=org.path,
            kind__in=rules.BRANCH_LIKE | rules.COMMITTEE_KINDS | {"group"},
        )
        .exclude(dissolved_on__lt=period.start)
        .values("id", "path", "kind", "founded_on", "dissolved_on")
    )
    full = rollups.figures_of_many([o["id"] for o in orgs], ["members.status.full"])
    held = defaultdict(list)
    # A yearly meeting (life meeting, leadership life meeting) counts for the year it reviews.
    in_period = Q(review_year__isnull=True, held_on__range=(period.start, period.end)) | Q(
        review_year__isnull=False, review_year__range=(period.start.year, period.end.year)
    )
    for org_id, path, kind, held_on, created_at, due, present, late, approved_on, year in (
        Meeting.objects.valid()
        .filter(in_period, organization__path__startswith=org.path)
        .values_list(
            "organization_id",
            "organization__path",
            "kind",
            "held_on",
            "created_at",
            "quorum_due",
            "quorum_present",
            "late_entry",
            "approved_on",
            "review_year",
        )
    ):
        if not rules.quorate(due, present):
            continue  # kept on record, but a meeting without a quorum does not count
        if not rules.counts(late, approved_on is not None, late_entries_count(path)):
            continue  # a late entry not (yet) approved
        # An approved late entry (补录) is always shown apart from meetings entered on time.
        recorded = datetime.date.max if late else timezone.localtime(created_at).date()
        held[(org_id, kind)].append(rules.counted_on(held_on, recorded, year))
    total, by_kind, by_org, rows = rules.Tally(), defaultdict(rules.Tally), {}, []
    for o in orgs:
        tally = by_org[o["id"]] = rules.Tally()
        full_members = full[o["id"]].get("members.status.full", 0)
        for kind, (per, count) in requirements(o["path"]).items():
            if not rules.applies(kind, o["kind"], full_members, threshold(o["path"])):
                continue
            for slot in rules.slots(period, per):
                if not _active_during(o, slot):
                    continue
                status = rules.slot_status(
                    held[(o["id"], kind)], slot, count, today, grace_days(o["path"])
                )
                tally.add(status)
                by_kind[kind].add(status)
                rows.append((o["id"], kind, slot, status))
        total += tally
    return {"total": total, "by_kind": dict(by_kind), "by_org": by_org, "rows": rows}


def compliance_by_child(org: Organization, period: Period, today=None, result=None) -> list[tuple]:
    """[(child, Tally)] for drill-down, plus (org, Tally) of the org's own slots first.
    Pass `result` (from compliance()) when the caller already has it."""
    result = result or compliance(org, period, today)
    paths = dict(Organization.objects.filter(pk__in=result["by_org"]).values_list("id", "path"))
    children = list(org.children().active())
    out = {c.pk: rules.Tally() for c in children}
    own = rules.Tally()
    for org_id, tally in result["by_org"].items():
        path = paths[org_id]
        child = next((c for c in children if path.startswith(c.path)), None)
        if child is None:
            own += tally
        else:
            out[child.pk] += tally
    return [(org, own)] + [(c, out[c.pk]) for c in children]


def meetings_held(org: Organization, period: Period) -> dict[str, int]:
    """Meetings held in the period over the subtree, by kind (from the roll-ups)."""
    months = [f"{p.year}-{p.month:02d}" for p in rules.slots(period, "month")]
    counts = {k: 0 for k in MeetingKind.values}
    # Only the period's keys: an organization holds years of monthly keys, and a bound
    # report-back field asks this once per report.
    keys = [f"meetings.{m}.{k}" for m in months for k in counts]
    for key, value in rollups.figures(org, keys).items():
        counts[key.rsplit(".", 1)[1]] += value
    return counts
