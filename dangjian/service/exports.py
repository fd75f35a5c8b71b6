"""The .xlsx ledgers of serving the public: the concerns ledger (民情台账) and the pledges
(双承诺台账), read through the same scoped selectors as the pages."""

from dangjian.core.xlsx import label, workbook

from .models import ConcernCategory, ConcernStatus, PledgeStatus


def concerns(rows, *, scope: str, user=None):
    headers = [
        ("党组织", 24),
        ("反映日期", 11),
        ("类别", 10),
        ("反映的问题", 40),
        ("反映人", 10),
        ("责任人", 12),
        ("办理期限", 11),
        ("状态", 8),
        ("办理结果", 40),
        ("办结日期", 11),
    ]
    lines = (
        [
            c.organization.name,
            c.raised_on,
            label(ConcernCategory, c.category),
            c.content,
            c.raised_by,
            c.owner,
            c.due_on,
            label(ConcernStatus, c.status),
            c.outcome,
            c.closed_on,
        ]
        for c in rows
    )
    return workbook("民情台账", headers, lines, notes=[f"范围：{scope}"], user=user, totals=())


def pledges(rows, *, scope: str, year: int, user=None):
    headers = [
        ("党组织", 24),
        ("承诺主体", 12),
        ("承诺内容", 40),
        ("服务对象", 16),
        ("承诺完成时间", 12),
        ("状态", 8),
        ("兑现情况或未兑现原因", 40),
        ("办结日期", 11),
    ]
    lines = (
        [
            p.organization.name,
            p.member.name if p.member_id else "党组织",
            p.content,
            p.beneficiary,
            p.due_on,
            label(PledgeStatus, p.status),
            p.evidence or p.reason,
            p.closed_on,
        ]
        for p in rows
    )
    return workbook(
        f"公开承诺_{year}",
        headers,
        lines,
        notes=[f"范围：{scope}", f"年度：{year}"],
        user=user,
        totals=(),
    )
