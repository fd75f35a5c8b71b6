"""The .xlsx dues ledger (党费收缴台账): one row per member and organization for a year, the
twelve months' paid amounts across, with the year's due and paid (yuan, two decimals). A
county's year (20,000 members × 12 months) is 20,000 rows, read in one ordered pass."""

from decimal import Decimal

from dangjian.core.xlsx import workbook

from .models import DuesMonth

CENT = Decimal("0.01")


def _yuan(fen):
    return (Decimal(fen) / 100).quantize(CENT)


def year_lines(rows):
    """Rows of DuesMonth values ordered by organization, member, month → one line each."""
    current, line, due, paid = None, None, 0, 0
    for org_name, member_id, name, month, d, p in rows:
        key = (org_name, member_id)
        if key != current:
            if line is not None:
                yield line[:14] + [_yuan(due), _yuan(paid), _yuan(due - paid)]
            current, line, due, paid = key, [org_name, name] + [None] * 12, 0, 0
        line[1 + month.month] = _yuan(p) if p else ("未交" if d else "免交")
        due += d
        paid += p
    if line is not None:
        yield line[:14] + [_yuan(due), _yuan(paid), _yuan(due - paid)]


def ledger(org, year: int, *, scope: str, user=None):
    rows = (
        DuesMonth.objects.filter(organization__path__startswith=org.path, month__year=year)
        .order_by("organization__path", "member_id", "month")
        .values_list(
            "organization__name", "member_id", "member__name", "month", "due_fen", "paid_fen"
        )
        .iterator(chunk_size=5000)
    )
    headers = [("党组织", 24), ("姓名", 10)]
    headers += [(f"{m}月", 8) for m in range(1, 13)]
    headers += [("全年应交（元）", 12), ("全年实交（元）", 12), ("欠交（元）", 10)]
    return workbook(
        f"党费收缴台账_{year}",
        headers,
        year_lines(rows),
        notes=[f"范围：{scope}", f"年度：{year}", "各月为实交金额（元）；未交、免交注明"],
        user=user,
        totals=(),
    )
