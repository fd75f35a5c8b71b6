"""The report-back ledger (晒账单台账) of one assignment as .xlsx.

One row per receiver, a column per typed field (label and unit in the header), then status,
late, reported time, text, the number of attachments, the chain the assignment came down
(issuer → relaying receivers → receiver) and how many organizations the receiver relayed
it to (转办). The caller passes the report-backs
already scoped (`tasks.selectors.visible_report_backs`), so the file holds exactly what the
board shows the user. Written in openpyxl's write-only mode from an iterator, so an
assignment sent to 50,000 branches streams out without being held in memory.
"""

import datetime

from django.db.models import Count
from django.utils import timezone

from dangjian.core.xlsx import label, workbook
from dangjian.orgs.selectors import level_below, level_below_title

from . import rules
from . import services as tasks_services
from .models import AssignmentPhase, FieldType, ReportStatus, Reviewer, TargetKind

FIXED_HEAD = [("组织编码", 14), ("组织名称", 28)]
FIXED_TAIL = [
    ("状态", 9),
    ("截止日期", 11),
    ("是否逾期", 9),
    ("报送时间", 17),
    ("首次报送时间", 17),
    ("文字说明", 40),
    ("附件数", 8),
    ("退回原因", 24),
    ("交办链", 40),
    ("转办", 14),
]


def _header(field) -> str:
    return f"{field.label}（{field.unit_shown}）" if field.unit_shown else field.label


def _cell(field, value):
    if value is None or value == "":
        return None
    if field.type == FieldType.BOOLEAN:
        return "是" if value else "否"
    if field.type == FieldType.DECIMAL:
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)
    if field.type == FieldType.DATE:
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return value


def _local(dt):
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def export_report_backs(user, assignment, queryset, today=None, *, top=None, by_level=False):
    """An .xlsx file (a file object) of the report-backs of `queryset`, already scoped, in
    the shape of every ledger a township files (core.xlsx.workbook, as life's exports): the
    column of the level below `top` (所属乡镇（街道） under a county), a 合计 row summing the
    numeric fields and attachments, and with `by_level` a sheet per organization of that
    level. `top`: the organization the board shows (default the issuer)."""
    today = today or timezone.localdate()
    top = top or assignment.issuer
    of = level_below(top)
    fields = tasks_services.fields_of(assignment)
    headers = (
        FIXED_HEAD[:2]
        + [(level_below_title(top), 20)]
        + [(_header(f), 14) for f in fields]
        + FIXED_TAIL
    )
    summed = [
        3 + i for i, f in enumerate(fields) if f.type in (FieldType.INTEGER, FieldType.DECIMAL)
    ]
    files_at = 3 + len(fields) + [t for t, _w in FIXED_TAIL].index("附件数")
    rows = queryset.select_related("organization").annotate(n_files=Count("files")).order_by("path")
    chain = " → ".join(o.name for o in tasks_services.chain(assignment))
    relays = tasks_services.relays_of(assignment)  # the few receivers that relayed
    tally = {"count": 0, "late": 0, **{s: 0 for s in ReportStatus.values}}

    def lines():
        for rb in rows.iterator(chunk_size=2000):
            first = (
                timezone.localtime(rb.first_reported_at).date() if rb.first_reported_at else None
            )
            rb.assignment = assignment
            deadline = rb.effective_deadline  # the receiver's own when extended (延期)
            late = rules.is_late(deadline, first, today)
            values = rb.values or {}
            tally["count"] += 1
            tally[rb.status] += 1
            tally["late"] += late
            yield (
                [rb.organization.code, rb.organization.name, of(rb.organization).name]
                + [_cell(f, values.get(f.key)) for f in fields]
                + [
                    label(ReportStatus, rb.status),
                    deadline,
                    "是" if late else "否",
                    _local(rb.reported_at),
                    _local(rb.first_reported_at),
                    rb.text or None,
                    rb.n_files,
                    rb.returned_reason or None,
                    f"{chain} → {rb.organization.name}",
                    f"转办{relays[rb.pk].n_receivers}个组织" if rb.pk in relays else None,
                ]
            )

    def notes():
        # Read after the rows are written (workbook writes the notes last).
        yield from (
            f"交办单：{assignment.title}",
            f"交办组织：{assignment.issuer.name}",
            f"交办链：{chain}",
            f"审核方：{label(Reviewer, assignment.reviewer)}",
            f"开始日期：{assignment.starts_on.isoformat()}",
            f"截止日期：{assignment.deadline.isoformat()}（延期的接收组织见“截止日期”列）",
            f"状态：{label(AssignmentPhase, assignment.phase)}",
            f"接收组织数：{tally['count']}",
            *[f"{label(ReportStatus, s)}：{tally[s]}" for s in ReportStatus.values],
            f"逾期：{tally['late']}",
            "合计行：数字填报项和附件数之和",
            "仅包含您有权查看的晒账单；取自系统数据的填报项为报送时的系统记录；"
            "转办的组织所报数字项 = 转办单位已报送、已通过的晒账单之和 + 本级自身部分。",
        )

    return workbook(
        "晒账单",
        headers,
        lines(),
        notes(),
        user=user,
        totals=(*summed, files_at),
        sheets_by=2 if by_level else None,
        sheet_order=[o.name for o in of.order],
    )


