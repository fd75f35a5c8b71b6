"""/api/tasks/report-backs: the to-do list, reporting, accepting and returning."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS
from dangjian.core.api.pagination import Page
from dangjian.tasks import selectors, services
from dangjian.tasks.models import (
    ReportBack,
)

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
