"""Compliance with the required meetings, per organization and period, rolled up the tree."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.orgs.models import Officer, OfficerRole, Organization
from dangjian.rollups import services as rollups

from .. import rules
from ..models import (
    ExtraKind,
    Meeting,
    MeetingKind,
    MissedMark,
    MissedMeetings,
)

# ---- compliance -------------------------------------------------------------------------


def counted_kinds(meetings, fields):
    """(kind, *fields) for each kind each of `meetings` counts as: its own kind, then every
    other kind it also counts as (ExtraKind); `fields` are the meeting's, as in values_list."""
    yield from meetings.values_list("kind", *fields)
    extra = ExtraKind.objects.filter(meeting__in=meetings.values("pk"))
    yield from extra.values_list("kind", *(f"meeting__{f}" for f in fields))


def _active_during(org_row, slot: Period) -> bool:
    founded, dissolved = org_row["founded_on"], org_row["dissolved_on"]
    return not (founded and founded > slot.end) and not (dissolved and dissolved < slot.start)


def records_from(org: Organization) -> datetime.date | None:
    """The day records are kept here from (county setting "life.records_from"), or None."""
    return config.date_setting(config.get(org, "life.records_from"))


def compliance(
    org: Organization, period: Period, today: datetime.date | None = None, *, own_only=False
) -> dict:
    """Required-meeting slots of every organization in the subtree (`own_only`: of `org`
    itself), and their status.

    Returns {"total": Tally, "by_kind": {kind: Tally}, "by_org": {org id: Tally},
    "rows": [(org id, kind, slot, status)]}; counts sum over the tree.
    """
    today = today or timezone.localdate()
    requirements = config.resolver(org, "life.requirements")
    grace_days = config.resolver(org, "life.late_entry_days")
    late_entries_count = config.resolver(org, "life.late_entries_count")
    threshold = config.resolver(org, "setup.branch_committee_min_full_members")
    # Slots over before the records were kept here are not counted (nothing could be).
    started = config.resolver(org, "life.records_from")
    where = {"path": org.path} if own_only else {"path__startswith": org.path}
    orgs = list(
        Organization.objects.filter(
            **where,
            kind__in=rules.BRANCH_LIKE | rules.COMMITTEE_KINDS | {"group"},
        )
        .exclude(dissolved_on__lt=period.start)
        .values("id", "path", "kind", "founded_on", "dissolved_on")
    )
    full = rollups.figures_of_many([o["id"] for o in orgs], ["members.status.full"])
    held = defaultdict(list)
    # A yearly meeting (life meeting, leadership life meeting) counts for the year it reviews
    # (rules.counted_on places it); any other kind on the day it was held.
    in_period = Q(held_on__range=(period.start, period.end)) | Q(
        review_year__range=(period.start.year, period.end.year)
    )
    meetings = Meeting.objects.valid().filter(
        in_period, **{f"organization__{k}": v for k, v in where.items()}
    )
    fields = (
        "organization_id",
        "organization__path",
        "held_on",
        "created_at",
        "quorum_due",
        "quorum_present",
        "late_entry",
        "approved_on",
        "review_year",
    )
    for (
        kind,
        org_id,
        path,
        held_on,
        created_at,
        due,
        present,
        late,
        approved_on,
        year,
    ) in counted_kinds(meetings, fields):
        if kind in rules.QUORUM_KINDS and not rules.quorate(due, present):
            continue  # kept on record, but without a quorum it does not count as this kind
        if not rules.counts(late, approved_on is not None, late_entries_count(path)):
            continue  # a late entry not (yet) approved
        # An approved late entry (补录) is always shown apart from meetings entered on time.
        recorded = datetime.date.max if late else timezone.localtime(created_at).date()
        year = year if kind in rules.YEARLY_KINDS else None
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
                since = config.date_setting(started(o["path"]))
                if since and slot.end < since:
                    continue
                status = rules.slot_status(
                    held[(o["id"], kind)], slot, count, today, grace_days(o["path"])
                )
                tally.add(status)
                by_kind[kind].add(status)
                rows.append((o["id"], kind, slot, status))
        total += tally
    return {"total": total, "by_kind": dict(by_kind), "by_org": by_org, "rows": rows}


def missed_counts(result, period: Period) -> dict[int, int]:
    """{organization id: required meetings missed} of a compliance() result, counting the
    slots that are the period itself (a month's monthly meetings, a quarter's quarterly
    ones: a quarter's months are counted in their month)."""
    missing = defaultdict(int)
    for org_id, _kind, slot, status in result["rows"]:
        if status == rules.MISSING and slot == period:
            missing[org_id] += 1
    return dict(missing)


