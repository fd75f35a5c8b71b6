"""Spreadsheet exports of organization health: the election board, setup flags and units.

Each function takes rows already scoped by the page that links to it and returns an .xlsx
file object.
"""

from dangjian.core.xlsx import label, workbook
from dangjian.orgs.models import Kind, Sector

from .models import Coverage

# ---- organization health ------------------------------------------------------------------

ELECTION_STATUS = {"overdue": "已超期", "due": "6个月内到期", "unknown": "任期未登记", "ok": "正常"}


def election_board(rows, *, scope: str, user=None):

    headers = [
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
    return workbook("换届提醒", headers, lines, [f"范围：{scope}"], user=user)


def _approval(exception) -> str:
    """An approved exception as the page shows it: who, when, why."""
    if exception is None:
        return ""
    return f"已批准：{exception.approved_by.name}，{exception.approved_on:%Y-%m-%d}，{exception.reason}"


def setup_flags(rows, *, scope: str, user=None):

    headers = [
        ("党组织", 28),
        ("组织编码", 12),
        ("类别", 12),
        ("规定", 60),
        ("建议", 30),
        ("上级批准的例外", 40),
    ]
    lines = (
        [
            f["organization"].name,
            f["organization"].code,
            label(Kind, f["organization"].kind),
            f["rule"],
            "" if f.get("approved") else f["suggestion"],
            _approval(f.get("approved")),
        ]
        for f in rows
    )
    return workbook("组织设置提示", headers, lines, [f"范围：{scope}"], user=user)


def units(rows, *, scope: str, user=None):

    headers = [
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
    return workbook("单位覆盖情况", headers, lines, [f"范围：{scope}"], user=user)
