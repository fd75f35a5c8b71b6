"""The .xlsx of training: each member's class hours of the year against the minimum."""

from dangjian.core.xlsx import workbook


def hours(members, *, scope: str, year: int, user=None):
    headers = [
        ("党组织", 24),
        ("姓名", 10),
        ("学时", 8),
        ("应修学时", 8),
        ("参训次数", 8),
        ("网络课程", 8),
        ("是否达标", 8),
    ]
    lines = (
        [
            m.organization.name,
            m.name,
            m.training_hours,
            m.training_required,
            m.training_sessions,
            m.training_courses,
            "达标" if m.training_met else "未达标",
        ]
        for m in members
    )
    return workbook(
        f"{year}年党员教育培训学时", headers, lines, notes=[f"范围：{scope}"], user=user, totals=()
    )
