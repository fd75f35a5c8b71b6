"""The API of dues: mounted at /api/dues/. The ledger (scoped like the pages), a payment
covering one or several months, and a member's (re-)base — the same services, checks and
messages as the pages; money in yuan as text ("3000.01"), stored as integer fen."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, register_labels
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.members.selectors import visible_members
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import rules, selectors, services

router = Router(tags=["党费"])

register_labels(
    "/dues",
    {
        "org": "党组织编码",
        "year": "年度",
        "month": "月份",
        "first": "起始月份",
        "last": "截止月份",
        "paid_on": "交纳日期",
        "collector": "收缴人",
        "effective_from": "起始月份",
        "category": "交纳类别",
        "base_yuan": "计算基数",
        "rural_yuan": "农民党员月交纳额",
        "reduced_yuan": "少交后月交纳额",
        "reason": "少交或免交理由",
    },
)


class LedgerFilters(Schema):
    org: str | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)
    status: str = ""


class LedgerOut(Schema):
    id: int
    organization: str
    member_id: int
    member_name: str
    month: str
    due_yuan: str
    paid_yuan: str
    paid_on: datetime.date | None
    collector: str

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.code

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_month(obj):
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_due_yuan(obj):
        return rules.fen_to_yuan(obj.due_fen)

    @staticmethod
    def resolve_paid_yuan(obj):
        return rules.fen_to_yuan(obj.paid_fen)


@router.get("/ledger", response={200: list[LedgerOut], **ERRORS}, summary="党费收缴台账")
@paginate(Page)
def list_ledger(request, filters: Query[LedgerFilters]):
    if filters.org:
        org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(filters.org))
    else:
        org = home_organization(request.auth)
    if org is None:
        return []
    month = filters.month
    status = filters.status if filters.status in selectors.STATUSES else ""
    return selectors.ledger(
        request.auth,
        org,
        year=filters.year or timezone.localdate().year,
        month=month,
        status=status,
    )


class PaymentIn(Schema):
    first: str
    last: str | None = None
    paid_on: datetime.date | None = None
    collector: str = ""
    note: str = ""


class PaymentOut(Schema):
    member_id: int
    paid_yuan: str


@router.post(
    "/members/{member_id}/payments", response={201: PaymentOut, **ERRORS}, summary="登记交纳党费"
)
def record_payment(request, member_id: int, payload: PaymentIn):
    """一次可交纳一个月或几个月（按季、预交、补交），每月按应交金额交足。"""
    member = visible_members(request.auth).filter(pk=member_id).first()
    if member is None:
        raise Http404
    data = payload.dict()
    total = services.pay_months(
        request.auth,
        member,
        data["first"],
        data["last"] or data["first"],
        paid_on=data["paid_on"],
        collector=data["collector"],
        note=data["note"],
    )
    return Status(201, {"member_id": member.pk, "paid_yuan": rules.fen_to_yuan(total)})


class BaseIn(Schema):
    effective_from: str
    category: str
    base_yuan: str = ""
    rural_yuan: str = ""
    exempt: bool = False
    reduced_yuan: str = ""
    reason: str = ""


class BaseOut(Schema):
    id: int
    member_id: int
    effective_from: str
    category: str
    base_yuan: str
    monthly_yuan: str
    needs_approval: bool

    @staticmethod
    def resolve_effective_from(obj):
        return f"{obj.effective_from:%Y-%m}"

    @staticmethod
    def resolve_base_yuan(obj):
        return rules.fen_to_yuan(obj.base_fen)

    @staticmethod
    def resolve_monthly_yuan(obj):
        return rules.fen_to_yuan(obj.monthly_fen)


@router.post("/members/{member_id}/base", response={201: BaseOut, **ERRORS}, summary="核定党费基数")
def set_base(request, member_id: int, payload: BaseIn):
    """交纳类别：employed 在职、retired 离退休、rural 农民、student 学生、other 无固定收入。
    新基数自起始月份起适用。"""
    member = visible_members(request.auth).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return Status(201, services.set_base(request.auth, member, **payload.dict()))
