"""The demo county's points (积分): a scheme for last year and this year (this year's in two
versions, the second raising the theme-day cap in July), and both years' points computed
from the demo's own records by the points services (one INSERT … SELECT per item). Last
year is closed (结算) as the county would have done by the end of January.

Deterministic: the scheme is fixed and the points follow from the generated records.
"""

import datetime

from dangjian.orgs.models import Organization
from dangjian.points import services

LAST_YEAR_ITEMS = [
    ("life.attendance.theme_day", 2, 24),
    ("life.attendance.branch_assembly", 2, 8),
    ("life.attendance.party_lecture", 2, 8),
    ("life.attendance.life_meeting", 3, 3),
    ("tasks.report_back_on_time", 2, 24),
    ("tasks.pledge_target_met", 5, 50),
]
THIS_YEAR_ITEMS = [*LAST_YEAR_ITEMS, ("life.attendance.group_meeting", 1, 12)]
JULY_CHANGE = {"life.attendance.theme_day": (2, 30)}


def _items(rows, change=None):
    change = change or {}
    return [
        {"source": s, "points": change.get(s, (p, c))[0], "cap": change.get(s, (p, c))[1]}
        for s, p, c in rows
    ]


def run(activity) -> None:
    if activity.world.root is None:
        return
    root = Organization.objects.get(pk=activity.world.root.id)
    if root.level != "county":
        return
    year = activity.last.year
    today = activity.today
    services.save_scheme(
        None, root, year - 1, _items(LAST_YEAR_ITEMS), note="按县委组织部积分管理办法", today=today
    )
    services.compute_year(root, year - 1)
    if today > datetime.date(year - 1, 12, 31):
        services.close_year(None, root, year - 1, today=today)
    services.save_scheme(
        None, root, year, _items(THIS_YEAR_ITEMS), note="增加党小组会", today=today
    )
    if activity.last >= datetime.date(year, 7, 1):
        services.save_scheme(
            None,
            root,
            year,
            _items(THIS_YEAR_ITEMS, JULY_CHANGE),
            note="主题党日年度上限提高到30分",
            today=today,
        )
    state = services.compute_year(root, year)
    activity.made["points_members"] = state.members
