"""The .xlsx ledgers of venues and cadre pay: the venue ledger (活动场所台账) and the pay
sheets (村干部报酬发放表), read through the same scoped selectors as the pages."""

from decimal import Decimal

from dangjian.core.xlsx import label, workbook

from .models import FIVE_HAVES, SIX_IN_ONE, Post, SheetStatus
from .rules import fen_to_yuan


def _yes(v) -> str:
    return "是" if v else "否"


def venues(rows, *, scope: str, user=None):
    headers = [
        ("村（社区）党组织", 24),
        ("场所地址", 30),
        ("办公电话", 14),
        ("建筑面积（平方米）", 12),
        ("广场面积（平方米）", 12),
        ("建成年份", 8),
        ("有场所", 7),
        ("有制度", 7),
        ("有标识", 7),
        ("有设施", 7),
        ("有资料", 7),
        ("“五有”达标", 9),
        ("六位一体功能数", 10),
        ("核查日期", 11),
        ("核查人", 10),
    ]
    lines = [
        [
            v.organization.name,
            v.address,
            v.office_phone,
            v.building_area,
            v.square_area,
            v.built_year,
            *[_yes(getattr(v, f)) for f in FIVE_HAVES],
            _yes(v.five_haves),
            sum(1 for f in SIX_IN_ONE if getattr(v, f)),
            v.checked_on,
            v.checked_by,
        ]
        for v in rows
    ]
    lines.append(
        [f"合计（{len(lines)}个场所）", "", "", sum((r[3] for r in lines), Decimal(0))]
        + [""] * 7
        + [sum(1 for r in lines if r[11] == "是")]
    )
    return workbook(
        "活动场所台账", headers, lines, notes=[f"范围：{scope}"], user=user, totals=None
    )


def sheets(rows, *, scope: str, year: int, user=None):
    """One line per person of each sheet: the village, the sheet's status, the person,
    post, months, monthly pay, performance part and total (yuan)."""
    headers = [
        ("村（社区）党组织", 24),
        ("状态", 8),
        ("姓名", 10),
        ("岗位", 18),
        ("任职月数", 8),
        ("月基本报酬（元）", 12),
        ("绩效报酬（元）", 12),
        ("全年合计（元）", 12),
    ]
    lines = [
        [
            line.sheet.organization.name,
            label(SheetStatus, line.sheet.status),
            line.name,
            label(Post, line.post),
            line.months,
            fen_to_yuan(line.monthly_fen),
            fen_to_yuan(line.performance_fen),
            fen_to_yuan(line.total_fen),
        ]
        for line in rows
    ]
    total = sum((r[7] for r in lines), Decimal(0))
    lines.append([f"合计（{len(lines)}人）", "", "", "", "", "", "", total])
    return workbook(
        "村干部报酬发放表",
        headers,
        lines,
        notes=[f"范围：{scope}", f"年度：{year}"],
        user=user,
        totals=None,
    )
