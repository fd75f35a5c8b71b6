"""/api/training/: sessions of an organization (list, record with attendance), a member's
class hours of the year, and the caller's own — the same services, checks and messages as
the pages; 404 outside the caller's subtree."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.members.selectors import visible_members
from dangjian.orgs.selectors import visible_orgs

from . import selectors, services
from .models import Session, SessionKind, TrainingLevel

register_labels(
    "/training", {**model_labels(Session), "attendees": _("参训党员"), "present": _("参训党员")}
)

router = Router(tags=["教育培训"])


class SessionOut(Schema):
    id: int
    organization: str
    topic: str
    trainer: str
    kind: choice(SessionKind)
    level: choice(TrainingLevel)
    base_id: int | None
    venue: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    hours: Decimal
    is_lecture: bool
    attendance_count: int

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.code


class SessionIn(Schema):
    topic: text(200)
    trainer: text(80)
    kind: choice(SessionKind)
    level: choice(TrainingLevel)
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    hours: Decimal = Field(..., gt=0, max_digits=5, decimal_places=1)
    base_id: int | None = None
    venue: text(200) = ""
    is_lecture: bool = False
    attendees: list[int] = Field(default_factory=list, description="参训党员编号")


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class HoursOut(Schema):
    member_id: int
    name: str
    year: int
    hours: Decimal
    required: int
    met: bool
    sessions: int
    courses: int


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))


def _year(year):
    return year or timezone.localdate().year


@router.get("/orgs/{code}/sessions", response={200: list[SessionOut], **ERRORS}, summary="培训列表")
@paginate(Page)
def list_sessions(request, code: str, query: Query[YearQuery]):
    org = _org(request, code)
    return (
        selectors.visible_sessions(request.auth)
        .filter(organization__path__startswith=org.path, starts_on__year=_year(query.year))
        .order_by("-starts_on", "-pk")
    )


@router.post("/orgs/{code}/sessions", response={201: SessionOut, **ERRORS}, summary="登记培训")
def record_session(request, code: str, payload: SessionIn):
    """参训党员填党员编号（本组织及下级的在册党员）。"""
    org = _org(request, code)
    data = payload.dict()
    data["base"] = data.pop("base_id")
    session = services.record_session(request.auth, org, **data)
    return Status(201, selectors.find_session(request.auth, session.pk))


def _hours(member, year) -> dict:
    mine = selectors.my_year(member, year)["status"]
    row = selectors.years_of([member.pk], year).get(member.pk)
    return {
        "member_id": member.pk,
        "name": member.name,
        "year": year,
        "hours": mine.hours,
        "required": mine.required,
        "met": mine.met,
        "sessions": row.sessions if row else 0,
        "courses": row.courses if row else 0,
    }


@router.get(
    "/members/{member_id}/hours", response={200: HoursOut, **ERRORS}, summary="党员年度学时"
)
def member_hours(request, member_id: int, query: Query[YearQuery]):
    member = get_visible_or_404(visible_members(request.auth), pk=member_id)
    return _hours(member, _year(query.year))


@router.get("/hours/mine", response={200: HoursOut, **ERRORS}, summary="我的年度学时")
def my_hours(request, query: Query[YearQuery]):
    member = getattr(request.auth, "member", None)
    if member is None:
        raise PermissionDenied(_("您的账号没有关联党员信息"))
    return _hours(member, _year(query.year))
