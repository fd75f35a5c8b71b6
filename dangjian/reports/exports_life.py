"""Spreadsheet exports of the organizational-life and organization-health lists.

Each function takes rows already scoped by the page that links to it (the views build them
with the same scoping helpers as the page), and returns an .xlsx file object. Headers are
always simplified Chinese, like every ledger file; a second sheet "说明" says what was
exported, by whom and when.
"""

import datetime
import tempfile

from django.utils import timezone, translation

from . import xlsx


def _label(choices, value):
    """The simplified-Chinese label of a choice value (files are always 简体)."""
    if not value:
        return ""
    with translation.override("zh-hans"):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


def _rate(value):
    return None if value is None else round(value * 100, 1)


def workbook(title: str, headers: list[tuple[str, int]], rows, notes=(), *, user=None):
    """A one-sheet workbook: bold header row, then `rows`; notes on the "说明" sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, (_header, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for header, _width in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = xlsx.HEADER_FONT, xlsx.HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    count = 0
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            out.append(value)
        ws.append(out)
        count += 1
    info = wb.create_sheet("说明")
    now = timezone.localtime()
    for note in (
        f"{title}：共{count}行",
        f"导出时间：{now:%Y-%m-%d %H:%M}",
        f"导出人：{getattr(user, 'username', '') or '系统'}",
        *notes,
    ):
        info.append([note])
    info.column_dimensions["A"].width = 80
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    wb.save(out)
    out.seek(0)
    return out


# ---- organizational life ------------------------------------------------------------------


def meetings(rows, *, scope: str, user=None):
    """rows: Meeting objects annotated with present/leave/absent counts."""
    from dangjian.life.models import MeetingKind
    from dangjian.life.rules import attendance_rate

    headers = [
        ("召开日期", 12),
        ("党组织", 26),
        ("组织编码", 12),
        ("会议类型", 14),
        ("主题", 30),
        ("地点", 16),
        ("主持人", 10),
        ("授课人", 10),
        ("应到人数", 9),
        ("出席", 7),
        ("请假", 7),
        ("缺席", 7),
        ("出席率(%)", 10),
        ("附件数", 8),
        ("状态", 16),
    ]

    def lines():
        for m in rows:
            total = m.n_present + m.n_leave + m.n_absent
            yield [
                m.held_on,
                m.organization.name,
                m.organization.code,
                _label(MeetingKind, m.kind),
                m.topic,
                m.place,
                m.host.name if m.host_id else "",
                m.lecturer,
                total,
                m.n_present,
                m.n_leave,
                m.n_absent,
                _rate(attendance_rate(m.n_present, m.n_leave, m.n_absent)),
                m.n_attachments,
                f"已作废：{m.void_reason}" if m.voided_on else "有效",
            ]

    return workbook("会议记录", headers, lines(), [f"范围：{scope}"], user=user)


TALLY_HEADERS = [
    ("应开", 8),
    ("按时", 8),
    ("补录", 8),
    ("缺开", 8),
    ("未到期", 8),
    ("完成率(%)", 10),
]


def _tally(t):
    return [t.due, t.done, t.late, t.missing, t.pending, _rate(t.rate)]


def compliance(org, period, total, by_child, by_kind, by_sector, *, user=None):
    """The compliance drill-down of one organization: its total, one row per child (and its
    own slots), then the same figures by meeting kind and by sector, in one sheet."""
    from dangjian.life.models import MeetingKind
    from dangjian.orgs.models import Sector

    headers = [("分组", 10), ("名称", 28), ("组织编码", 12), *TALLY_HEADERS]

    def lines():
        yield ["合计", org.name, org.code, *_tally(total)]
        for child, tally, own in by_child:
            name = f"{child.name}（本级）" if own else child.name
            yield ["下级组织", name, child.code, *_tally(tally)]
        for kind, tally in by_kind:
            yield ["会议类型", _label(MeetingKind, kind), "", *_tally(tally)]
        for sector, tally in by_sector:
            yield ["领域", _label(Sector, sector), "", *_tally(tally)]

    notes = [
        f"范围：{org.name}（{org.code}）及其下级组织",
        f"期间：{period}",
        "应开：已到期的应开会议次数（含提前完成的）；按时：期末后规定天数内登记；"
        "补录：开了但登记晚于规定天数；完成率 =（按时 + 补录）÷ 应开。",
    ]
    return workbook("组织生活完成情况", headers, lines(), notes, user=user)


def reviews(rows, *, scope: str, year: int, user=None):
    from dangjian.life.models import FollowUp, Grade

    headers = [
        ("年度", 7),
        ("党组织", 26),
        ("组织编码", 12),
        ("姓名", 10),
        ("评议等次", 10),
        ("处置措施", 12),
        ("处置情况", 30),
        ("评议日期", 12),
    ]
    lines = (
        [
            r.year,
            r.organization.name,
            r.organization.code,
            r.member.name,
            _label(Grade, r.grade),
            _label(FollowUp, r.follow_up),
            r.follow_up_note,
            r.reviewed_on,
        ]
        for r in rows
    )
    return workbook("民主评议党员", headers, lines, [f"范围：{scope}", f"年度：{year}"], user=user)


def talks(rows, *, scope: str, year: int, user=None):
    headers = [
        ("谈话日期", 12),
        ("党组织", 26),
        ("组织编码", 12),
        ("谈话人", 10),
        ("谈话对象", 10),
        ("谈话主题", 30),
        ("谈话要点", 40),
    ]
    lines = (
        [
            t.held_on,
            t.organization.name,
            t.organization.code,
            t.initiator.name,
            t.counterpart.name,
            t.topic,
            t.note,
        ]
        for t in rows
    )
    return workbook("谈心谈话", headers, lines, [f"范围：{scope}", f"年度：{year}"], user=user)


def participation(rows, *, scope: str, period, user=None):
    headers = [
        ("姓名", 10),
        ("职务", 20),
        ("所在党支部", 26),
        ("组织编码", 12),
        ("支部会议次数", 12),
        ("出席", 7),
        ("请假", 7),
        ("缺席或未记录", 12),
        ("出席率(%)", 10),
    ]
    lines = (
        [
            r["leader"].member.name,
            r["leader"].title,
            r["branch"].name,
            r["branch"].code,
            r["meetings"],
            r["present"],
            r["leave"],
            r["absent"],
            _rate(r["rate"]),
        ]
        for r in rows
    )
    notes = [f"范围：{scope}", f"期间：{period}", "按所在党支部排列，不排名次。"]
    return workbook("组织生活纪实", headers, lines, notes, user=user)


# ---- organization health ------------------------------------------------------------------

ELECTION_STATUS = {"overdue": "已超期", "due": "6个月内到期", "unknown": "任期未登记", "ok": "正常"}


def election_board(rows, *, scope: str, user=None):
    from dangjian.orgs.models import Kind

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
            _label(Kind, r["organization"].kind),
            r["term_started_on"],
            r["years"],
            r["due_on"],
            ELECTION_STATUS[r["status"]],
        ]
        for r in rows
    )
    return workbook("换届提醒", headers, lines, [f"范围：{scope}"], user=user)


def setup_flags(rows, *, scope: str, user=None):
    from dangjian.orgs.models import Kind

    headers = [("党组织", 28), ("组织编码", 12), ("类别", 12), ("规定", 60), ("建议", 30)]
    lines = (
        [
            f["organization"].name,
            f["organization"].code,
            _label(Kind, f["organization"].kind),
            f["rule"],
            f["suggestion"],
        ]
        for f in rows
    )
    return workbook("组织设置提示", headers, lines, [f"范围：{scope}"], user=user)


def units(rows, *, scope: str, user=None):
    from dangjian.orgs.models import Coverage, Sector

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
            _label(Sector, u.sector),
            u.area.name,
            u.employees,
            u.full_members,
            _label(Coverage, u.coverage),
            u.covering_organization.name if u.covering_organization_id else "",
            u.instructor,
        ]
        for u in rows
    )
    return workbook("单位覆盖情况", headers, lines, [f"范围：{scope}"], user=user)
