"""Reads of dues: what a user may see, answered once here. The ledger is seen by those who
manage the holding organization (or one above it); a member sees their own rows.

The stats keys are read straight from the ledger (sums of fen cannot come from the
roll-up table, which counts rows): one indexed range of the (month, organization) index
joined to the organization's path prefix. A member in arrears is counted once, at the
organization holding their row of the reference month, so each count is the sum of the
children's counts plus the organization's own."""

import datetime

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from dangjian.accounts.scoping import covers, managed_q, self_q
from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.orgs.models import Organization

from . import rules
from .models import DuesBase, DuesMonth

STATUSES = ("paid", "unpaid", "partial")


def visible_ledger(user):
    return DuesMonth.objects.filter(managed_q(user, "organization__") | self_q(user, "member__"))


def ledger(user, org, *, year, month=None, status="", q=""):
    """The ledger rows of `org`'s subtree in `year` (or one month), filtered by status."""
    if covers(user, org):
        # One who manages the organization sees its whole subtree: no OR with the member's
        # own rows, so the (month, organization, member) index gives the first page.
        rows = DuesMonth.objects.filter(organization__path__startswith=org.path)
    else:
        rows = visible_ledger(user).filter(organization__path__startswith=org.path)
    if month:
        rows = rows.filter(month=datetime.date(year, month, 1))
    else:
        rows = rows.filter(
            month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 1)
        )
    if status == "paid":
        rows = rows.filter(paid_fen__gte=F("due_fen"))
    elif status == "unpaid":
        rows = rows.filter(paid_fen=0, due_fen__gt=0)
    elif status == "partial":
        rows = rows.filter(paid_fen__gt=0, paid_fen__lt=F("due_fen"))
    if q:
        rows = rows.filter(member__name__contains=q)
    return rows.select_related("member", "organization").order_by(
        "-month", "organization_id", "member_id"
    )


def month_grid(org, year: int):
    """The branch's grid: its rows of the year as {member: {month number: row}}, members in
    reading order (members whose record it held in any month of the year)."""
    rows = (
        DuesMonth.objects.filter(organization=org, month__year=year)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id", "month")
    )
    grid: dict = {}
    for r in rows:
        grid.setdefault(r.member, {})[r.month.month] = r
    return grid


def month_rows(org, month: datetime.date):
    return (
        DuesMonth.objects.filter(organization=org, month=month)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id")
    )


def current_base(member) -> DuesBase | None:
    return member.dues_bases.order_by("-effective_from").first()


def own_dues(member, year: int):
    return member.dues_months.filter(month__year=year).order_by("month")


def reference_month(period: Period, today=None) -> datetime.date:
    """The last month of `period`, but not after the current month."""
    today = today or timezone.localdate()
    return min(rules.month_start(period.end), rules.month_start(today))


def arrears(org, *, months: int, ref: datetime.date):
    """Members held at `org`'s subtree in month `ref` whose `months` months up to `ref`
    (wherever held) all had dues due and nothing paid: [(row of ref, run)]."""
    first = rules.add_months(ref, -(months - 1))
    last_rows = list(
        DuesMonth.objects.filter(
            organization__path__startswith=org.path, month=ref, paid_fen=0, due_fen__gt=0
        ).select_related("member", "organization")
    )
    if not last_rows:
        return []
    ids = [r.member_id for r in last_rows]
    history: dict[int, list] = {}
    for mid, due, paid in (
        DuesMonth.objects.filter(member_id__in=ids, month__gte=first, month__lte=ref)
        .order_by("member_id", "month")
        .values_list("member_id", "due_fen", "paid_fen")
    ):
        history.setdefault(mid, []).append((due, paid))
    out = []
    for r in last_rows:
        run = rules.unpaid_run(history.get(r.member_id, []))
        if run >= months:
            out.append((r, run))
    out.sort(key=lambda x: (-x[1], x[0].member.name_pinyin))
    return out


def _arrears_count(org, months: int, ref: datetime.date) -> int:
    first = rules.add_months(ref, -(months - 1))
    table = DuesMonth._meta.db_table
    org_table = Organization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} r JOIN {org_table} o ON o.id = r.organization_id "
            f"WHERE o.path >= %s AND o.path < %s AND r.month = %s AND r.paid_fen = 0 "
            f"AND r.due_fen > 0 AND (SELECT COUNT(*) FROM {table} w WHERE w.member_id = "
            f"r.member_id AND w.month >= %s AND w.month <= %s AND w.due_fen > 0 "
            f"AND w.paid_fen = 0) >= %s",
            [org.path, org.path + "\uffff", ref, first, ref, months],
        )
        return cursor.fetchone()[0]


def arrears_counts(org, ref: datetime.date) -> dict:
    warn = config.get(org, "dues.arrears_warn_months")
    leave = config.get(org, "dues.arrears_months")
    return {"warn": _arrears_count(org, warn, ref), "leave": _arrears_count(org, leave, ref)}


def totals(org, first: datetime.date, last: datetime.date) -> dict:
    agg = DuesMonth.objects.filter(
        organization__path__startswith=org.path, month__gte=first, month__lte=last
    ).aggregate(due=Sum("due_fen"), paid=Sum("paid_fen"))
    return {"due": agg["due"] or 0, "paid": agg["paid"] or 0}


def dues_figures(org, period: Period) -> dict:
    """The stats keys of dues over `org`'s subtree in `period`: fen due and paid in the
    period's months, and members in arrears 6 months (the months up to the period's last
    month, or the current month if earlier)."""
    t = totals(org, rules.month_start(period.start), rules.month_start(period.end))
    ref = reference_month(period)
    months = config.get(org, "dues.arrears_months")
    return {
        "dues_due_fen": t["due"],
        "dues_paid_fen": t["paid"],
        "members_in_arrears_6_months": _arrears_count(org, months, ref),
    }


def children_figures(org, period: Period) -> list[tuple[Organization, dict]]:
    kids = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    return [(c, dues_figures(c, period)) for c in kids.order_by("path")]


def unpaid_this_month(org, today=None):
    month = rules.month_start(today or timezone.localdate())
    return DuesMonth.objects.filter(
        organization__path__startswith=org.path, month=month, paid_fen=0, due_fen__gt=0
    )
