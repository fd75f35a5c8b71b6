"""/api/weak/: weak organizations — the flags the caller manages (with their findings), a
hand flag with its reason, the county's confirmation or dismissal, detection as a job, and
the year's list. The same services, checks and messages as the pages; 404 outside the
caller's subtree, 403 where only the county may act."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import covers, get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.orgs.selectors import org_by_code, visible_orgs
from dangjian.supervision.models import GuarantorLevel, MeasureKind

from . import selectors, services
from .models import Criterion, Finding, Flag, FlagStatus, Source

register_labels(
    "/weak",
    {
        **model_labels(Flag),
        **model_labels(Finding),
        "org": "党组织编码",
        "guarantors": "包保责任人",
    },
)
router = Router(tags=["软弱涣散党组织"])


class FindingOut(Schema):
    criterion: choice(Criterion)
    criterion_label: str = Field(alias="get_criterion_display")
    source: choice(Source)
    evidence: str = Field(description="数据排查的依据，或人工提出的理由")
    facts: dict
    detected_on: datetime.date


class FlagOut(Schema):
    id: int
    organization: str
    organization_name: str
    year: int
    status: choice(FlagStatus)
    decided_on: datetime.date | None
    decision_note: str
    rectification_ref: str = Field(description="整改台账中的事项编号")
    findings: list[FindingOut]
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())


class FlagFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）")
    year: int | None = Field(None, ge=2000, le=2100, description="默认本年度")
    status: choice(FlagStatus) | None = None


class HandFlagIn(Schema):
    org: text(40)
    year: int = Field(ge=2000, le=2100)
    criterion: choice(Criterion)
    reason: text(2000)


class GuarantorIn(Schema):
    level: choice(GuarantorLevel)
    name: text(40)
    post: text(60)


class ConfirmIn(Schema):
    note: text(2000) = ""
    measure_kind: choice(MeasureKind) = Field("other", description="整改方式")
    measures: text(4000) = ""
    deadline: datetime.date | None = None
    guarantors: list[GuarantorIn] = Field(default_factory=list, max_length=10)


class DismissIn(Schema):
    reason: text(2000)


class DetectIn(Schema):
    year: int = Field(ge=2000, le=2100)


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="默认本年度")


class JobOut(Schema):
    job: str
    url: str


class CountOut(Schema):
    label: str
    count: int


class YearListOut(Schema):
    organization: str
    year: int
    fixed_on: datetime.date | None
    count: int
    villages: int
    weak_villages: int
    by_sector: list[CountOut]
    by_level: list[CountOut]
    flags: list[FlagOut] = Field(description="前1000个；全部见 /flags?status=confirmed")


def _managed(request, code):
    org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))
    if not covers(request.auth, org):
        raise PermissionDenied("软弱涣散排查只对本组织及上级党组织的管理者开放")
    return org


@router.get("/flags", response={200: list[FlagOut], **ERRORS}, summary="软弱涣散排查（候选与认定）")
@paginate(Page)
def list_flags(request, filters: Query[FlagFilters]):
    qs = selectors.with_findings(selectors.visible_flags(request.auth))
    qs = qs.filter(year=filters.year or timezone.localdate().year)
    if filters.org:
        org = org_by_code(request.auth, filters.org, "org")
        qs = qs.filter(organization__path__startswith=org.path)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("organization__path")


@router.get("/flags/{flag_id}", response={200: FlagOut, **ERRORS}, summary="一个组织一年的排查")
def get_flag(request, flag_id: int):
    return selectors.find_flag(request.auth, flag_id)


@router.post("/flags", response={201: FlagOut, **ERRORS}, summary="人工提出软弱涣散情形")
def flag_by_hand(request, payload: HandFlagIn):
    """数据无法反映的情形（班子不团结、拉票贿选等），须写明理由；由上级党组织提出。"""
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    finding = services.flag_by_hand(request.auth, org, **data)
    return Status(201, selectors.find_flag(request.auth, finding.flag_id))


@router.post("/flags/{flag_id}/confirm", response={200: FlagOut, **ERRORS}, summary="认定")
def confirm(request, flag_id: int, payload: ConfirmIn):
    """只有县委组织部可以认定；认定后建立整改台账。"""
    flag = selectors.find_flag(request.auth, flag_id)
    data = payload.dict()
    services.confirm(request.auth, flag, **data)
    return selectors.find_flag(request.auth, flag_id)


@router.post("/flags/{flag_id}/dismiss", response={200: FlagOut, **ERRORS}, summary="排除")
def dismiss(request, flag_id: int, payload: DismissIn):
    """只有县委组织部可以排除，须写明理由；本年度再次排查也不会恢复。"""
    flag = selectors.find_flag(request.auth, flag_id)
    services.dismiss(request.auth, flag, reason=payload.reason)
    return selectors.find_flag(request.auth, flag_id)


@router.post("/detect/{code}", response={201: JobOut, **ERRORS}, summary="按数据排查（后台任务）")
def detect(request, code: str, payload: DetectIn):
    org = _managed(request, code)
    job = services.start_detection(request.auth, org, payload.year)
    return Status(201, {"job": str(job.pk), "url": f"/jobs/{job.pk}/"})


@router.get("/list/{code}", response={200: YearListOut, **ERRORS}, summary="年度名单")
def year_list(request, code: str, query: Query[YearQuery]):
    org = _managed(request, code)
    year = query.year or timezone.localdate().year
    data = selectors.year_list(request.auth, org, year)
    return {
        "organization": org.code,
        "year": year,
        "fixed_on": data["fixed"].fixed_on if data["fixed"] else None,
        "count": data["count"],
        "villages": data["villages"],
        "weak_villages": data["weak_villages"],
        "by_sector": [{"label": str(label), "count": n} for label, n in data["by_sector"]],
        "by_level": [{"label": str(label), "count": n} for label, n in data["by_level"]],
        "flags": list(data["flags"][:1000]),
    }
