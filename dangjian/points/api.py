"""/api/points/: the sources a scheme may count, a county's scheme (read; saved as a new
version, which queues the year's recomputation), an organization's own points and its
members' points, one member's points with the records behind each point — the same
services, selectors and messages as the pages; 404 outside the caller's subtree."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, register_labels
from dangjian.core.api.fields import organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.members.selectors import visible_members
from dangjian.orgs.models import Level
from dangjian.orgs.selectors import visible_orgs

from . import selectors, services, sources

register_labels(
    "/points",
    {
        "year": "年度",
        "items": "积分项目",
        "note": "修改说明",
        "county": "县（区）",
        "q": "姓名",
    },
)
router = Router(tags=["积分"])


class SourceOut(Schema):
    key: str
    label: str
    subject: str = Field(description="member（党员）或 organization（组织）")
    unit: str
    help: str


class ItemOut(Schema):
    source: str
    label: str
    points: int = Field(description="每条记录的分值")
    cap: int | None = Field(description="年度上限；空为不设上限")


class SchemeOut(Schema):
    county: str
    year: int = Field(description="所查询的年度")
    scheme_year: int | None = Field(description="办法所属年度（沿用往年时早于 year）")
    version: int | None
    note: str
    closed: bool
    computed_at: datetime.datetime | None
    items: list[ItemOut]


class ItemIn(Schema):
    source: text(64)
    points: int | None = Field(None, ge=-(10**9), le=10**9)
    cap: int | None = Field(None, ge=-(10**9), le=10**9)


class SchemeIn(Schema):
    year: int = Field(ge=2000, le=2100)
    items: list[ItemIn] = Field(max_length=100)
    note: text(200) = ""


class SavedOut(SchemeOut):
    job: str = Field(description="重新计算本年度积分的后台任务编号（/jobs/编号/）")


class YearIn(Schema):
    year: int = Field(ge=2000, le=2100)


class JobOut(Schema):
    job: str


class RecordOut(Schema):
    day: datetime.date | None
    text: str
    points: int


class LineOut(Schema):
    source: str
    label: str
    points_each: int
    cap: int | None
    records: int = Field(description="计算积分时的记录数")
    points: int
    behind: list[RecordOut] = Field(description="现在读到的每条记录及其积分")


class PointsOut(Schema):
    year: int
    points: int
    closed: bool
    computed_at: datetime.datetime | None
    lines: list[LineOut]


class MemberPointsOut(PointsOut):
    member_id: int
    name: str


class OrgPointsOut(PointsOut):
    organization: str
    name: str


class MemberRowOut(Schema):
    member_id: int
    name: str
    organization: str
    organization_name: str
    points: int
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_name(obj):
        return obj.member.name


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class MembersQuery(YearQuery):
    q: text(40) = ""


def _year(value) -> int:
    return value or timezone.localdate().year


def _county(request, code):
    org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))
    county = org if org.level == Level.COUNTY else selectors.county_of(org)
    if county is None:
        raise Http404
    return org, county


def _scheme_out(county, year):
    used = selectors.scheme_used(county, year)
    state = selectors.year_state(county, year)
    return {
        "county": county.code,
        "year": year,
        "scheme_year": used.year if used else None,
        "version": used.version if used else None,
        "note": used.note if used else "",
        "closed": bool(state and state.closed),
        "computed_at": state.computed_at if state else None,
        "items": [
            {"source": r.source, "label": r.label, "points": r.points, "cap": r.cap}
            for r in selectors.item_rows(used)
        ],
    }


def _lines(data):
    state = data["state"]
    return {
        "year": data["year"],
        "points": data["total"],
        "closed": bool(state and state.closed),
        "computed_at": state.computed_at if state else None,
        "lines": [
            {
                "source": line.item.source,
                "label": line.item.label,
                "points_each": line.item.points,
                "cap": line.item.cap,
                "records": line.records,
                "points": line.points,
                "behind": [
                    {"day": record.day, "text": record.text, "points": share}
                    for record, share in line.behind
                ],
            }
            for line in data["lines"]
        ],
    }


@router.get("/sources", response={200: list[SourceOut], **ERRORS}, summary="可计分的记录来源")
def list_sources(request):
    """积分只来自这些已有记录，没有签到或在线时长一类的来源。"""
    return [
        {
            "key": s.key,
            "label": str(s.label),
            "subject": s.subject,
            "unit": str(s.unit),
            "help": str(s.help),
        }
        for s in sources.all_sources()
    ]


@router.get("/schemes/{code}", response={200: SchemeOut, **ERRORS}, summary="县（区）积分办法")
def get_scheme(request, code: str, query: Query[YearQuery]):
    """`code` 为县（区）或其下任一组织的编码；返回该年度适用的办法（未修改的年度沿用往年）。"""
    _org, county = _county(request, code)
    return _scheme_out(county, _year(query.year))


@router.post(
    "/schemes/{code}", response={201: SavedOut, **ERRORS}, summary="保存积分办法（新版本）"
)
def save_scheme(request, code: str, payload: SchemeIn):
    """保存为该年度的新版本并在后台重新计算本年度积分；已结算的年度不能修改。分值须为正整数，
    年度上限不能小于分值，来源须是 /api/points/sources 列出的。"""
    org, county = _county(request, code)
    if org.pk != county.pk:
        raise PermissionDenied("积分办法由县（区）制定，请使用县（区）的组织编码")
    items = [i.dict() for i in payload.items]
    services.save_scheme(request.auth, county, payload.year, items, note=payload.note)
    job = services.compute_in_background(request.auth, county, payload.year)
    return Status(201, {**_scheme_out(county, payload.year), "job": str(job.pk)})


@router.post(
    "/schemes/{code}/compute", response={201: JobOut, **ERRORS}, summary="重新计算年度积分"
)
def compute(request, code: str, payload: YearIn):
    org, county = _county(request, code)
    if org.pk != county.pk:
        raise PermissionDenied("只有县（区）委组织部可以重新计算积分")
    job = services.compute_in_background(request.auth, county, payload.year)
    return Status(201, {"job": str(job.pk)})


@router.get(
    "/organizations/{code}", response={200: OrgPointsOut, **ERRORS}, summary="组织本身的积分"
)
def org_points(request, code: str, query: Query[YearQuery]):
    org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))
    if not selectors.manages_points(request.auth, org):
        raise PermissionDenied("只有本组织和上级组织的管理者能看到组织积分")
    data = selectors.org_year(org, _year(query.year))
    return {"organization": org.code, "name": org.name, **_lines(data)}


@router.get(
    "/organizations/{code}/members",
    response={200: list[MemberRowOut], **ERRORS},
    summary="本组织及下级组织党员的积分",
)
@paginate(Page)
def org_members(request, code: str, query: Query[MembersQuery]):
    """按姓名排列；只有本组织和上级组织的管理者能看到。"""
    org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))
    if not selectors.manages_points(request.auth, org):
        raise PermissionDenied("只有本组织和上级组织的管理者能看到党员积分")
    return selectors.members_points(request.auth, org, _year(query.year), query.q)


def _member_out(member, year):
    data = selectors.member_year(member, year)
    return {"member_id": member.pk, "name": member.name, **_lines(data)}


@router.get(
    "/members/{member_id}",
    response={200: MemberPointsOut, **ERRORS},
    summary="一名党员的积分及每一分背后的记录",
)
def member_points(request, member_id: int, query: Query[YearQuery]):
    member = get_visible_or_404(
        visible_members(request.auth).select_related("organization"), pk=member_id
    )
    return _member_out(member, _year(query.year))


@router.get("/me", response={200: MemberPointsOut, **ERRORS}, summary="我的积分")
def my_points(request, query: Query[YearQuery]):
    member = getattr(request.auth, "member", None)
    if member is None:
        raise Http404
    return _member_out(member, _year(query.year))
