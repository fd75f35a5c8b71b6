"""The members' points of an organization's subtree for a year as .xlsx: one row per
member (the same rows as the page, through the same selector), a column per member item of
the county's scheme (records and points), and the total."""

from dangjian.core.files import xlsx_response
from dangjian.core.xlsx import workbook

from . import selectors, sources

CHUNK = 2000


def _rows(user, org, year, items):
    qs = selectors.members_points(user, org, year)
    start = 0
    while True:
        chunk = list(qs[start : start + CHUNK])
        if not chunk:
            return
        got = selectors.items_of_members(chunk, year)
        for row in chunk:
            cells = []
            for item in items:
                n, points = got.get(row.member_id, {}).get(item.source, (0, 0))
                cells += [n, points]
            yield [
                row.organization.code,
                row.organization.name,
                row.member.name,
                *cells,
                row.points,
            ]
        start += CHUNK


def members_points(user, org, year):
    county = selectors.county_of(org)
    scheme = selectors.scheme_used(county, year) if county else None
    items = selectors.item_rows(scheme, sources.MEMBER)
    headers = [("组织编码", 14), ("党组织", 28), ("姓名", 12)]
    for item in items:
        headers += [(f"{item.label}（{item.unit}）", 12), (f"{item.label}（分）", 10)]
    headers.append(("合计积分", 10))
    state = selectors.year_state(county, year) if county else None
    notes = [
        f"{org.name}及其下级组织党员{year}年度积分",
        "积分只来自系统中已有的记录（会议出席、按时报送等），不含签到、在线时长",
    ]
    if scheme is not None:
        notes.append(f"积分办法：{county.name}{scheme.year}年第{scheme.version}版")
    if state is not None and state.computed_at:
        notes.append(f"计算时间：{state.computed_at:%Y-%m-%d %H:%M}")
    if state is not None and state.closed:
        notes.append(f"已于{state.closed_on:%Y-%m-%d}结算")
    out = workbook(
        f"党员积分{year}",
        headers,
        _rows(user, org, year, items),
        notes,
        user=user,
        totals=tuple(range(3, len(headers))),
    )
    return xlsx_response(out, f"党员积分-{org.code}-{year}.xlsx")
