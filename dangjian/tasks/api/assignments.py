"""/api/tasks/assignments: issuing, listing, revising, withdrawing an assignment (交办单),
its progress roll-up and its board of report-backs."""

import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS
from dangjian.core.api.fields import choice, text
from dangjian.core.api.pagination import Page
from dangjian.core.services import invalid
from dangjian.core.text import LONG_TEXT
from dangjian.orgs.api import visible_by_code
from dangjian.orgs.models import Kind, Level, Sector
from dangjian.orgs.selectors import home_organization, visible_orgs
from dangjian.rollups import registry
from dangjian.tasks import selectors, services
from dangjian.tasks.models import (
    Assignment,
    AssignmentStatus,
    FieldType,
    ReportStatus,
    Reviewer,
)
from dangjian.tasks.rules import MAX_RECEIVER_CODES, MAX_UNDER_CODES

from .common import (
    Amount,
    FieldKey,
    ReasonIn,
    ReportBackOut,
    router,
    visible_org_or_404,
)


def get_assignment(request, assignment_id: int) -> Assignment:
    return get_visible_or_404(
        selectors.visible_assignments(request.auth).select_related("issuer"), pk=assignment_id
    )


class ReceiversIn(Schema):
    """接收范围：subtree 本组织以下全部；filter 按层级、领域、类别、下级范围筛选；orgs 指定组织。"""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["subtree", "filter", "orgs"] = "subtree"
    levels: list[choice(Level)] = Field([], max_length=20)
    sectors: list[choice(Sector)] = Field([], max_length=20)
    kinds: list[choice(Kind)] = Field([], max_length=20)
    under: list[text(32)] = Field(
        [], max_length=MAX_UNDER_CODES, description="只发给这些组织以下的组织"
    )
    codes: list[text(32)] = Field(
        [], max_length=MAX_RECEIVER_CODES, description="mode=orgs 时的接收组织"
    )


class FieldIn(Schema):
    model_config = ConfigDict(extra="forbid")

    key: FieldKey | None = Field(None, description="填报项编码，默认 f1、f2……")
    label: text(100)
    type: choice(FieldType)
    unit: text(20) = ""
    required: bool = True
    choices: list[text(50)] = Field([], max_length=50)
    min_value: Amount | None = None
    max_value: Amount | None = None
    binding: Literal[("", *registry.BINDINGS)] = Field(
        "", description="取自系统数据：报送时按记录自动填写，只需确认"
    )


class AssignmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    issuer: text(32) = Field(description="交办组织编码")
    title: text(200)
    content: text(LONG_TEXT)
    starts_on: datetime.date
    deadline: datetime.date
    receivers: ReceiversIn
    fields: list[FieldIn] = Field([], max_length=50)
    text_required: bool = False
    attachments_required: int = Field(0, ge=0, le=20)
    board_shared: bool = Field(True, description="接收单位能否互相看到晒账单")
    reviewer: choice(Reviewer) = Field(
        Reviewer.ISSUER,
        description="谁审核（通过、退回）晒账单：issuer 交办组织；parent 各接收组织的上一级组织",
    )


class ReviseIn(Schema):
    """只修改给出的字段；每次修改都记录版本，并通知全部接收组织。"""

    model_config = ConfigDict(extra="forbid")

    reason: text(200)
    title: text(200) | None = None
    content: text(LONG_TEXT) | None = None
    deadline: datetime.date | None = None
    text_required: bool | None = None
    attachments_required: int | None = Field(None, ge=0, le=20)


class AssignmentFilters(Schema):
    status: choice(AssignmentStatus) | None = None
    side: Literal["issued", "received"] | None = Field(
        None, description="issued 只看本范围下发的；received 只看本范围接收、且非本范围下发的"
    )


class FieldOut(Schema):
    key: str
    label: str
    type: choice(FieldType)
    unit: str
    required: bool
    choices: list[str]
    min_value: float | None
    max_value: float | None
    binding: str


class RevisionOut(Schema):
    version: int
    changes: dict[str, Any] = Field(description="{字段: [原值, 新值]}")
    reason: str
    at: datetime.datetime


class AssignmentOut(Schema):
    id: int
    issuer: str = Field(description="交办组织编码")
    issuer_name: str
    title: str
    content: str
    starts_on: datetime.date
    deadline: datetime.date
    receivers: dict[str, Any] = Field(description="接收范围")
    text_required: bool
    attachments_required: int
    board_shared: bool
    status: choice(AssignmentStatus)
    status_label: str
    withdrawn_reason: str
    version: int
    created_at: datetime.datetime
    reviewer: choice(Reviewer) = Field(description="审核方：issuer 交办组织；parent 上一级组织")
    relayed_from: int | None = Field(
        description="转办的交办单：转办组织在原交办单上的晒账单编号；否则为空"
    )
    relay_note: str = Field(description="转办组织的补充要求")
    chain: list[str] = Field(description="交办链：从最初的交办组织到本交办单的交办组织（编码）")

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.code

    @staticmethod
    def resolve_relayed_from(obj) -> int | None:
        return obj.relayed_from_id

    @staticmethod
    def resolve_chain(obj) -> list[str]:
        return [o.code for o in services.chain(obj)]

    @staticmethod
    def resolve_issuer_name(obj) -> str:
        return obj.issuer.name

    @staticmethod
    def resolve_receivers(obj) -> dict:
        return obj.receivers_spec

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class AssignmentDetailOut(AssignmentOut):
    receiver_count: int = Field(description="接收组织数")
    fields: list[FieldOut]
    revisions: list[RevisionOut] = Field(description="修改记录，按版本")

    @staticmethod
    def resolve_receiver_count(obj) -> int:
        return obj.report_backs.count()

    @staticmethod
    def resolve_fields(obj) -> list:
        return list(obj.fields.all())

    @staticmethod
    def resolve_revisions(obj) -> list:
        return list(obj.revisions.all())


