"""/api/tasks/: the list-based mechanism — assignments (交办单), report-backs (晒账单), pledges.

Scoping, as everywhere in the API:
- an assignment is seen by the issuer's side (issuer in the caller's subtree) and by its
  receivers' side (a report-back's organization in the caller's subtree); anything else is
  a 404, whether it exists or not;
- a report-back is written by its receiver's side and reviewed by the issuer's side; the
  board of one assignment (`/assignments/{id}/report-backs`) is `services.visible_report_backs`:
  a branch sees the other receivers' report-backs only when it received the assignment too
  and the board is shared;
- a pledge is seen by the issuing and the receiving organization's side.
Permissions (who may issue, report, accept, sign) are checked by `tasks.services`: 403.
"""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator, ConfigDict, WithJsonSchema

from dangjian.accounts.scoping import get_visible_or_404, is_unrestricted, org_q
from dangjian.core.api.errors import ERRORS, renamed_fields
from dangjian.core.api.fields import MAX_PAGE, _clean_text, choice, text
from dangjian.core.services import invalid
from dangjian.orgs.api import visible_by_code
from dangjian.orgs.models import Kind, Level, Sector
from dangjian.orgs.selectors import home_organization, visible_orgs
from dangjian.rollups import registry
from dangjian.tasks import rules, services
from dangjian.tasks.models import (
    Assignment,
    AssignmentStatus,
    FieldType,
    Pledge,
    PledgeTarget,
    ReportBack,
    ReportStatus,
    TargetKind,
)

router = Router(tags=["清单式工作"])

# Chinese names of the request fields, for the 422 messages of ninja's own validation.
TASK_LABELS = {
    "issuer": gettext_lazy("交办组织编码"),
    "title": gettext_lazy("标题"),
    "content": gettext_lazy("工作内容"),
    "starts_on": gettext_lazy("开始日期"),
    "deadline": gettext_lazy("截止日期"),
    "receivers": gettext_lazy("接收范围"),
    "mode": gettext_lazy("接收范围方式"),
    "levels": gettext_lazy("层级"),
    "sectors": gettext_lazy("领域"),
    "kinds": gettext_lazy("组织类别"),
    "under": gettext_lazy("下级范围"),
    "codes": gettext_lazy("组织编码"),
    "fields": gettext_lazy("填报项"),
    "key": gettext_lazy("填报项编码"),
    "label": gettext_lazy("填报项名称"),
    "type": gettext_lazy("填报项类型"),
    "unit": gettext_lazy("单位"),
    "required": gettext_lazy("必填"),
    "choices": gettext_lazy("选项"),
    "min_value": gettext_lazy("最小值"),
    "max_value": gettext_lazy("最大值"),
    "binding": gettext_lazy("取自系统数据"),
    "text_required": gettext_lazy("须填写文字说明"),
    "attachments_required": gettext_lazy("至少附件数"),
    "board_shared": gettext_lazy("接收单位互相可见"),
    "reason": gettext_lazy("原因"),
    "values": gettext_lazy("填报内容"),
    "text": gettext_lazy("文字"),
    "status": gettext_lazy("状态"),
    "org": gettext_lazy("党组织编码"),
    "organization": gettext_lazy("责任组织编码"),
    "year": gettext_lazy("年度"),
    "targets": gettext_lazy("目标"),
    "kind": gettext_lazy("目标类型"),
    "target_value": gettext_lazy("目标值"),
    "progress_value": gettext_lazy("完成值"),
    "progress_note": gettext_lazy("进展情况"),
    "met": gettext_lazy("已完成"),
    "signed_on": gettext_lazy("签订日期"),
}

_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _field_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(_("只能包含英文字母、数字、下划线和连字符"))
    return value


Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
FieldKey = Annotated[text(40), AfterValidator(_field_key)]