def export_filename(assignment) -> str:
    title = "".join(c for c in assignment.title if c not in '\\/:*?"<>|')[:40]
    return f"晒账单_{title}_{timezone.localdate():%Y%m%d}.xlsx"


# ---- the other task lists (pledges, work meetings, secretary projects, assignments) --------
# Rows come scoped from the list views that link here, as in life.exports.


def pledge_targets(pledges, *, scope: str, year: int, user=None):
    """One row per target of each pledge; a cascaded number target counts its parts below."""

    headers = [
        ("年度", 6),
        ("下达组织", 24),
        ("责任组织编码", 14),
        ("责任组织", 24),
        ("签订日期", 11),
        ("目标", 40),
        ("类型", 6),
        ("目标值", 9),
        ("单位", 6),
        ("完成值", 9),
        ("进展情况", 30),
        ("是否完成", 8),
        ("由上级目标分解", 12),
    ]
    lines = (
        [
            p.year,
            p.issuer.name,
            p.organization.code,
            p.organization.name,
            p.signed_on,
            t.text,
            "数量" if t.kind == TargetKind.NUMBER else "文字",  # short form of TargetKind
            t.target_value,
            t.unit,
            tasks_services.effective_progress(t),
            t.progress_note,
            "是" if tasks_services.is_met(t) else "否",
            "是" if t.source_id else "",
        ]
        for p in pledges
        for t in p.targets.all()
    )
    return workbook(f"{year}年目标责任书", headers, lines, [f"范围：{scope}"], user=user)


def work_meetings(meetings, *, scope: str, user=None):
    headers = [
        ("召开日期", 11),
        ("所属月份", 9),
        ("组织编码", 14),
        ("组织", 24),
        ("参加人员", 30),
        ("会议纪要", 50),
        ("讲评的交办单", 40),
    ]
    lines = (
        [
            m.held_on,
            m.month,
            m.organization.code,
            m.organization.name,
            m.attendees,
            m.notes,
            "；".join(a.title for a in m.assignments.all()),
        ]
        for m in meetings
    )
    return workbook("工作例会", headers, lines, [f"范围：{scope}"], user=user)


def secretary_projects(projects, *, scope: str, year: int, user=None):
    """rows: projects annotated with n_items and n_done (as on the showcase page)."""
    headers = [
        ("年度", 6),
        ("组织编码", 14),
        ("组织", 24),
        ("书记", 10),
        ("项目名称", 28),
        ("品牌名称", 16),
        ("项目目标", 40),
        ("月度计划数", 10),
        ("已完成", 8),
        ("取得成效", 40),
        ("照片数", 8),
    ]
    lines = (
        [
            p.year,
            p.organization.code,
            p.organization.name,
            p.secretary.name,
            p.title,
            p.brand,
            p.goal,
            p.n_items,
            p.n_done,
            p.results,
            p.n_photos,
        ]
        for p in projects
    )
    return workbook(f"{year}年书记项目", headers, lines, [f"范围：{scope}"], user=user)


def assignments(rows, *, title: str, user=None):
    """rows: assignments with `summary` (receivers, done, accepted, returned) as on the list."""
    headers = [
        ("交办组织", 24),
        ("标题", 36),
        ("开始日期", 11),
        ("截止日期", 11),
        ("状态", 8),
        ("接收单位数", 10),
        ("已报送", 8),
        ("已通过", 8),
        ("已退回", 8),
        ("报送率%", 9),
    ]
    lines = (
        [
            a.issuer.name,
            a.title,
            a.starts_on,
            a.deadline,
            label(AssignmentPhase, a.phase),
            a.summary["receivers"],
            a.summary["done"],
            a.summary["accepted"],
            a.summary["returned"],
            a.percent,
        ]
        for a in rows
    )
    return workbook(title, headers, lines, user=user)
