"""The .xlsx ledger of development (发展党员台账), read through the same scoped selector as
the pages: one row a person, with the dates of the milestones."""

from dangjian.core.xlsx import label, workbook

from .models import Stage

MILESTONES = (
    (1, "申请入党"),
    (3, "确定积极分子"),
    (7, "确定发展对象"),
    (15, "支部大会通过"),
    (17, "上级审批"),
    (24, "转正"),
)


def ledger(rows, *, scope: str, user=None):
    headers = [("党组织", 24), ("姓名", 10), ("性别", 6), ("出生日期", 11), ("所处阶段", 12)]
    headers += [(name, 12) for _n, name in MILESTONES]
    headers += [("已完成步骤", 10), ("终止原因", 20)]

    def line(c):
        days = {}
        for s in c.steps.all():
            days[s.number] = s.done_on
        return [
            c.organization.name,
            c.name,
            c.get_gender_display(),
            c.birth_date,
            label(Stage, c.stage),
            *[days.get(n) for n, _name in MILESTONES],
            c.last_step,
            c.end_reason,
        ]

    return workbook(
        "发展党员台账",
        headers,
        (line(c) for c in rows),
        notes=[f"范围：{scope}"],
        user=user,
        totals=(),
    )
