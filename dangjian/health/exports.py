"""Spreadsheet exports of organization health: the election board, setup flags and units.

Each function takes rows already scoped by the page that links to it and returns an .xlsx
file object, in the shape of every ledger a township can file: the township (the level below
the exporting organization `top`) as a column, a 合计 row, and with `by_level` a sheet per
township.
"""

from dangjian.core.xlsx import label, workbook
from dangjian.orgs.models import Kind, Sector
from dangjian.orgs.selectors import below_column

from .models import Coverage

# ---- organization health ------------------------------------------------------------------

ELECTION_STATUS = {"overdue": "已超期", "due": "6个月内到期", "unknown": "任期未登记", "ok": "正常"}


def election_board(rows, *, top, scope: str, by_level=False, user=None):
    below_title, below, order = below_column(top)
    headers = [
        (below_title, 20),
        ("党组织", 28),
        ("组织编码", 12),
        ("类别", 12),
        ("本届任期开始", 14),
        ("任期(年)", 9),
        ("届满日期", 12),
        ("状态", 14),
    ]
    lines = (
        [
            below(r["organization"]),
            r["organization"].name,
            r["organization"].code,
            label(Kind, r["organization"].kind),
            r["term_started_on"],
            r["years"],
            r["due_on"],
            ELECTION_STATUS[r["status"]],
        ]
        for r in rows
    )
    return workbook(
        "换届提醒",
        headers,
        lines,
        [f"范围：{scope}"],
        user=user,
        totals=(),
        sheets_by=0 if by_level else None,
        sheet_order=order,
    )


def _approval(exception) -> str:
    """An approved exception as the page shows it: who, when, why."""
    if exception is None:
        return ""
    return f"已批准：{exception.approved_by.name}，{exception.approved_on:%Y-%m-%d}，{exception.reason}"


def setup_flags(rows, *, top, scope: str, by_level=False, user=None):
    below_title, below, order = below_column(top)
    headers = [
        (below_title, 20),
        ("党组织", 28),
        ("组织编码", 12),
        ("类别", 12),
        ("规定", 60),
        ("建议", 30),
        ("上级批准的例外", 40),
    ]
    lines = (
        [
            below(f["organization"]),
            f["organization"].name,
            f["organization"].code,
            label(Kind, f["organization"].kind),
            f["rule"],
            "" if f.get("approved") else f["suggestion"],
            _approval(f.get("approved")),
        ]
        for f in rows
    )
    return workbook(
        "组织设置提示",
        headers,
        lines,
        [f"范围：{scope}"],
        user=user,
        totals=(),
        sheets_by=0 if by_level else None,
        sheet_order=order,
    )


def units(rows, *, top, scope: str, by_level=False, user=None):
    below_title, below, order = below_column(top)
    headers = [
        (below_title, 20),
        ("单位名称", 28),
        ("领域", 12),
        ("所在地区党组织", 24),
        ("从业人员数", 10),
        ("正式党员数", 10),
        ("覆盖方式", 14),
        ("覆盖的党组织", 24),
        ("党建指导员", 12),
    ]
    lines = (
        [
            below(u.area),
            u.name,
            label(Sector, u.sector),
            u.area.name,
            u.employees,
            u.full_members,
            label(Coverage, u.coverage),
            u.covering_organization.name if u.covering_organization_id else "",
            u.instructor,
        ]
        for u in rows
    )
    return workbook(
        "单位覆盖情况",
        headers,
        lines,
        [f"范围：{scope}", "合计行：从业人员数、正式党员数之和"],
        user=user,
        totals=(4, 5),
        sheets_by=0 if by_level else None,
        sheet_order=order,
    )
