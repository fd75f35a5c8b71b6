"""/api/tasks/report-backs: the to-do list, reporting, accepting and returning."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS
from dangjian.core.api.fields import text
from dangjian.core.api.pagination import Page
from dangjian.tasks import selectors, services
from dangjian.tasks.models import (
    ReportBack,
)

from .assignments import AssignmentDetailOut, FieldIn, _detail
from .common import (
    Answer,
    FieldKey,
    LongText,
    NoBodyIn,
    ReasonIn,
    ReportBackOut,
    router,
)


def get_report_back(request, report_back_id: int) -> ReportBack:
    """A report-back the caller may act on: the receiver's side or the issuer's side."""
    qs = selectors.visible_report_backs(request.auth, action="act").select_related(
        "assignment", "organization"
    )
    return get_visible_or_404(qs, pk=report_back_id)


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


class ReportIn(Schema):
    """报送或修改晒账单。附件只能在网页上上传。"""

    model_config = ConfigDict(extra="forbid")

    values: dict[FieldKey, Answer] = Field(
        {}, max_length=50, description="{填报项编码: 值}；取自系统数据的填报项按记录填写"
    )
    text: LongText = ""


class RelayIn(Schema):
    """转办给本组织之下的组织。codes 为空则转给直属下级中应承担的组织。"""

    model_config = ConfigDict(extra="forbid")

    codes: list[text(32)] | None = Field(
        None, max_length=10_000, description="转办组织编码；不填则为直属下级（党小组除外）"
    )
    deadline: datetime.date | None = Field(None, description="不晚于原交办单的截止日期；默认相同")
    note: text(2000) = Field("", description="补充要求")
    fields: list[FieldIn] = Field([], max_length=20, description="补充填报项（原填报项照常填写）")


@router.post(
    "/report-backs/{report_back_id}/relay",
    response={201: AssignmentDetailOut, **ERRORS},
    summary="转办：接收组织把交办单转给其下级组织（本组织的晒账单 = 转办单位合计 + 本级自身部分）",
)
def relay_report_back(request, report_back_id: int, payload: RelayIn):
    rb = get_report_back(request, report_back_id)
    fields = [{k: v for k, v in f.dict().items() if k != "key" or v} for f in payload.fields]
    relayed = services.relay(
        rb,
        codes=payload.codes,
        deadline=payload.deadline,
        note=payload.note,
        fields=fields,
        actor=request.auth,
    )
    return Status(201, _detail(relayed.pk))


@router.get(
    "/report-backs/todo",
    response={200: list[ReportBackOut], **ERRORS},
    summary="待办：本人任职组织尚未报送或被退回的晒账单（下级的按交办单看晒账单）",
)
@paginate(Page)
def report_back_todo(request):
    return (
        selectors.todo(request.auth)
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


class ExtendIn(Schema):
    """延期：为一个接收组织把截止日期推后（审核组织或交办组织），须说明原因。"""

    model_config = ConfigDict(extra="forbid")

    deadline: datetime.date = Field(description="延期后的截止日期，须晚于现在的截止日期")
    reason: text(200) = Field(description="延期原因")


@router.post(
    "/report-backs/{report_back_id}/extend",
    response={200: ReportBackOut, **ERRORS},
    summary="为一个接收组织延期（审核组织或交办组织），须说明原因",
)
def extend_report_back(request, report_back_id: int, payload: ExtendIn):
    rb = get_report_back(request, report_back_id)
    services.extend_deadline(request.auth, rb, payload.deadline, payload.reason)
    return _report_back_out(rb.pk)
