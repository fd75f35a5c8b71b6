"""The compliance overview (完成情况) with its drill-down and export, and the branch
calendar: which required meetings each organization held, month by month."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.files import xlsx_response
from dangjian.core.periods import Period
from dangjian.core.toolkit import by_level
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import home_organization, visible_orgs

from .. import exports, rules, selectors, services
from ..models import Meeting, MeetingKind
from .common import (
    CALENDAR_KINDS,
    LIST_LIMIT,
    STATUS_LABELS,
    context,
    get_org,
    last_finished_month,
    period_of,
    tally_row,
    unfinished,
    year_of,
    years_around,
)


@login_required
def overview(request):
    user = request.user
    if not request.GET.get("org") and home_organization(user) is None:
        return render(request, "orgs/no_role.html", {"nav": "life"})
    org = get_org(request)
    today = timezone.localdate()
    # Opens on the last finished month: the current one would read 100% of the few slots
    # already met early while most are still to be held.
    period, period_error = period_of(request, last_finished_month(today))
    data = selectors.compliance(user, org, period, today)
    rows = []
    for child, tally, own in data["by_child"]:
        if own and not (tally.due or tally.pending):
            continue
        if child.kind in CALENDAR_KINDS:
            link = reverse("life:calendar", args=[child.code]) + f"?year={period.year}"
        elif own:
            link = None
        else:
            link = reverse("life:overview") + f"?org={child.code}&period={period}"
        rows.append({"org": child, "own": own, "link": link, **tally_row(tally)})
    kinds = [{"label": MeetingKind(k).label, **tally_row(t)} for k, t in data["by_kind"]]
    sectors = [{"label": Sector(s).label, **tally_row(t)} for s, t in data["by_sector"]]
    quick = [
        (_("本月"), Period.month_of(today)),
        (_("上月"), last_finished_month(today)),
        (_("本季度"), Period.quarter_of(today)),
        (_("本年"), Period(today.year)),
        (_("上年"), Period(today.year - 1)),
    ]
    lectures = selectors.secretary_lectures(user, org, period.year, today)
    page = context(
        request,
        org,
        "overview",
        lectures=lectures,
        lectures_shown=lectures["without"][:LIST_LIMIT],
        lectures_more=max(0, len(lectures["without"]) - LIST_LIMIT),
        period=period,
        period_error=period_error,
        unfinished=unfinished(period, today),
        records_from=services.records_from(org),
        total=tally_row(data["total"]),
        rows=rows,
        kinds=kinds,
        sectors=sectors,
        reminders=list(selectors.upcoming_reminders(user, org, today)),
        quick=[(label, str(p)) for label, p in quick],
        ancestors=list(
            visible_orgs(user).filter(path__in=org.ancestor_paths()[:-1]).order_by("depth")
        ),
    )
    return render(request, "life/overview.html", page)


@login_required
def overview_export(request):
    user = request.user
    org = get_org(request)
    today = timezone.localdate()
    period, _error = period_of(request, last_finished_month(today))
    data = selectors.compliance(user, org, period, today, by_org=True)
    out = exports.compliance(
        org,
        period,
        data["total"],
        data["by_org"],
        data["by_kind"],
        data["by_sector"],
        by_level=by_level(request),
        user=user,
        unfinished=unfinished(period, today),
        records_from=services.records_from(org),
    )
    return xlsx_response(out, f"组织生活完成情况_{org.code}_{period}")


# ---- calendar -----------------------------------------------------------------------------


def calendar_grid(org, year, today=None):
    """Months × required kinds of one organization: each cell the status of its slot.

    A quarterly kind's cell spans its quarter's three months, a yearly kind's the year."""
    result = services.compliance(org, Period(year), today)
    slots = {}
    kinds = []
    for org_id, kind, slot, status in result["rows"]:
        if org_id != org.pk:
            continue
        if kind not in kinds:
            kinds.append(kind)
        slots[(kind, slot)] = status
    order = list(MeetingKind.values)
    kinds.sort(key=order.index)
    held = defaultdict(int)
    meetings = Meeting.objects.valid().filter(organization=org, held_on__year=year)
    for kind, held_on in services.counted_kinds(meetings, ("held_on",)):
        held[(kind, held_on.month)] += 1
    rows = []
    for month in range(1, 13):
        cells = []
        for kind in kinds:
            found = None
            for (k, slot), status in slots.items():
                if k == kind and slot.start.month == month:
                    found = (slot, status)
                    break
            if found is None:
                # Covered by a quarterly or yearly cell above, or no slot (not yet founded).
                covered = any(
                    k == kind and slot.start.month < month <= slot.end.month for (k, slot) in slots
                )
                cells.append(None if covered else {"status": "none", "label": "—", "span": 1})
                continue
            slot, status = found
            span = slot.end.month - slot.start.month + 1
            count = sum(held[(kind, m)] for m in range(slot.start.month, slot.end.month + 1))
            cells.append(
                {
                    "status": status,
                    "label": STATUS_LABELS[status],
                    "span": span,
                    "slot": str(slot),
                    "count": count,
                }
            )
        rows.append({"month": month, "cells": cells})
    return {
        "kinds": [{"code": k, "label": MeetingKind(k).label} for k in kinds],
        "rows": rows,
        "total": tally_row(result["by_org"].get(org.pk, rules.Tally())),
    }


@login_required
def calendar(request, code):
    org = get_org(request, code)
    today = timezone.localdate()
    year = year_of(request, today.year)
    grid = calendar_grid(org, year, today)
    page = context(
        request,
        org,
        "calendar",
        year=year,
        years=years_around(year, today),
        grid=grid,
        legend=[
            (s, STATUS_LABELS[s]) for s in (rules.DONE, rules.LATE, rules.MISSING, rules.PENDING)
        ],
    )
    return render(request, "life/calendar.html", page)
