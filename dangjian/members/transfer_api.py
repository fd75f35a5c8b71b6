"""/api/members/transfers and /api/members/mobile: transfers and mobile members, scoped
like the pages (members.selectors), written through members.transfers."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS
from dangjian.core.api.fields import choice, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.core.services import invalid
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import visible_orgs

from . import transfers
from .api import get_member, router
from .models import MobileDocument, TransferDirection, TransferStatus
from .selectors import find_transfer, org_mobile, org_transfers


def _org(request, code):
    """The list's organization (?org=): outside the caller's subtree a 404, as a path is."""
    return get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))


class TransferOut(Schema):
    id: int
    member_id: int
    member_name: str
    direction: choice(TransferDirection)
    from_organization: str | None
    to_organization: str | None
    origin: str
    destination: str
    letter_number: str
    issued_on: datetime.date
    valid_until: datetime.date
    reason: str
    status: choice(TransferStatus)
    refusal_reason: str
    received_on: datetime.date | None
    closed_on: datetime.date | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_from_organization(obj):
        return obj.from_organization.code if obj.from_organization_id else None

    @staticmethod
    def resolve_to_organization(obj):
        return obj.to_organization.code if obj.to_organization_id else None


class TransferFilters(Schema):
    org: str = Field(description="转出或转入该组织（及其下级）的转接")
    status: choice(TransferStatus) | None = None


class TransferIn(Schema):
    to_organization: str | None = Field(None, description="系统内接收组织的编码")
    outside_name: text(120) = Field("", description="转往系统外时：接收组织名称")
    letter_number: text(40)
    issued_on: datetime.date | None = None
    reason: text(200) = ""


class TransferActionIn(Schema):
    on: datetime.date | None = None
    reason: text(200) = Field("", description="退回时必填：退回理由")


class MobileOut(Schema):
    id: int
    member_id: int
    member_name: str
    place: str
    unit: str
    since: datetime.date
    expected_until: datetime.date | None
    fixed_place: bool
    document: choice(MobileDocument)
    contact: str
    ended_on: datetime.date | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class MobileIn(Schema):
    place: text(120)
    unit: text(200) = ""
    since: datetime.date
    expected_until: datetime.date | None = None
    fixed_place: bool = True
    document: choice(MobileDocument) | None = None
    contact_member_id: int | None = None
    contact_name: text(40) = ""
    contact_phone: text(20) = ""


@router.get("/transfers/", response={200: list[TransferOut], **ERRORS}, summary="组织关系转接")
@paginate(Page)
def list_transfers(request, filters: Query[TransferFilters]):
    org = _org(request, filters.org)
    return org_transfers(request.auth, org, status=filters.status or "")


@router.post(
    "/{member_id}/transfers", response={200: TransferOut, **ERRORS}, summary="开具组织关系介绍信"
)
def issue_transfer(request, member_id: int, payload: TransferIn):
    member = get_member(request, member_id)
    to = None
    if payload.to_organization:
        # The receiving organization is usually outside the sender's subtree.
        to = Organization.objects.filter(
            code=payload.to_organization.strip().upper(), dissolved_on__isnull=True
        ).first()
        if to is None:
            raise invalid(
                "to_organization",
                _("未找到组织编码为“%(code)s”的组织") % {"code": payload.to_organization},
            )
    t = transfers.issue(
        member,
        to=to,
        outside_name=payload.outside_name,
        letter_number=payload.letter_number,
        issued_on=payload.issued_on,
        reason=payload.reason,
        actor=request.auth,
    )
    return find_transfer(request.auth, t.pk)


ACTIONS = ("receive", "confirm", "refuse", "cancel", "receipt")


@router.post(
    "/transfers/{transfer_id}/{action}",
    response={200: TransferOut, **ERRORS},
    summary="接收、确认、退回、撤销介绍信或登记回执",
)
def act_on_transfer(request, transfer_id: int, action: str, payload: TransferActionIn):
    if action not in ACTIONS:
        raise Http404
    t = find_transfer(request.auth, transfer_id)
    user = request.auth
    if action == "receive":
        transfers.receive(t, actor=user, on=payload.on)
    elif action == "confirm":
        transfers.confirm(t, actor=user, on=payload.on)
    elif action == "refuse":
        transfers.refuse(t, reason=payload.reason, actor=user)
    elif action == "cancel":
        transfers.cancel(t, actor=user)
    else:
        transfers.record_receipt(t, actor=user, on=payload.on)
    return find_transfer(request.auth, t.pk)


class MobileFilters(Schema):
    org: str
    include_ended: bool = False


@router.get("/mobile/", response={200: list[MobileOut], **ERRORS}, summary="流动党员")
@paginate(Page)
def list_mobile(request, filters: Query[MobileFilters]):
    org = _org(request, filters.org)
    return org_mobile(request.auth, org, include_ended=filters.include_ended)


@router.post("/{member_id}/mobile", response={200: MobileOut, **ERRORS}, summary="登记流动党员")
def start_mobile(request, member_id: int, payload: MobileIn):
    member = get_member(request, member_id)
    data = payload.dict()
    contact_id = data.pop("contact_member_id")
    contact = get_member(request, contact_id) if contact_id else None
    data["document"] = data["document"] or ""
    return transfers.start_mobile(member, contact_member=contact, actor=request.auth, **data)
