"""The year's list of weak organizations as .xlsx: one row per confirmed organization with
its township, sector, level, criteria and evidence, the decision and the ledger's item."""

from dangjian.core.xlsx import label, workbook
from dangjian.orgs.models import Level, Sector
from dangjian.orgs.selectors import below_column


def year_list(flags, *, top, year: int, scope: str, user=None):
    below_title, below, order = below_column(top)
    headers = [
        (below_title, 20),
        ("党组织", 28),
        ("组织编码", 12),
        ("领域", 12),
        ("层级", 10),
        ("情形", 36),
        ("依据", 60),
        ("认定日期", 12),
        ("认定意见", 30),
        ("整改台账编号", 12),
    ]
    rows = (
        [
            below(f.organization),
            f.organization.name,
            f.organization.code,
            label(Sector, f.organization.sector),
            label(Level, f.organization.level),
            "、".join(str(x.get_criterion_display()) for x in f.findings.all()),
            "；".join(x.evidence for x in f.findings.all()),
            f.decided_on,
            f.decision_note,
            f.rectification_ref,
        ]
        for f in flags
    )
    return workbook(
        f"{year}年度软弱涣散党组织",
        headers,
        rows,
        [f"范围：{scope}", f"年度：{year}"],
        user=user,
        totals=(),
        sheet_order=order,
    )
