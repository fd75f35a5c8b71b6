"""Spreadsheet exports of organizational life: meetings, compliance, reviews, talks and
participation records.

Each function takes rows already scoped by the page that links to it (built with the same
selectors as the page) and returns an .xlsx file object.
"""

from dangjian.core.xlsx import label, percent, workbook
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import level_below, level_below_title

from .models import FollowUp, Grade, MeetingKind
from .rules import MISSING, PENDING, STATUS_WORDS, attendance_rate

# ---- organizational life ------------------------------------------------------------------


def _below(top):
    """The column naming each row's township (the level right below the exporting
    organization `top`): its header, a function organization -> name, and the names in
    tree order (the order of the sheets per township)."""
    of = level_below(top)
    return level_below_title(top), lambda org: of(org).name, [o.name for o in of.order]


def _status(m) -> str:
    if m.voided_on:
        return f"已作废：{m.void_reason}"
    if m.uncounted_kinds:
        return f"不计入{m.uncounted_kinds}：{m.quorum_note}"
    if not m.quorate:
        return f"不计入：{m.quorum_note}"
    if m.late_entry and not m.approved_on:
        return "补录，待上级审批（不计入）"
    if m.late_entry:
        return f"补录，{m.approved_on}审批"
    return "有效"


def meetings(rows, *, top, scope: str, by_level=False, user=None):
    """rows: Meeting objects annotated with present/leave/absent counts, of `top`'s subtree;
    a 合计 row, and a sheet per organization of the level below `top` when `by_level`."""
    below_title, below, order = _below(top)
    headers = [
        ("召开日期", 12),
        (below_title, 20),
        ("党组织", 26),
        ("组织编码", 12),
        ("会议类型", 20),
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
        ("状态", 30),
    ]

    def lines():
        for m in rows:
            total = m.n_present + m.n_leave + m.n_absent
            yield [
                m.held_on,
                below(m.organization),
                m.organization.name,
                m.organization.code,
                m.kinds_display,
                m.topic,
                m.place,
                m.host.name if m.host_id else "",
                m.lecturer_name,
                total,
                m.n_present,
                m.n_leave,
                m.n_absent,
                percent(attendance_rate(m.n_present, m.n_leave, m.n_absent)),
                m.n_attachments,
                _status(m),
            ]

    return workbook(
        "会议记录",
        headers,
        lines(),
        [f"范围：{scope}", "合计行：应到、出席、请假、缺席人数和附件数之和"],
        user=user,
        totals=(9, 10, 11, 12, 14),
        sheets_by=1 if by_level else None,
        sheet_order=order,
    )


TALLY_HEADERS = [
    ("应开", 8),
    ("按时", 8),
    ("补录", 8),
    (STATUS_WORDS[MISSING], 8),  # the page's words (rules.STATUS_WORDS)
    (STATUS_WORDS[PENDING], 8),
    ("完成率(%)", 10),
]


def _tally(t):
    return [t.due, t.done, t.late, t.missing, t.pending, percent(t.rate)]


def compliance(
    org,
    period,
    total,
    by_org,
    by_kind,
    by_sector,
    *,
    by_level=False,
    user=None,
    unfinished=False,
    records_from=None,
):
    """The compliance ledger of one organization's subtree, in the meeting ledger's shape:
    a row per organization with required meetings, with its township (the level below
    `org`), a 合计 row, and a sheet per township when `by_level`; the figures by meeting
    kind and by sector on the notes sheet."""
    below_title, below, order = _below(org)
    headers = [(below_title, 20), ("党组织", 28), ("组织编码", 12), *TALLY_HEADERS]

    def lines():
        for o, tally in by_org:
            yield [below(o), o.name, o.code, *_tally(tally)]

    def tally_text(t):
        return (
            f"应开{t.due}，按时{t.done}，补录{t.late}，{STATUS_WORDS[MISSING]}{t.missing}，"
            f"{STATUS_WORDS[PENDING]}{t.pending}，完成率{percent(t.rate)}%"
        )

    notes = [
        f"范围：{org.name}（{org.code}）及其下级组织",
        f"期间：{period}",
        "应开：已到期的应开会议次数（含提前完成的）；按时：期末后规定天数内登记；"
        "补录：开了但登记晚于规定天数；完成率 =（按时 + 补录）÷ 应开。",
        f"全部：{tally_text(total)}",
        *(f"会议类型 {label(MeetingKind, kind)}：{tally_text(t)}" for kind, t in by_kind),
        *(f"领域 {label(Sector, sector)}：{tally_text(t)}" for sector, t in by_sector),
    ]
    if unfinished:
        notes.append(
            f"本期尚未结束（截止 {period.end:%Y-%m-%d}）：还有 {total.pending} 次未到期，"
            f"已开 {total.held} / 本期应开 {total.required}；完成率只计已到期的，本期结束后才是全期的。"
        )
    if records_from:
        notes.append(f"本系统自 {records_from:%Y-%m-%d} 起记录：此前结束的期间不计入。")
    return workbook(
        "组织生活完成情况",
        headers,
        lines(),
        notes,
        user=user,
        totals=(3, 4, 5, 6, 7),
        sheets_by=0 if by_level else None,
        sheet_order=order,
    )


def reviews(rows, *, top, scope: str, year: int, by_level=False, user=None):
    below_title, below, order = _below(top)
    headers = [
        ("年度", 7),
        (below_title, 20),
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
            below(r.organization),
            r.organization.name,
            r.organization.code,
            r.member.name,
            label(Grade, r.grade),
            label(FollowUp, r.follow_up),
            r.follow_up_note,
            r.reviewed_on,
        ]
        for r in rows
    )
    return workbook(
        "民主评议党员",
        headers,
        lines,
        [f"范围：{scope}", f"年度：{year}"],
        user=user,
        totals=(),
        sheets_by=1 if by_level else None,
        sheet_order=order,
    )


def talks(rows, *, top, scope: str, year: int, by_level=False, user=None):
    below_title, below, order = _below(top)
    headers = [
        ("谈话日期", 12),
        (below_title, 20),
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
            below(t.organization),
            t.organization.name,
            t.organization.code,
            t.initiator.name,
            t.counterpart.name,
            t.topic,
            t.note,
        ]
        for t in rows
    )
    return workbook(
        "谈心谈话",
        headers,
        lines,
        [f"范围：{scope}", f"年度：{year}"],
        user=user,
        totals=(),
        sheets_by=1 if by_level else None,
        sheet_order=order,
    )


def participation(rows, *, top, scope: str, period, by_level=False, user=None):
    """Participation records (组织生活纪实) of `top`'s subtree in the meeting ledger's shape:
    the township column, a 合计 row and a sheet per township when `by_level`."""
    below_title, below, order = _below(top)
    headers = [
        ("姓名", 10),
        ("职务", 20),
        (below_title, 20),
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
            below(r["branch"]),
            r["branch"].name,
            r["branch"].code,
            r["meetings"],
            r["present"],
            r["leave"],
            r["absent"],
            percent(r["rate"]),
        ]
        for r in rows
    )
    notes = [f"范围：{scope}", f"期间：{period}", "按所在党支部排列，不排名次。"]
    return workbook(
        "组织生活纪实",
        headers,
        lines,
        notes,
        user=user,
        totals=(5, 6, 7, 8),
        sheets_by=2 if by_level else None,
        sheet_order=order,
    )
