"""The ledger of major matters (四议两公开台账) as .xlsx: one row a matter, with the votes of
its three meetings and the dates of its two disclosures. The caller passes the matters
already scoped (selectors.visible_matters), so the file holds what the list shows."""

from django.utils import translation

from dangjian.core.xlsx import label, workbook

from . import rules
from .models import MatterCategory, MatterStatus

HEADERS = [
    ("组织编码", 12),
    ("党组织", 26),
    ("事项名称", 28),
    ("类别", 22),
    ("涉及金额（元）", 14),
    ("提议日期", 12),
    ("进度", 24),
    ("状态", 10),
    ("两委联席会 应到/实到/赞成", 18),
    ("党员大会 应到/实到/赞成", 18),
    ("村民（代表）会议 应到/实到/赞成", 22),
    ("决议公开日期", 12),
    ("结果公开日期", 12),
]


def _step_label(n: int) -> str:
    if not n:
        return "未开始"
    with translation.override("zh-hans"):
        return str(rules.STEP_LABELS[n])


def _vote(step) -> str:
    if step is None:
        return ""
    return f"{step.due}/{step.present}/{step.yes}" + ("" if step.passed else "（未通过）")


def matters(rows, *, scope: str, user=None):
    """rows: Matter objects with organization selected and steps prefetched."""

    def lines():
        for m in rows:
            by_step = {s.step: s for s in m.steps.all()}
            yield [
                m.organization.code,
                m.organization.name,
                m.title,
                label(MatterCategory, m.category),
                m.amount,
                m.proposed_on,
                f"{m.step}/6 {_step_label(m.step)}",
                label(MatterStatus, m.status),
                _vote(by_step.get(rules.JOINT_MEETING)),
                _vote(by_step.get(rules.MEMBERS_ASSEMBLY)),
                _vote(by_step.get(rules.VILLAGERS_ASSEMBLY)),
                by_step[rules.RESOLUTION].held_on if rules.RESOLUTION in by_step else None,
                by_step[rules.RESULT].held_on if rules.RESULT in by_step else None,
            ]

    return workbook(
        "四议两公开台账",
        HEADERS,
        lines(),
        [f"范围：{scope}", "进度：已完成的最后一步；投票栏：应到/实到/赞成人数"],
        user=user,
        totals=(),
    )