def _answer(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        if len(value) > 2000:
            raise ValueError(_("不能超过2000个字符"))
        return _clean_text(value)
    raise ValueError(_("应为数字、文本、true/false 或 null"))


# A typed field's raw answer; `tasks.rules.clean_value` checks it against the field's type.
Answer = Annotated[
    Any,
    AfterValidator(_answer),
    WithJsonSchema({"type": ["string", "number", "boolean", "null"]}),
]
# Named up front: inside a schema with a field called `text`, `text(...)` is that field.
LongText = text(5000)
TargetText = text(300)


# ---- scoping ------------------------------------------------------------------------------


def _any_of(user, *prefixes) -> Q:
    """Records whose organization reached by any of `prefixes` the user may see."""
    if is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= org_q(user, prefix)
    return q


def visible_assignments(user):
    """Issued within the caller's subtree, or received by an organization within it."""
    if is_unrestricted(user):
        return Assignment.objects.all()
    received = ReportBack.objects.filter(org_q(user, "organization__"), assignment=OuterRef("pk"))
    return Assignment.objects.filter(org_q(user, "issuer__") | Q(Exists(received)))


def get_assignment(request, assignment_id: int) -> Assignment:
    return get_visible_or_404(
        visible_assignments(request.auth).select_related("issuer"), pk=assignment_id
    )


def get_report_back(request, report_back_id: int) -> ReportBack:
    """A report-back on the receiver's side or the issuer's side of the caller."""
    qs = ReportBack.objects.filter(
        _any_of(request.auth, "organization__", "assignment__issuer__")
    ).select_related("assignment", "organization")
    return get_visible_or_404(qs, pk=report_back_id)


def visible_pledges(user):
    return Pledge.objects.filter(_any_of(user, "issuer__", "organization__"))


def _with_targets(qs):
    targets = PledgeTarget.objects.select_related("pledge__organization").prefetch_related(
        Prefetch("cascaded", queryset=PledgeTarget.objects.select_related("pledge__organization"))
    )
    return qs.select_related("issuer", "organization").prefetch_related(
        Prefetch("targets", queryset=targets)
    )


def get_pledge(request, pledge_id: int) -> Pledge:
    return get_visible_or_404(_with_targets(visible_pledges(request.auth)), pk=pledge_id)


def get_target(request, target_id: int) -> PledgeTarget:
    qs = PledgeTarget.objects.filter(
        _any_of(request.auth, "pledge__issuer__", "pledge__organization__")
    ).select_related("pledge__organization", "pledge__issuer")
    return get_visible_or_404(qs, pk=target_id)


def visible_org_or_404(request, code: str):
    return get_visible_or_404(visible_orgs(request.auth), code=code.strip().upper())


@contextmanager
def no_uploads_here():
    """The API takes no files: when an assignment wants attachments, say where to add them."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict") and "files" in exc.error_dict:
            errors = dict(exc.error_dict)
            errors["files"] = [
                _("%(message)s；接口不接收附件，请在网页上上传附件后报送") % {"message": m}
                for e in errors["files"]
                for m in e.messages
            ]
            raise DjangoValidationError(errors) from exc
        raise


# ---- assignments: schemas -----------------------------------------------------------------


class ReceiversIn(Schema):
    """接收范围：subtree 本组织以下全部；filter 按层级、领域、类别、下级范围筛选；orgs 指定组织。"""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["subtree", "filter", "orgs"] = "subtree"
    levels: list[choice(Level)] = Field([], max_length=20)
    sectors: list[choice(Sector)] = Field([], max_length=20)
    kinds: list[choice(Kind)] = Field([], max_length=20)
    under: list[text(32)] = Field([], max_length=1000, description="只发给这些组织以下的组织")
    codes: list[text(32)] = Field([], max_length=100_000, description="mode=orgs 时的接收组织")


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
    content: text(5000)
    starts_on: datetime.date
    deadline: datetime.date
    receivers: ReceiversIn
    fields: list[FieldIn] = Field([], max_length=50)
    text_required: bool = False
    attachments_required: int = Field(0, ge=0, le=20)
    board_shared: bool = Field(True, description="接收单位能否互相看到晒账单")


class ReviseIn(Schema):
    """只修改给出的字段；每次修改都记录版本，并通知全部接收组织。"""

    model_config = ConfigDict(extra="forbid")

    reason: text(200)
    title: text(200) | None = None
    content: text(5000) | None = None
    deadline: datetime.date | None = None
    text_required: bool | None = None
    attachments_required: int | None = Field(None, ge=0, le=20)


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: text(200)


class NoBodyIn(Schema):
    """请求体为空的 JSON 对象 {}。"""

    model_config = ConfigDict(extra="forbid")


class AssignmentFilters(Schema):
    status: choice(AssignmentStatus) | None = None
    side: Literal["issued", "received"] | None = Field(
        None, description="issued 只看本范围下发的；received 只看本范围接收的"
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

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.code

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


class ReportBackOut(Schema):
    id: int
    assignment: int
    assignment_title: str
    deadline: datetime.date
    organization: str = Field(description="接收组织编码")
    organization_name: str
    status: choice(ReportStatus)
    status_label: str
    late: bool = Field(description="逾期报送，或已过截止日期仍未报送")
    values: dict[str, Any]
    text: str
    files: list[str] = Field(description="附件文件名")
    reported_at: datetime.datetime | None
    first_reported_at: datetime.datetime | None
    returned_reason: str
    accepted_at: datetime.datetime | None
    revisions: int = Field(description="报送次数")

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_assignment_title(obj) -> str:
        return obj.assignment.title

    @staticmethod
    def resolve_deadline(obj) -> datetime.date:
        return obj.assignment.deadline

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_late(obj) -> bool:
        first = obj.first_reported_at
        return rules.is_late(
            obj.assignment.deadline,
            timezone.localtime(first).date() if first else None,
            timezone.localdate(),
        )

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [f.name for f in obj.files.all()]


class ReportIn(Schema):
    """报送或修改晒账单。附件只能在网页上上传。"""

    model_config = ConfigDict(extra="forbid")

    values: dict[FieldKey, Answer] = Field(
        {}, max_length=50, description="{填报项编码: 值}；取自系统数据的填报项按记录填写"
    )
    text: LongText = ""


class ProgressFilters(Schema):
    org: text(32) | None = Field(
        None,
        description="党组织编码，须在管辖范围内；默认交办组织（看不到时为本人所在的最高一级组织）",
    )


class BoardFilters(Schema):
    status: choice(ReportStatus) | None = None


# ---- assignments: routes ------------------------------------------------------------------


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
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def list_assignments(request, filters: Query[AssignmentFilters]):
    user = request.auth
    if filters.side == "issued":
        qs = Assignment.objects.filter(_any_of(user, "issuer__"))
    elif filters.side == "received":
        received = ReportBack.objects.filter(
            _any_of(user, "organization__"), assignment=OuterRef("pk")
        )
        qs = Assignment.objects.filter(Exists(received))
    else:
        qs = visible_assignments(user)
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
    "/assignments/{assignment_id}/report-backs",
    response={200: list[ReportBackOut], **ERRORS},
    summary="晒账单：一个交办单的各接收组织报送情况",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def assignment_report_backs(request, assignment_id: int, filters: Query[BoardFilters]):
    assignment = get_assignment(request, assignment_id)
    qs = services.visible_report_backs(request.auth, assignment)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return (
        qs.select_related("assignment", "organization").prefetch_related("files").order_by("path")
    )


# ---- report-backs -------------------------------------------------------------------------


@router.get(
    "/report-backs/todo",
    response={200: list[ReportBackOut], **ERRORS},
    summary="待办：本人任职组织尚未报送或被退回的晒账单（下级的按交办单看晒账单）",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def report_back_todo(request):
    return (
        services.todo(request.auth)
        .prefetch_related("files")
        .order_by("assignment__deadline", "organization__path", "id")
    )


def _report_back_out(report_back_id: int) -> ReportBack:
    return (
        ReportBack.objects.select_related("assignment", "organization")
        .prefetch_related("files")
        .get(pk=report_back_id)
    )


@router.post(
    "/report-backs/{report_back_id}",
    response={200: ReportBackOut, **ERRORS},
    summary="报送或修改晒账单",
)
def report_back(request, report_back_id: int, payload: ReportIn):
    rb = get_report_back(request, report_back_id)
    keys = {f.key for f in services.fields_of(rb.assignment)}
    unknown = [k for k in payload.values if k not in keys]
    if unknown:
        raise DjangoValidationError(
            {f"values.{k}": [_("“%(key)s”不是该交办单的填报项") % {"key": k}] for k in unknown}
        )
    with no_uploads_here():
        services.report(rb, values=payload.values, text=payload.text, actor=request.auth)
    return _report_back_out(rb.pk)


@router.post(
    "/report-backs/{report_back_id}/accept",
    response={200: ReportBackOut, **ERRORS},
    summary="通过晒账单（交办组织）",
)
def accept_report_back(request, report_back_id: int, payload: NoBodyIn):
    rb = get_report_back(request, report_back_id)
    services.accept(rb, actor=request.auth)
    return _report_back_out(rb.pk)


@router.post(
    "/report-backs/{report_back_id}/return",
    response={200: ReportBackOut, **ERRORS},
    summary="退回晒账单（交办组织），须说明原因",
)
def return_report_back(request, report_back_id: int, payload: ReasonIn):
    rb = get_report_back(request, report_back_id)
    services.return_(rb, reason=payload.reason, actor=request.auth)
    return _report_back_out(rb.pk)


# ---- pledges ------------------------------------------------------------------------------


class TargetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: TargetText
    kind: choice(TargetKind) | None = Field(
        None, description="默认：给出目标值为数量目标，否则文字目标"
    )
    target_value: Amount | None = None
    unit: text(20) = ""


class PledgeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    issuer: text(32) = Field(description="下达组织编码")
    organization: text(32) = Field(description="责任组织编码（下达组织的下级）")
    year: int = Field(ge=2000, le=2100)
    title: text(200)
    targets: list[TargetIn] = Field(max_length=100)


class PledgeFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


class SignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    signed_on: datetime.date | None = Field(None, description="签订日期，默认今天")


class TargetProgressIn(Schema):
    """数量目标填完成值；文字目标填是否完成。"""

    model_config = ConfigDict(extra="forbid")

    progress_value: Amount | None = None
    progress_note: text(300) | None = None  # omitted: keep the note; "": clear it
    met: bool | None = None


class CascadeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    codes: list[text(32)] = Field(min_length=1, max_length=1000, description="下级组织编码")


class TargetOut(Schema):
    id: int
    organization: str = Field(description="责任组织编码")
    text: str
    kind: choice(TargetKind)
    kind_label: str
    target_value: float | None
    unit: str
    progress_value: float = Field(description="本组织自己的完成值")
    effective_progress: float | None = Field(description="数量目标：本组织加上分解到下级的完成值")
    progress_note: str
    met: bool = Field(description="是否已完成")
    source: int | None = Field(description="由上级哪一项目标分解而来")
    cascaded_to: list[str] = Field(description="已分解到的下级组织编码")

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.pledge.organization.code

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_effective_progress(obj) -> float | None:
        value = services.effective_progress(obj)
        return None if value is None else float(value)

    @staticmethod
    def resolve_met(obj) -> bool:
        return services.is_met(obj)

    @staticmethod
    def resolve_source(obj) -> int | None:
        return obj.source_id

    @staticmethod
    def resolve_cascaded_to(obj) -> list[str]:
        return [t.pledge.organization.code for t in obj.cascaded.all()]


class PledgeOut(Schema):
    id: int
    issuer: str = Field(description="下达组织编码")
    issuer_name: str
    organization: str = Field(description="责任组织编码")
    organization_name: str
    year: int
    title: str
    signed: bool
    signed_on: datetime.date | None
    targets: list[TargetOut]

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.code

    @staticmethod
    def resolve_issuer_name(obj) -> str:
        return obj.issuer.name

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_signed(obj) -> bool:
        return obj.signed_on is not None

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())


def _pledge_out(pledge_id: int) -> Pledge:
    return _with_targets(Pledge.objects.all()).get(pk=pledge_id)


def _target_out(target_id: int) -> PledgeTarget:
    return (
        PledgeTarget.objects.select_related("pledge__organization")
        .prefetch_related("cascaded__pledge__organization")
        .get(pk=target_id)
    )


@router.post("/pledges", response={201: PledgeOut, **ERRORS}, summary="下达目标责任书")
def create_pledge(request, payload: PledgeIn):
    issuer = visible_by_code(request, payload.issuer, "issuer")
    organization = visible_by_code(request, payload.organization, "organization")
    pledge = services.create_pledge(
        issuer,
        organization,
        year=payload.year,
        title=payload.title,
        targets=[t.dict() for t in payload.targets],
        actor=request.auth,
    )
    return Status(201, _pledge_out(pledge.pk))


@router.get("/pledges", response={200: list[PledgeOut], **ERRORS}, summary="目标责任书列表")
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def list_pledges(request, filters: Query[PledgeFilters]):
    qs = visible_pledges(request.auth)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return _with_targets(qs).order_by("-year", "organization__path", "id")


@router.get("/pledges/{pledge_id}", response={200: PledgeOut, **ERRORS}, summary="目标责任书详情")
def get_pledge_detail(request, pledge_id: int):
    return get_pledge(request, pledge_id)


@router.post(
    "/pledges/{pledge_id}/sign", response={200: PledgeOut, **ERRORS}, summary="签订目标责任书"
)
def sign_pledge(request, pledge_id: int, payload: SignIn):
    pledge = get_pledge(request, pledge_id)
    if payload.signed_on and payload.signed_on > timezone.localdate():
        raise invalid("signed_on", _("签订日期不能晚于今天"))
    services.sign(pledge, on=payload.signed_on, actor=request.auth)
    return _pledge_out(pledge.pk)


@router.post("/targets/{target_id}", response={200: TargetOut, **ERRORS}, summary="更新目标进展")
def update_target(request, target_id: int, payload: TargetProgressIn):
    target = get_target(request, target_id)
    services.update_target(
        target,
        progress_value=payload.progress_value,
        progress_note=payload.progress_note,
        met=payload.met,
        actor=request.auth,
    )
    return _target_out(target.pk)


@router.post(
    "/targets/{target_id}/cascade",
    response={201: list[TargetOut], **ERRORS},
    summary="把目标分解到下级组织",
)
def cascade_target(request, target_id: int, payload: CascadeIn):
    target = get_target(request, target_id)
    organizations = [visible_by_code(request, code, "codes") for code in payload.codes]
    with renamed_fields(organization="codes"):
        made = services.cascade(target, organizations, actor=request.auth)
    return Status(201, [_target_out(t.pk) for t in made])
