"""/api/village/: venues (with works and funds), the county's pay rule and the villages' pay
sheets — the same services, checks and messages as the pages; 404 outside the caller's
subtree. Amounts are given as text in yuan ("8437.50", "1.92"): read as Decimal, never as
floats; answers give them in fen."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.core.periods import Period
from dangjian.core.services import invalid
from dangjian.orgs.models import Level
from dangjian.orgs.selectors import visible_orgs

from . import rules, selectors, services
from .models import Funding, PayRule, PaySheet, Post, Rounding, SheetStatus, Venue, WorkKind

router = Router(tags=["阵地与报酬"])
register_labels(
    "/village",
    {
        **model_labels(Venue),
        **model_labels(PayRule),
        **model_labels(PaySheet),
        "cost": "投入金额（元）",
        "office": "办公经费（元）",
        "service": "服务群众经费（元）",
        "performance": "绩效报酬（元）",
        "posts": "岗位报酬",
    },
)


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))


class PlacedOut(Schema):
    organization: str
    organization_name: str
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)


# ---- venues ---------------------------------------------------------------------------------


class VenueOut(PlacedOut):
    id: int
    address: str
    office_phone: str
    building_area: str
    square_area: str
    built_year: int | None
    has_site: bool
    has_rules: bool
    has_signage: bool
    has_equipment: bool
    has_records: bool
    five_haves: bool
    checked_on: datetime.date | None
    fn_office: bool
    fn_activity: bool
    fn_training: bool
    fn_service: bool
    fn_culture: bool
    fn_information: bool
    six_in_one: bool

    @staticmethod
    def resolve_building_area(obj):
        return str(obj.building_area)

    @staticmethod
    def resolve_square_area(obj):
        return str(obj.square_area)


class VenueIn(Schema):
    address: text(200)
    office_phone: text(32) = ""
    building_area: text(12) = Field(description="平方米，如 320.5")
    square_area: text(12) = "0"
    built_year: int | None = Field(None, ge=1949, le=2100)
    has_site: bool = False
    has_rules: bool = False
    has_signage: bool = False
    has_equipment: bool = False
    has_records: bool = False
    checked_on: datetime.date | None = None
    checked_by: text(40) = ""
    fn_office: bool = False
    fn_activity: bool = False
    fn_training: bool = False
    fn_service: bool = False
    fn_culture: bool = False
    fn_information: bool = False


class VenueFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）的场所")


@router.get("/venues", response={200: list[VenueOut], **ERRORS}, summary="活动场所台账")
@paginate(Page)
def list_venues(request, filters: Query[VenueFilters]):
    org = _org(request, filters.org) if filters.org else None
    return selectors.venue_ledger(request.auth, org=org)


@router.get("/venues/{code}", response={200: VenueOut, **ERRORS}, summary="村（社区）活动场所")
def get_venue(request, code: str):
    org = _org(request, code)
    return get_visible_or_404(selectors.visible_venues(request.auth), organization=org)


@router.post("/venues/{code}", response={200: VenueOut, **ERRORS}, summary="登记或修改活动场所")
def save_venue(request, code: str, payload: VenueIn):
    org = _org(request, code)
    return services.save_venue(request.auth, org, **payload.dict())


class WorkIn(Schema):
    kind: choice(WorkKind)
    year: int = Field(ge=1949, le=2100)
    cost: text(20) = Field(description="元，如 200000")
    funding: choice(Funding)
    note: text(200) = ""


class WorkOut(PlacedOut):
    id: int
    kind: choice(WorkKind)
    year: int
    cost_fen: int
    funding: choice(Funding)
    note: str


@router.post("/venues/{code}/works", response={201: WorkOut, **ERRORS}, summary="登记场所建设")
def add_work(request, code: str, payload: WorkIn):
    org = _org(request, code)
    venue = get_visible_or_404(selectors.visible_venues(request.auth), organization=org)
    return Status(201, services.add_work(request.auth, venue, **payload.dict()))


class FundsIn(Schema):
    year: int = Field(ge=2000, le=2100)
    office: text(20) = Field(description="办公经费（元）")
    service: text(20) = Field(description="服务群众经费（元）")


class FundsOut(PlacedOut):
    year: int
    office_fen: int
    service_fen: int


@router.post("/funds/{code}", response={200: FundsOut, **ERRORS}, summary="登记村级经费")
def set_funds(request, code: str, payload: FundsIn):
    org = _org(request, code)
    return services.set_funds(request.auth, org, **payload.dict())


# ---- pay rules ------------------------------------------------------------------------------


class PostIn(Schema):
    post: choice(Post)
    ratio: text(8) = Field("", description="与书记报酬之比，如 0.80")
    fixed_monthly: text(12) = Field("", description="固定月报酬（元），与比例二选一")
    standard_monthly: text(12) = Field("", description="对比标准（元/月）")


class RuleIn(Schema):
    year: int = Field(ge=2000, le=2100)
    income_year: int = Field(ge=2000, le=2100)
    income: text(16) = Field(description="农村居民人均纯收入（元），如 8437.50")
    multiple: text(8) = Field(description="倍数，如 1.92")
    rounding: choice(Rounding) = Rounding.YUAN
    performance: text(16) = "0"
    standard_name: text(40) = ""
    note: text(200) = ""
    posts: list[PostIn] = Field(max_length=10)


class PostPayOut(Schema):
    post: str
    monthly_fen: int
    yearly_fen: int
    standard_monthly_fen: int | None
    above_standard_fen: int | None


class RuleOut(PlacedOut):
    id: int
    year: int
    income_year: int
    income: str
    multiple: str
    rounding: choice(Rounding)
    standard_name: str
    schedule: list[PostPayOut]

    @staticmethod
    def resolve_income(obj):
        return str(obj.income)

    @staticmethod
    def resolve_multiple(obj):
        return str(obj.multiple)

    @staticmethod
    def resolve_schedule(obj):
        return [
            {
                "post": p.post,
                "monthly_fen": p.monthly_fen,
                "yearly_fen": p.yearly_fen,
                "standard_monthly_fen": p.standard_monthly_fen,
                "above_standard_fen": p.above_standard_fen,
            }
            for p in rules.schedule(
                obj.income, obj.multiple, services.rule_terms(obj), obj.rounding
            )
        ]


def _county(request, code):
    org = _org(request, code)
    if org.level != Level.COUNTY:
        raise Http404
    return org


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/pay-rules/{code}", response={200: RuleOut, **ERRORS}, summary="县（区）报酬标准")
def get_rule(request, code: str, q: Query[YearQuery]):
    org = _county(request, code)
    year = q.year or timezone.localdate().year
    return get_visible_or_404(selectors.visible_rules(request.auth), organization=org, year=year)


@router.post("/pay-rules/{code}", response={200: RuleOut, **ERRORS}, summary="设定报酬标准")
def save_rule(request, code: str, payload: RuleIn):
    org = _county(request, code)
    data = payload.dict()
    return services.save_pay_rule(request.auth, org, **data)


# ---- pay sheets -----------------------------------------------------------------------------


class LineOut(Schema):
    id: int
    member_id: int | None
    name: str
    post: choice(Post)
    months: int
    monthly_fen: int
    performance_fen: int
    total_fen: int


class SheetOut(PlacedOut):
    id: int
    year: int
    status: choice(SheetStatus)
    total_fen: int
    return_reason: str
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(selectors.lines_of(obj))


class SheetFilters(Schema):
    org: str | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    status: choice(SheetStatus) | None = None


@router.get("/sheets", response={200: list[SheetOut], **ERRORS}, summary="报酬发放表")
@paginate(Page)
def list_sheets(request, filters: Query[SheetFilters]):
    org = _org(request, filters.org) if filters.org else None
    return selectors.sheet_list(
        request.auth, org=org, year=filters.year, status=filters.status or ""
    ).prefetch_related("lines")


class PrepareIn(Schema):
    year: int = Field(ge=2000, le=2100)


@router.post("/sheets/{code}", response={201: SheetOut, **ERRORS}, summary="填报报酬发放表")
def prepare_sheet(request, code: str, payload: PrepareIn):
    org = _org(request, code)
    return Status(201, services.prepare_sheet(request.auth, org, year=payload.year))


@router.get("/pay-sheets/{sheet_id}", response={200: SheetOut, **ERRORS}, summary="报酬发放表")
def get_sheet(request, sheet_id: int):
    return selectors.find_sheet(request.auth, sheet_id)


class LineIn(Schema):
    member_id: int | None = None
    name: text(40) = ""
    post: choice(Post)
    months: int = Field(12, ge=1, le=12)
    performance: text(16) = "0"


@router.post("/pay-sheets/{sheet_id}/lines", response={200: SheetOut, **ERRORS}, summary="添加人员")
def add_line(request, sheet_id: int, payload: LineIn):
    sheet = selectors.find_sheet(request.auth, sheet_id)
    data = payload.dict()
    member_id = data.pop("member_id")
    member = None
    if member_id is not None:
        member = services.member_choices(sheet.organization).filter(pk=member_id).first()
        if member is None:
            raise invalid("member_id", "党员应是本村（社区）党组织的在册党员")
    services.add_line(request.auth, sheet, member=member, **data)
    return selectors.find_sheet(request.auth, sheet_id)


class NoteIn(Schema):
    note: text(200) = ""


@router.post("/pay-sheets/{sheet_id}/submit", response={200: SheetOut, **ERRORS}, summary="报送")
def submit_sheet(request, sheet_id: int, payload: NoteIn):
    sheet = selectors.find_sheet(request.auth, sheet_id)
    return services.submit_sheet(request.auth, sheet)


@router.post("/pay-sheets/{sheet_id}/confirm", response={200: SheetOut, **ERRORS}, summary="确认")
def confirm_sheet(request, sheet_id: int, payload: NoteIn):
    sheet = selectors.find_sheet(request.auth, sheet_id)
    return services.confirm_sheet(request.auth, sheet)


class ReturnIn(Schema):
    reason: text(200)


@router.post("/pay-sheets/{sheet_id}/return", response={200: SheetOut, **ERRORS}, summary="退回")
def return_sheet(request, sheet_id: int, payload: ReturnIn):
    sheet = selectors.find_sheet(request.auth, sheet_id)
    return services.return_sheet(request.auth, sheet, reason=payload.reason)


class FiguresOut(Schema):
    venues: int
    venues_five_haves: int
    venues_six_in_one: int
    cadre_pay_fen: int
    pay_sheets: int
    pay_sheets_confirmed: int
    venue_works: int
    venue_works_cost_fen: int
    office_funds_fen: int
    service_funds_fen: int


@router.get("/figures/{code}", response={200: FiguresOut, **ERRORS}, summary="阵地与报酬汇总")
def figures(request, code: str, q: Query[YearQuery]):
    org = _org(request, code)
    return selectors.village_figures(org, Period(q.year or timezone.localdate().year))
