"""/api/supervision/: the rectification ledger (items, progress, sign-off), inspection plans
and records with findings, red supervision orders and interviews — the same selectors,
services, checks and messages as the pages; 404 outside the caller's subtree."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import org_by_code

from . import selectors, services
from .models import (
    Finding,
    GuarantorLevel,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Interview,
    ItemSource,
    MeasureKind,
    ProgressNote,
    RectificationItem,
    ShownStatus,
    SupervisionOrder,
)

register_labels(
    "/supervision",
    {
        **model_labels(RectificationItem),
        **model_labels(ProgressNote),
        **model_labels(InspectionPlan),
        **model_labels(Inspection),
        **model_labels(Finding),
        **model_labels(SupervisionOrder),
        **model_labels(Interview),
        "org": "党组织编码",
        "guarantors": "包保责任人",
        "note": "销号意见",
    },
)
router = Router(tags=["督查整改"])


# ---- the ledger ---------------------------------------------------------------------------


class GuarantorOut(Schema):
    level: choice(GuarantorLevel)
    name: str
    post: str


class ItemOut(Schema):
    id: int
    organization: str
    organization_name: str
    source: choice(ItemSource)
    source_ref: str
    problem: str
    measure_kind: choice(MeasureKind)
    measures: str
    owner_name: str
    opened_on: datetime.date
    deadline: datetime.date
    status: choice(ShownStatus) = Field(description="已逾期（overdue）由整改期限算出")
    rectified_on: datetime.date | None
    signed_off_name: str
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_status(obj):
        return obj.shown_status(timezone.localdate())


class NoteOut(Schema):
    noted_on: datetime.date
    text: str
    files: list[str]

    @staticmethod
    def resolve_files(obj):
        return [f.name for f in obj.files.all()]


class ItemDetailOut(ItemOut):
    guarantors: list[GuarantorOut]
    progress: list[NoteOut]
    sign_off_note: str
    order_id: int | None

    @staticmethod
    def resolve_guarantors(obj):
        return list(obj.guarantors.all())

    @staticmethod
    def resolve_progress(obj):
        return list(obj.progress_notes.order_by("noted_on", "pk").prefetch_related("files"))

    @staticmethod
    def resolve_order_id(obj):
        order = SupervisionOrder.objects.filter(item=obj).values_list("pk", flat=True).first()
        return order


class ItemFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）的事项")
    status: choice(ShownStatus) | None = None
    sector: choice(Sector) | None = None
    source: choice(ItemSource) | None = None


class GuarantorIn(Schema):
    level: choice(GuarantorLevel)
    name: text(40)
    post: text(60) = ""


class ItemIn(Schema):
    org: text(40)
    problem: text(2000)
    deadline: datetime.date
    measure_kind: choice(MeasureKind) = "other"
    measures: text(2000) = ""
    owner_name: text(40) = ""
    guarantors: list[GuarantorIn] = Field(default_factory=list, max_length=20)


class ProgressIn(Schema):
    text: text(2000)
    noted_on: datetime.date | None = None


class SignOffIn(Schema):
    rectified_on: datetime.date | None = None
    note: text(2000) = ""


@router.get("/items", response={200: list[ItemOut], **ERRORS}, summary="整改台账")
@paginate(Page)
def list_items(request, filters: Query[ItemFilters]):
    org = org_by_code(request.auth, filters.org, "org") if filters.org else None
    return selectors.ledger(
        request.auth,
        today=timezone.localdate(),
        status=filters.status or "",
        sector=filters.sector or "",
        source=filters.source or "",
        org=org,
    )


@router.post("/items", response={201: ItemDetailOut, **ERRORS}, summary="登记整改事项")
def create_item(request, payload: ItemIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    item = services.create_rectification_item(request.auth, organization=org, **data)
    return Status(201, item)


@router.get("/items/{item_id}", response={200: ItemDetailOut, **ERRORS}, summary="整改事项")
def get_item(request, item_id: int):
    return selectors.find_item(request.auth, item_id)


@router.post(
    "/items/{item_id}/progress", response={201: ItemDetailOut, **ERRORS}, summary="填报整改进展"
)
def add_progress(request, item_id: int, payload: ProgressIn):
    item = selectors.find_item(request.auth, item_id)
    services.add_progress(request.auth, item, **payload.dict())
    return Status(201, selectors.find_item(request.auth, item_id))


@router.post(
    "/items/{item_id}/sign-off", response={200: ItemDetailOut, **ERRORS}, summary="验收销号"
)
def sign_off(request, item_id: int, payload: SignOffIn):
    """由上级党组织验收销号；须已有整改进展，本组织不能自己销号，不能重复销号。"""
    item = selectors.find_item(request.auth, item_id)
    return services.sign_off(request.auth, item, **payload.dict())


# ---- inspections ----------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    organization: str
    organization_name: str
    kind: choice(InspectionKind)
    title: str
    content: str
    starts_on: datetime.date
    ends_on: datetime.date
    sample_size: int
    scored: bool
    indicator_code: str
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)


class PlanIn(Schema):
    org: text(40)
    kind: choice(InspectionKind)
    title: text(120)
    content: text(2000) = ""
    starts_on: datetime.date
    ends_on: datetime.date
    sample_size: int | None = Field(None, ge=0, le=500)
    scored: bool = False
    indicator_code: text(40) = ""


class FindingOut(Schema):
    id: int
    organization: str
    organization_name: str
    problem: str
    score: Decimal | None
    indicator_code: str
    item_id: int | None
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_item_id(obj):
        item = getattr(obj, "item", None)
        return item.pk if item is not None else None


class InspectionOut(Schema):
    id: int
    plan_id: int
    organization: str
    kind: choice(InspectionKind)
    held_on: datetime.date
    inspectors: str
    summary: str
    status: choice(InspectionStatus)
    notice_id: int | None
    resolve_organization = staticmethod(organization_code)


class InspectionDetailOut(InspectionOut):
    sample_seed: str
    sample: list[str] = Field(description="电话抽查抽中的党支部编码，按抽取顺序")
    findings: list[FindingOut]

    @staticmethod
    def resolve_sample(obj):
        return [o.code for o in selectors.sample_of(obj)]

    @staticmethod
    def resolve_findings(obj):
        return selectors.findings_of(obj)


class InspectionIn(Schema):
    held_on: datetime.date
    inspectors: text(200)
    summary: text(2000) = ""


class FindingIn(Schema):
    org: text(40)
    problem: text(2000) = ""
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=6, decimal_places=2)
    indicator_code: text(40) = ""
    deadline: datetime.date | None = None
    owner_name: text(40) = ""
    measure_kind: choice(MeasureKind) = "other"
    measures: text(2000) = ""


class CloseIn(Schema):
    issued_on: datetime.date | None = Field(None, description="通报成文日期，默认今天")


class CloseOut(Schema):
    notice_id: int
    number: str


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="督查计划")
@paginate(Page)
def list_plans(request, kind: choice(InspectionKind) | None = None):
    qs = selectors.visible_plans(request.auth).order_by("-starts_on", "-pk")
    return qs.filter(kind=kind) if kind else qs


@router.post("/plans", response={201: PlanOut, **ERRORS}, summary="制定督查计划")
def create_plan(request, payload: PlanIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.create_plan(request.auth, org, **data))


@router.post(
    "/plans/{plan_id}/inspections",
    response={201: InspectionDetailOut, **ERRORS},
    summary="登记一次督查（电话抽查同时抽样）",
)
def record_inspection(request, plan_id: int, payload: InspectionIn):
    plan = selectors.find_plan(request.auth, plan_id)
    return Status(201, services.record_inspection(request.auth, plan, **payload.dict()))


@router.get("/inspections", response={200: list[InspectionOut], **ERRORS}, summary="督查记录")
@paginate(Page)
def list_inspections(request, kind: choice(InspectionKind) | None = None):
    qs = selectors.visible_inspections(request.auth).order_by("-held_on", "-pk")
    return qs.filter(kind=kind) if kind else qs


@router.get(
    "/inspections/{inspection_id}",
    response={200: InspectionDetailOut, **ERRORS},
    summary="督查记录及发现",
)
def get_inspection(request, inspection_id: int):
    return selectors.find_inspection(request.auth, inspection_id)


@router.post(
    "/inspections/{inspection_id}/findings",
    response={201: FindingOut, **ERRORS},
    summary="登记督查发现（有问题的列入整改台账）",
)
def add_finding(request, inspection_id: int, payload: FindingIn):
    record = selectors.find_inspection(request.auth, inspection_id)
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.add_finding(request.auth, record, organization=org, **data))


@router.post(
    "/inspections/{inspection_id}/close",
    response={200: CloseOut, **ERRORS},
    summary="结束督查并发出通报",
)
def close_inspection(request, inspection_id: int, payload: CloseIn):
    record = selectors.find_inspection(request.auth, inspection_id)
    notice = services.close_inspection(request.auth, record, today=payload.issued_on)
    return {"notice_id": notice.pk, "number": notice.number}


# ---- orders and interviews ------------------------------------------------------------------


class OrderOut(Schema):
    id: int
    item_id: int
    organization: str
    issuer: str
    issued_on: datetime.date
    addressee_name: str
    text: str
    reply_by: datetime.date
    replied_on: datetime.date | None
    reply: str
    resolve_organization = staticmethod(organization_code)

    @staticmethod
    def resolve_issuer(obj):
        return obj.issuer.code


class ReplyIn(Schema):
    reply: text(2000)


class InterviewOut(Schema):
    id: int
    organization: str
    item_id: int | None
    held_on: datetime.date
    interviewers: str
    interviewees: str
    content: str
    outcome: str
    resolve_organization = staticmethod(organization_code)


class InterviewIn(Schema):
    org: text(40)
    item_id: int | None = None
    held_on: datetime.date
    interviewers: text(200)
    interviewees: text(200)
    content: text(2000)
    outcome: text(2000)


@router.get("/orders", response={200: list[OrderOut], **ERRORS}, summary="红色督办单")
@paginate(Page)
def list_orders(request, open_only: bool = False):
    qs = selectors.visible_orders(request.auth).order_by("-issued_on", "-pk")
    return qs.filter(replied_on__isnull=True) if open_only else qs


@router.post("/orders/{order_id}/reply", response={200: OrderOut, **ERRORS}, summary="反馈督办单")
def reply_order(request, order_id: int, payload: ReplyIn):
    order = selectors.find_order(request.auth, order_id)
    return services.reply_order(request.auth, order, reply=payload.reply)


@router.get("/interviews", response={200: list[InterviewOut], **ERRORS}, summary="约谈")
@paginate(Page)
def list_interviews(request):
    return selectors.visible_interviews(request.auth).order_by("-held_on", "-pk")


@router.post("/interviews", response={201: InterviewOut, **ERRORS}, summary="登记约谈")
def record_interview(request, payload: InterviewIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    item_id = data.pop("item_id")
    item = selectors.find_item(request.auth, item_id) if item_id else None
    return Status(201, services.record_interview(request.auth, org, item=item, **data))