class Counts(Schema):
    receivers: int
    not_started: int
    reported: int
    returned: int
    accepted: int
    on_time: int = Field(description="在截止日期前首次报送的")
    late_reported: int = Field(description="截止日期后才首次报送的")
    late: int = Field(description="逾期：逾期报送的，加上截止后仍未报送的")
    on_time_rate: float | None = Field(description="按时报送率（按已报送的计算）")


class ProgressRow(Counts):
    code: str
    name: str
    own: bool = Field(description="是否为该组织本身的晒账单（否则为一个直属下级的汇总）")


class ProgressOut(Schema):
    assignment: int
    organization: str
    organization_name: str
    rows: list[ProgressRow] = Field(description="本组织本身（如为接收组织）及每个直属下级的汇总")
    totals: Counts
    summed_values: dict[str, float] = Field(description="已报送晒账单中各数字填报项之和")


class ProgressFilters(Schema):
    org: text(32) | None = Field(
        None,
        description="党组织编码，须在管辖范围内；默认交办组织（看不到时为本人所在的最高一级组织）",
    )


class BoardFilters(Schema):
    status: choice(ReportStatus) | None = None


def _detail(assignment_id: int) -> Assignment:
    return Assignment.objects.select_related("issuer").get(pk=assignment_id)


@router.post("/assignments", response={201: AssignmentDetailOut, **ERRORS}, summary="下发交办单")
def issue_assignment(request, payload: AssignmentIn):
    issuer = visible_by_code(request, payload.issuer, "issuer")
    data = payload.dict(exclude={"issuer", "receivers", "fields"})
    fields = [f.dict() for f in payload.fields]
    for f in fields:
        if f["key"] is None:
            del f["key"]
    assignment = services.issue(
        issuer,
        receivers={k: v for k, v in payload.receivers.dict().items() if v},
        fields=fields,
        actor=request.auth,
        **data,
    )
    return Status(201, _detail(assignment.pk))


@router.get("/assignments", response={200: list[AssignmentOut], **ERRORS}, summary="交办单列表")
@paginate(Page)
def list_assignments(request, filters: Query[AssignmentFilters]):
    qs = selectors.visible_assignments(request.auth, filters.side)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.select_related("issuer")


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="交办单详情",
)
def get_assignment_detail(request, assignment_id: int):
    return get_assignment(request, assignment_id)


@router.post(
    "/assignments/{assignment_id}/revise",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="修改交办单（通知接收组织）",
)
def revise_assignment(request, assignment_id: int, payload: ReviseIn):
    assignment = get_assignment(request, assignment_id)
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    for field, value in changes.items():
        if value is None:
            raise invalid(
                field,
                _("%(label)s不能为空") % {"label": Assignment._meta.get_field(field).verbose_name},
            )
    services.revise(assignment, reason=payload.reason, actor=request.auth, **changes)
    return _detail(assignment.pk)


@router.post(
    "/assignments/{assignment_id}/withdraw",
    response={200: AssignmentDetailOut, **ERRORS},
    summary="撤回交办单",
)
def withdraw_assignment(request, assignment_id: int, payload: ReasonIn):
    assignment = get_assignment(request, assignment_id)
    services.withdraw(assignment, reason=payload.reason, actor=request.auth)
    return _detail(assignment.pk)


def _counts(row: dict) -> dict:
    return {k: row[k] for k in Counts.model_fields}


@router.get(
    "/assignments/{assignment_id}/progress",
    response={200: ProgressOut, **ERRORS},
    summary="交办单进度：按直属下级汇总",
)
def assignment_progress(request, assignment_id: int, filters: Query[ProgressFilters]):
    assignment = get_assignment(request, assignment_id)
    if filters.org:
        where = visible_org_or_404(request, filters.org)
    elif visible_orgs(request.auth).filter(pk=assignment.issuer_id).exists():
        where = assignment.issuer
    else:  # a receiver's side: its own part of the roll-up
        where = home_organization(request.auth)
    rows = services.progress(assignment, where)
    return {
        "assignment": assignment.pk,
        "organization": where.code,
        "organization_name": where.name,
        "rows": [
            _counts(r)
            | {
                "code": r["organization"].code,
                "name": r["organization"].name,
                "own": r["organization"].pk == where.pk,
            }
            for r in rows
        ],
        "totals": services.totals(rows),
        "summed_values": services.summed_values(assignment, where),
    }


@router.get(
    "/assignments/{assignment_id}/relays",
    response={200: list[AssignmentOut], **ERRORS},
    summary="转办：接收组织把该交办单转办给其下级组织形成的交办单",
)
@paginate(Page)
def assignment_relays(request, assignment_id: int):
    assignment = get_assignment(request, assignment_id)
    return (
        selectors.visible_assignments(request.auth)
        .filter(relayed_from__assignment=assignment)
        .select_related("issuer")
        .order_by("issuer__path", "id")
    )


@router.get(
    "/assignments/{assignment_id}/report-backs",
    response={200: list[ReportBackOut], **ERRORS},
    summary="晒账单：一个交办单的各接收组织报送情况",
)
@paginate(Page)
def assignment_report_backs(request, assignment_id: int, filters: Query[BoardFilters]):
    assignment = get_assignment(request, assignment_id)
    qs = selectors.visible_report_backs(request.auth, assignment)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return (
        qs.select_related("assignment", "organization").prefetch_related("files").order_by("path")
    )
