"""Reads of village governance, scoped like every read: matters and rosters of the
organizations a user manages or belongs to; the public board of one village, which anyone
may read, holds only what is public (names, posts, work phones, disclosed matters)."""

import datetime
import hashlib

from django.db.models import Count, Max

from dangjian.accounts.scoping import get_visible_or_404, org_q
from dangjian.core import config
from dangjian.core import public_board as public_sections
from dangjian.core.periods import Period

from . import rules
from .models import Matter, MatterStatus, MatterStep, OfficeHours


def visible_matters(user):
    return Matter.objects.filter(org_q(user, "organization__")).select_related("organization")


def find_matter(user, pk) -> Matter:
    return get_visible_or_404(visible_matters(user), pk=pk)


def steps_of(matter) -> list[MatterStep]:
    return list(matter.steps.order_by("step"))


def visible_office_hours(user):
    return OfficeHours.objects.filter(org_q(user, "organization__"))


def find_office_hours(user, pk) -> OfficeHours:
    return get_visible_or_404(visible_office_hours(user).select_related("organization"), pk=pk)


def _dates(org, key) -> set[datetime.date]:
    out = set()
    for text in config.get(org, key) or []:
        try:
            out.add(datetime.date.fromisoformat(text))
        except (TypeError, ValueError):
            continue
    return out


def calendar(org):
    """(holidays, make-up workdays) set by the county for `org`."""
    return _dates(org, "governance.holidays"), _dates(org, "governance.workdays")


def on_duty(org, day: datetime.date, entries=None) -> list[OfficeHours]:
    """Who staffs the station on `day`: the weekly roster on a workday, the dated turns on a
    weekend or holiday (and anyone listed for that date on a workday too)."""
    entries = list(entries if entries is not None else org.office_hours.all())
    holidays, workdays = calendar(org)
    dated = [e for e in entries if e.on_date == day]
    if rules.is_holiday(day, holidays, workdays):
        return sorted(dated, key=lambda e: e.starts_at)
    weekly = [e for e in entries if e.weekday == day.weekday()]
    return sorted(weekly + dated, key=lambda e: e.starts_at)


def roster(org, today: datetime.date) -> dict:
    """The station's roster with what falls short: weekdays staffed fewer than the county's
    minimum hours, and weekend or holiday days of the next two weeks with nobody on duty."""
    entries = list(org.office_hours.all())
    weekly = {d: [e for e in entries if e.weekday == d] for d in range(7)}
    min_hours = config.get(org, "governance.office_min_hours")
    short = rules.short_weekdays(
        {d: [(e.starts_at, e.ends_at) for e in es] for d, es in weekly.items()}, min_hours
    )
    holidays, workdays = calendar(org)
    uncovered = [
        day
        for day in (today + datetime.timedelta(days=n) for n in range(14))
        if rules.is_holiday(day, holidays, workdays) and not any(e.on_date == day for e in entries)
    ]
    dated = sorted(
        (e for e in entries if e.on_date and e.on_date >= today),
        key=lambda e: (e.on_date, e.starts_at),
    )
    return {
        "weekly": [(rules.WEEKDAY_LABELS[d], weekly[d]) for d in range(7)],
        "dated": dated,
        "short": [(rules.WEEKDAY_LABELS[d], hours) for d, hours in short],
        "uncovered": uncovered,
        "min_hours": min_hours,
        "today": on_duty(org, today, entries),
    }


# ---- the public board ------------------------------------------------------------------

PUBLIC_MATTER_STEPS = (rules.VILLAGERS_ASSEMBLY, rules.RESOLUTION, rules.RESULT)


def board_stamp(org, today: datetime.date) -> str:
    """A tag that changes when anything on the board can: a matter or a roster entry
    written, a day passing (today's staff), the county's calendar. Two small indexed
    aggregates, so a browser's revalidation is answered without building the page."""
    matters = Matter.objects.filter(organization=org).aggregate(t=Max("updated_at"), n=Count("id"))
    hours = OfficeHours.objects.filter(organization=org).aggregate(
        t=Max("updated_at"), n=Count("id")
    )
    holidays, workdays = calendar(org)
    raw = (
        f"{org.pk}|{org.name}|{today}|{matters}|{hours}|{sorted(holidays)}|{sorted(workdays)}"
        f"|{public_sections.stamp(org, today)}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def public_board(org, today: datetime.date) -> dict:
    """What the village's public page shows: today's staff at the station and the weekly
    roster (name, post, work phone only), and the disclosed matters (resolution, and the
    result once disclosed) with their dates."""
    entries = list(org.office_hours.all())
    matters = list(
        Matter.objects.filter(organization=org, step__gte=rules.RESOLUTION).order_by("-updated_at")[
            :50
        ]
    )
    steps = {}
    for s in MatterStep.objects.filter(matter__in=matters, step__in=PUBLIC_MATTER_STEPS):
        steps.setdefault(s.matter_id, {})[s.step] = s
    for m in matters:
        m.decision = steps.get(m.pk, {}).get(rules.VILLAGERS_ASSEMBLY)
        m.resolution = steps.get(m.pk, {}).get(rules.RESOLUTION)
        m.result = steps.get(m.pk, {}).get(rules.RESULT)
    return {
        "today_staff": on_duty(org, today, entries),
        "weekly": [
            (rules.WEEKDAY_LABELS[d], [e for e in entries if e.weekday == d]) for d in range(5)
        ],
        "matters": matters,
        # What other apps add (the branch's pledges, the work team's contacts).
        "sections": public_sections.rendered(org, today),
    }


# ---- figures ----------------------------------------------------------------------------


def governance_figures(org, period: Period) -> dict:
    """`four_deliberations_matters` of the subtree proposed in `period`, by status: each
    count is the sum over the child organizations plus the organization's own."""
    rows = (
        Matter.objects.filter(
            organization__path__startswith=org.path,
            proposed_on__range=(period.start, period.end),
        )
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status = {s: 0 for s in MatterStatus.values}
    for row in rows:
        by_status[row["status"]] = row["n"]
    disclosed = Matter.objects.filter(
        organization__path__startswith=org.path,
        proposed_on__range=(period.start, period.end),
        step__gte=rules.RESOLUTION,
    ).count()
    return {
        "four_deliberations_matters": sum(by_status.values()),
        "four_deliberations_matters_by_status": by_status,
        "four_deliberations_disclosed": disclosed,
    }


def open_matters(org_ids) -> list[Matter]:
    return list(
        Matter.objects.filter(organization_id__in=org_ids, status=MatterStatus.OPEN)
        .select_related("organization")
        .order_by("created_at")
    )