@transaction.atomic
def refresh_missed(period: Period, today: datetime.date | None = None) -> int:
    """Recompute the MissedMeetings rows of a finished period over the whole tree (the
    daily job; the desk's first read of a period). Returns the rows stored."""
    today = today or timezone.localdate()
    key = str(period)
    rows = []
    for root in Organization.objects.get_root_nodes():
        counts = missed_counts(compliance(root, period, today), period)
        rows += [
            MissedMeetings(organization_id=o, period=key, missing=n) for o, n in counts.items()
        ]
    MissedMeetings.objects.filter(period=key).delete()
    # ignore_conflicts: a meeting recorded meanwhile has already stored its fresh row.
    MissedMeetings.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    MissedMark.objects.update_or_create(period=key, defaults={"computed_on": today})
    return len(rows)


def ensure_missed(periods, today: datetime.date | None = None) -> None:
    """Compute the periods never computed yet (a new month before the daily job ran)."""
    done = set(
        MissedMark.objects.filter(period__in=[str(p) for p in periods]).values_list(
            "period", flat=True
        )
    )
    for p in periods:
        if str(p) not in done:
            refresh_missed(p, today)


def refresh_missed_of(org: Organization, day: datetime.date, today=None) -> None:
    """After a meeting of `org` held on `day` was recorded, voided or approved: recompute
    the organization's own row of the month and quarter containing `day`, for periods
    already computed (the others are computed whole when first read)."""
    today = today or timezone.localdate()
    for period in (Period.month_of(day), Period.quarter_of(day)):
        if period.end >= today or not MissedMark.objects.filter(period=str(period)).exists():
            continue
        n = missed_counts(compliance(org, period, today, own_only=True), period).get(org.pk, 0)
        if n:
            MissedMeetings.objects.update_or_create(
                organization=org, period=str(period), defaults={"missing": n}
            )
        else:
            MissedMeetings.objects.filter(organization=org, period=str(period)).delete()


def last_finished(today: datetime.date) -> tuple[Period, Period]:
    """The last finished month and quarter."""
    month = Period.month_of(today.replace(day=1) - datetime.timedelta(days=1))
    quarter = Period.quarter_of(Period.quarter_of(today).start - datetime.timedelta(days=1))
    return month, quarter


def daily_refresh_missed(progress, day: str) -> dict:
    """The daily job: the last finished month's and quarter's missed meetings, recomputed
    (settings.JOBS_DAILY), so that changes other than meetings (requirements, members,
    organizations) reach the desk within a day."""
    today = datetime.date.fromisoformat(day)
    periods = last_finished(today)
    for i, period in enumerate(periods, 1):
        refresh_missed(period, today)
        progress(i, len(periods))
    return {"summary": ", ".join(str(p) for p in periods)}


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


# ---- every secretary gives a Party lecture a year ---------------------------------------


def secretary_lectures(org: Organization, year: int, today: datetime.date | None = None):
    """Each current secretary (书记) of an organization in the subtree, and the Party lectures
    they gave in `year` as the lecturer on record (a member lecturer, not a name typed in):
    [{"officer", "lectures", "status"}], status rules.DONE, or rules.PENDING while the year
    (and its late-entry days) still runs, else rules.MISSING."""
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    officers = list(
        Officer.objects.current()
        .filter(
            role=OfficerRole.SECRETARY,
            organization__path__startswith=org.path,
            organization__dissolved_on__isnull=True,
            term_start__lte=end,
        )
        .exclude(organization__kind="group")
        .select_related("member", "organization")
        .order_by("organization__path", "pk")
    )
    late_entries_count = config.resolver(org, "life.late_entries_count")
    days = config.resolver(org, "life.late_entry_days")
    given = defaultdict(int)
    for member_id, path, late, approved_on in (
        Meeting.objects.valid()
        .counting_as(MeetingKind.PARTY_LECTURE)
        .filter(held_on__range=(start, end), lecturer_member__in=[o.member_id for o in officers])
        .values_list("lecturer_member", "organization__path", "late_entry", "approved_on")
    ):
        if rules.counts(late, approved_on is not None, late_entries_count(path)):
            given[member_id] += 1
    return [
        {
            "officer": o,
            "lectures": given[o.member_id],
            "status": rules.yearly_status(
                given[o.member_id], year, today, days(o.organization.path)
            ),
        }
        for o in officers
    ]
