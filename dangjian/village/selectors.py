"""Reads of venues and cadre pay, scoped like every read. Venues and funds are seen by those
who see the organization (its members too: the venue is a public building); pay rules by
anyone who sees the county; pay sheets — personal pay — only by those who manage the village
or an organization above it. The public board gets the venue's address and office phone,
nothing of pay.

`villages_without_venue(paths)` is for weak organizations (criterion 9, "no village venue"):
the village and community organizations under those paths that have no venue recorded."""

import datetime

from django.db import connection
from django.db.models import Count, Max, Q, Sum

from dangjian.accounts.scoping import get_visible_or_404, managed_q, org_q
from dangjian.core.periods import Period
from dangjian.orgs.models import Kind, Level, Organization

from . import figures, rules, totals
from .models import (
    Funding,
    PayLine,
    PayRule,
    PaySheet,
    SheetStatus,
    Venue,
    VenueFunds,
    VenueWork,
    WorkKind,
)

VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)

# ---- scoped lists --------------------------------------------------------------------------


def visible_venues(user):
    return Venue.objects.filter(org_q(user, "organization__")).select_related("organization")


def find_venue(user, pk) -> Venue:
    return get_visible_or_404(visible_venues(user), pk=pk)


def visible_works(user):
    return VenueWork.objects.filter(org_q(user, "organization__")).select_related("organization")


def visible_funds(user):
    return VenueFunds.objects.filter(org_q(user, "organization__"))


def visible_rules(user):
    return PayRule.objects.filter(org_q(user, "organization__")).select_related("organization")


def visible_sheets(user):
    return PaySheet.objects.filter(managed_q(user, "organization__")).select_related(
        "organization", "rule"
    )


def find_sheet(user, pk) -> PaySheet:
    return get_visible_or_404(visible_sheets(user), pk=pk)


def find_line(user, pk) -> PayLine:
    return get_visible_or_404(
        PayLine.objects.filter(managed_q(user, "sheet__organization__")).select_related(
            "sheet__organization", "sheet__rule"
        ),
        pk=pk,
    )


