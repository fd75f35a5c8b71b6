"""/api/notices/: the notices the caller sees (as on the pages), one with its body, and its
PDF. Notices are issued by the apps whose records they report (supervision, assessment)."""

import datetime
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.core.api.errors import ERRORS
from dangjian.core.api.fields import choice
from dangjian.core.api.pagination import Page

from . import pdf, selectors
from .models import NoticeKind

router = Router(tags=["通报"])


class TableOut(Schema):
    columns: list[str]
    rows: list[list[str]]


class SectionOut(Schema):
    heading: str
    paragraphs: list[str]
    table: TableOut | None = None


class NoticeOut(Schema):
    id: int
    number: str = Field(description="发文字号，如“宁组通〔2026〕3号”")
    title: str
    kind: choice(NoticeKind)
    issuer: str = Field(description="发文党组织编码")
    issuer_name: str = Field(description="发文机关名称（按印发时）")
    issued_on: datetime.date
    withdrawn_on: datetime.date | None = None
    url: str
    pdf_url: str

    @staticmethod
    def resolve_issuer(obj):
        return obj.issuer.code

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_pdf_url(obj):
        return f"{obj.get_absolute_url()}pdf"


class NoticeDetailOut(NoticeOut):
    addressees: str
    sections: list[SectionOut]
    source_url: str
    withdrawn_reason: str


class NoticeFilters(Schema):
    kind: choice(NoticeKind) | None = None
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/", response={200: list[NoticeOut], **ERRORS}, summary="通报列表")
@paginate(Page)
def list_notices(request, filters: Query[NoticeFilters]):
    qs = selectors.visible_notices(request.auth).order_by("-issued_on", "-pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(year=filters.year)
    return qs


@router.get("/{notice_id}", response={200: NoticeDetailOut, **ERRORS}, summary="通报全文")
def get_notice(request, notice_id: int):
    return selectors.find_notice(request.auth, notice_id)


@router.get("/{notice_id}/pdf", response={200: None, **ERRORS}, summary="通报PDF")
def get_notice_pdf(request, notice_id: int):
    notice = selectors.find_notice(request.auth, notice_id)
    response = HttpResponse(pdf.render(notice), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(notice.number)}.pdf"
    return response
