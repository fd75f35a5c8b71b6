"""/api/tasks/pledges and /targets: pledges (目标责任书), their targets, signing, progress
and cascading to the organizations below."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, renamed_fields
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.services import invalid
from dangjian.orgs.api import visible_by_code
from dangjian.tasks import selectors, services
from dangjian.tasks.models import (
    Pledge,
    PledgeTarget,
    TargetKind,
)

from .common import (
    Amount,
    TargetText,
    router,
)


def _with_targets(qs):
    targets = PledgeTarget.objects.select_related("pledge__organization").prefetch_related(
        Prefetch("cascaded", queryset=PledgeTarget.objects.select_related("pledge__organization"))
    )
    return qs.select_related("issuer", "organization").prefetch_related(
        Prefetch("targets", queryset=targets)
    )


def get_pledge(request, pledge_id: int) -> Pledge:
    return get_visible_or_404(_with_targets(selectors.visible_pledges(request.auth)), pk=pledge_id)


def get_target(request, target_id: int) -> PledgeTarget:
    qs = selectors.visible_targets(request.auth).select_related(
        "pledge__organization", "pledge__issuer"
    )
    return get_visible_or_404(qs, pk=target_id)


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

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

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
@paginate(Page)
def list_pledges(request, filters: Query[PledgeFilters]):
    qs = selectors.visible_pledges(request.auth)
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
