"""The .xlsx ledgers of transfers (组织关系转接台账) and mobile members (流动党员台账), read
through the same scoped selectors as the pages."""

from dangjian.core.xlsx import label, workbook

from .models import MobileDocument, TransferDirection, TransferStatus


def transfers(rows, *, scope: str, today, user=None):
    from .rules import transfer_expired

    headers = [
        ("党员", 10),
        ("转接类型", 12),
        ("转出组织", 24),
        ("转入组织", 24),
        ("介绍信编号", 16),
        ("开具日期", 11),
        ("有效期至", 11),
        ("转接原因", 20),
        ("状态", 10),
        ("接收日期", 11),
        ("办结日期", 11),
        ("退回理由", 24),
    ]
    lines = (
        [
            t.member.name,
            label(TransferDirection, t.direction),
            t.origin,
            t.destination,
            t.letter_number,
            t.issued_on,
            t.valid_until,
            t.reason,
            "已过期"
            if transfer_expired(t.status, t.valid_until, today)
            else label(TransferStatus, t.status),
            t.received_on,
            t.closed_on,
            t.refusal_reason,
        ]
        for t in rows
    )
    return workbook(
        "组织关系转接台账", headers, lines, notes=[f"范围：{scope}"], user=user, totals=()
    )


def mobile(rows, *, scope: str, user=None):
    headers = [
        ("党员", 10),
        ("所在党组织", 24),
        ("流入地", 20),
        ("工作单位或居住地址", 24),
        ("外出日期", 11),
        ("预计返回日期", 11),
        ("所持证明", 14),
        ("联系人", 16),
        ("结束日期", 11),
    ]
    lines = (
        [
            r.member.name,
            r.member.organization.name,
            r.place,
            r.unit,
            r.since,
            r.expected_until or "不确定",
            label(MobileDocument, r.document),
            r.contact,
            r.ended_on,
        ]
        for r in rows
    )
    return workbook("流动党员台账", headers, lines, notes=[f"范围：{scope}"], user=user, totals=())