def sheet_list(user, *, org=None, year=None, status=""):
    qs = visible_sheets(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if year:
        qs = qs.filter(year=year)
    if status in SheetStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("organization__path", "pk")


def venue_ledger(user, *, org=None):
    qs = visible_venues(user)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    return qs.order_by("organization__path")


def lines_of(sheet: PaySheet):
    return sheet.lines.select_related("member").order_by("pk")


# ---- village units -------------------------------------------------------------------------


def _under(paths, prefix="") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def village_units(paths):
    """The village and community organizations (not dissolved) under `paths`: those of
    village or community level that are not groups and lie under no other village-level
    organization (a branch under a village's general branch belongs to that village)."""
    rows = list(
        Organization.objects.filter(
            _under(paths), level__in=VILLAGE_LEVELS, dissolved_on__isnull=True
        ).values_list("id", "path", "kind")
    )
    village_paths = {p for _i, p, _k in rows}
    step = Organization.steplen
    out = []
    for oid, path, kind in rows:
        if kind == Kind.GROUP:
            continue
        if any(path[:i] in village_paths for i in range(step, len(path), step)):
            continue
        out.append(oid)
    return out


def villages_without_venue(paths):
    """Village and community organizations under `paths` with no venue record (for weak
    organizations' criterion 9): a queryset of Organization, by path."""
    ids = village_units(paths)
    with_venue = set(
        Venue.objects.filter(organization_id__in=ids).values_list("organization_id", flat=True)
    )
    return Organization.objects.filter(pk__in=[i for i in ids if i not in with_venue]).order_by(
        "path"
    )


# ---- figures -------------------------------------------------------------------------------


def _subtree_sum(model, column, org, where="", params=()):
    """SUM(column) of `model`'s rows whose organization lies in `org`'s subtree: one query
    over the path prefix (the roll-up table counts rows; money is summed here)."""
    table = model._meta.db_table
    orgs = Organization._meta.db_table
    sql = (
        f"SELECT COALESCE(SUM(r.{column}), 0) FROM {table} r JOIN {orgs} o "
        f"ON o.id = r.organization_id WHERE o.path >= %s AND o.path < %s {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.path, org.path + "~", *params])
        return int(cursor.fetchone()[0] or 0)


def pay_total_fen(org, year: int, *, confirmed_only=True) -> int:
    statuses = [SheetStatus.CONFIRMED] if confirmed_only else list(SheetStatus.values)
    marks = ", ".join(["%s"] * len(statuses))
    return _subtree_sum(
        PaySheet, "total_fen", org, f"AND r.year = %s AND r.status IN ({marks})", [year, *statuses]
    )


def funds_fen(org, year: int) -> tuple[int, int]:
    where = "AND r.year = %s"
    return (
        _subtree_sum(VenueFunds, "office_fen", org, where, [year]),
        _subtree_sum(VenueFunds, "service_fen", org, where, [year]),
    )


def works_by_source(org, year: int | None = None) -> dict[str, int]:
    """Works' cost (fen) by funding source in `org`'s subtree (of `year`, or all years)."""
    qs = VenueWork.objects.filter(organization__path__startswith=org.path)
    if year:
        qs = qs.filter(year=year)
    got = dict(qs.values("funding").annotate(s=Sum("cost_fen")).values_list("funding", "s"))
    return {f: int(got.get(f) or 0) for f in Funding.values}


def works_by_kind(org, year: int | None = None) -> dict[str, int]:
    qs = VenueWork.objects.filter(organization__path__startswith=org.path)
    if year:
        qs = qs.filter(year=year)
    got = dict(qs.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {k: int(got.get(k) or 0) for k in WorkKind.values}


def money_keys(year: int) -> list[str]:
    return [
        f"village.pay.{year}",
        f"village.office.{year}",
        f"village.service.{year}",
        *(f"village.works_cost.{year}.{f}" for f in Funding.values),
    ]


def _assemble(f: dict, m: dict, year: int) -> dict:
    return {
        "venues": f.get("village.venues", 0),
        "venues_five_haves": f.get("village.venues_five_haves", 0),
        "venues_six_in_one": f.get("village.venues_six_in_one", 0),
        "venue_works": sum(f.get(f"village.works.{year}.{k}", 0) for k in WorkKind.values),
        "venue_works_cost_fen": sum(
            m.get(f"village.works_cost.{year}.{s}", 0) for s in Funding.values
        ),
        "office_funds_fen": m.get(f"village.office.{year}", 0),
        "service_funds_fen": m.get(f"village.service.{year}", 0),
        "pay_sheets": sum(f.get(f"village.sheets.{year}.{s}", 0) for s in SheetStatus.values),
        "pay_sheets_confirmed": f.get(f"village.sheets.{year}.{SheetStatus.CONFIRMED}", 0),
        "cadre_pay_fen": m.get(f"village.pay.{year}", 0),
    }


def village_figures(org, period: Period) -> dict:
    """The stats keys of village over `org`'s subtree in `period`'s year: each count is the
    sum over the child organizations plus the organization's own records. Two indexed reads:
    the counts from the roll-up table, the amounts from village's own sums (totals).

    venues, venues_five_haves, venues_six_in_one  venues recorded now (a stock)
    cadre_pay_fen            confirmed pay sheets of the year, in fen
    pay_sheets, pay_sheets_confirmed   the year's sheets
    venue_works, venue_works_cost_fen  works of the year
    office_funds_fen, service_funds_fen  the year's funds
    """
    year = period.start.year
    return _assemble(figures.year_figures(org, year), totals.values(org, money_keys(year)), year)


def works_cost_by_source(org, year: int) -> dict[str, int]:
    m = totals.values(org, money_keys(year))
    return {f: m.get(f"village.works_cost.{year}.{f}", 0) for f in Funding.values}


def overview_rows(org, year: int) -> list[tuple]:
    """(child, figures) for each child organization of `org` with a venue or a sheet below
    it: venues, five-haves and six-in-one shares, confirmed pay (each from the roll-ups)."""
    children = list(
        Organization.objects.filter(
            depth=org.depth + 1, path__startswith=org.path, dissolved_on__isnull=True
        ).order_by("path")
    )
    counts = figures.of_many(children, year)
    money = totals.of_many(children, money_keys(year))
    out = []
    for child in children:
        row = _assemble(counts.get(child.id, {}), money.get(child.id, {}), year)
        if not row["venues"] and not row["pay_sheets"]:
            continue
        row["five_share"] = rules.share(row["venues_five_haves"], row["venues"])
        row["six_share"] = rules.share(row["venues_six_in_one"], row["venues"])
        out.append((child, row))
    return out


# ---- desk ----------------------------------------------------------------------------------


def counties_without_rule(paths, year: int):
    """Counties under (or at) `paths` with no pay rule for `year`."""
    have = PayRule.objects.filter(year=year).values_list("organization_id", flat=True)
    return (
        Organization.objects.filter(_under(paths), level=Level.COUNTY, dissolved_on__isnull=True)
        .exclude(pk__in=have)
        .order_by("path")
    )


def sheets_to_confirm(paths):
    return (
        PaySheet.objects.filter(_under(paths, "organization__"), status=SheetStatus.SUBMITTED)
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )


def sheet_of(org, year):
    return PaySheet.objects.filter(organization=org, year=year).first()


def venue_of(org):
    return Venue.objects.filter(organization=org).first()


# ---- public board --------------------------------------------------------------------------


def board_venue(org, today: datetime.date) -> dict | None:
    """The venue's address and office phone (no pay, nothing personal)."""
    venue = venue_of(org)
    return {"venue": venue} if venue else None


def board_venue_stamp(org, today) -> str:
    agg = Venue.objects.filter(organization=org).aggregate(t=Max("updated_at"), n=Count("id"))
    return f"{agg['t']}/{agg['n']}"
