"""The .xlsx dues ledger (党费收缴台账): one row per member and organization for a year, the
twelve months' paid amounts across, with the year's due and paid (yuan, two decimals). A
county's year (20,000 members × 12 months) is 20,000 rows: the database pivots the months
(one row per member and organization, grouped and ordered there), so Python only formats
the lines and openpyxl writes them (write-only, no per-cell style)."""

import datetime
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Max, Q, Sum

from dangjian.core.xlsx import workbook

from .models import DuesMonth

CENT = Decimal("0.01")


@lru_cache(maxsize=4096)
def _yuan(fen):
    """Fen as yuan (Decimal, two places); amounts repeat a lot, so each is made once."""
    return (Decimal(fen) / 100).quantize(CENT)


def _month_cell(due, paid):
    if due is None:  # no ledger row that month (not yet a member, or held elsewhere)
        return None
    return _yuan(paid) if paid else ("未交" if due else "免交")


def year_lines(rows):
    """Pivoted rows (organization, name, then due and paid of months 1–12, the year's due
    and paid) → one line each."""
    for row in rows:
        org_name, name, due, paid = row[0], row[1], row[-2] or 0, row[-1] or 0
        months = [_month_cell(row[2 + 2 * i], row[3 + 2 * i]) for i in range(12)]
        yield [org_name, name, *months, _yuan(due), _yuan(paid), _yuan(due - paid)]


def pivoted(org, year: int):
    """The year's ledger of `org`'s subtree, one row per (organization, member)."""
    per_month = {}
    fields = []
    for m in range(1, 13):
        first = Q(month=datetime.date(year, m, 1))
        per_month[f"d{m}"] = Max("due_fen", filter=first)
        per_month[f"p{m}"] = Max("paid_fen", filter=first)
        fields += [f"d{m}", f"p{m}"]
    return (
        DuesMonth.objects.filter(
            organization__path__startswith=org.path,
            month__gte=datetime.date(year, 1, 1),
            month__lt=datetime.date(year + 1, 1, 1),
        )
        .values("organization__path", "organization__name", "member_id", "member__name")
        .annotate(**per_month, due=Sum("due_fen"), paid=Sum("paid_fen"))
        .order_by("organization__path", "member_id")
        .values_list("organization__name", "member__name", *fields, "due", "paid")
    )


def _fetch(queryset, chunk=5000):
    """The rows of `queryset` as the database gives them (plain ints from PostgreSQL), in
    chunks from a server-side cursor, without Django's per-value converters (26 columns ×
    20,000 rows)."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def ledger(org, year: int, *, scope: str, user=None):
    headers = [("党组织", 24), ("姓名", 10)]
    headers += [(f"{m}月", 8) for m in range(1, 13)]
    headers += [("全年应交（元）", 12), ("全年实交（元）", 12), ("欠交（元）", 10)]
    return workbook(
        f"党费收缴台账_{year}",
        headers,
        year_lines(_fetch(pivoted(org, year))),
        notes=[f"范围：{scope}", f"年度：{year}", "各月为实交金额（元）；未交、免交注明"],
        user=user,
        totals=(),
    )
