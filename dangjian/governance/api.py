"""/api/governance/: a village's major matters (四议两公开) with their steps, and the service
station's office hours — the same services, checks and messages as the pages; 404 outside
the caller's subtree."""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.orgs.selectors import org_by_code, visible_orgs

from . import selectors, services
from .models import Matter, MatterCategory, MatterStatus, MatterStep, OfficeHours

register_labels(
    "/governance",
    {
        **model_labels(Matter),
        **model_labels(MatterStep),
        **model_labels(OfficeHours),
        "org": "党组织编码",
    },
)
router = Router(tags=["村务治理"])


class StepOut(Schema):
    step: int
    step_label: str = Field(alias="get_step_display")
    held_on: datetime.date
    body: str
    due: int | None
    present: int | None
    yes: int | None
    no: int | None
    abstain: int | None
    households_due: int | None
    households_present: int | None
    passed: bool | None
    text: str
    place: str


class MatterOut(Schema):
    id: int
    organization: str
    organization_name: str
    title: str
    category: choice(MatterCategory)
    content: str
    amount: Decimal | None
    step: int = Field(description="已完成的最后一步（0 为尚未提议）")
    status: choice(MatterStatus)
    proposed_on: datetime.date | None
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)


class MatterDetailOut(MatterOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return selectors.steps_of(obj)


class MatterFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）的事项")
    status: choice(MatterStatus) | None = None


class MatterIn(Schema):
    org: text(40)
    title: text(120)
    category: choice(MatterCategory)
    content: text(4000)
    amount: Decimal | None = None


class StepIn(Schema):
    step: int = Field(ge=1, le=6)
    held_on: datetime.date
    text: text(4000)
    place: text(120) = ""
    body: Literal["", "representatives", "villagers"] = Field(
        "", description="第4步：村民代表会议 representatives 或村民会议 villagers"
    )
    due: int | None = Field(None, ge=0, le=100000)
    present: int | None = Field(None, ge=0, le=100000)
    yes: int | None = Field(None, ge=0, le=100000)
    no: int | None = Field(None, ge=0, le=100000)
    abstain: int | None = Field(None, ge=0, le=100000)
    households_due: int | None = Field(None, ge=0, le=100000)
    households_present: int | None = Field(None, ge=0, le=100000)


@router.get("/matters", response={200: list[MatterOut], **ERRORS}, summary="四议两公开事项列表")
@paginate(Page)
def list_matters(request, filters: Query[MatterFilters]):
    qs = selectors.visible_matters(request.auth).order_by("-created_at")
    if filters.org:
        org = org_by_code(request.auth, filters.org, "org")
        qs = qs.filter(organization__path__startswith=org.path)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.post("/matters", response={201: MatterDetailOut, **ERRORS}, summary="登记村级重大事项")
def create_matter(request, payload: MatterIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    matter = services.create_matter(request.auth, org, **data)
    return Status(201, matter)


@router.get(
    "/matters/{matter_id}", response={200: MatterDetailOut, **ERRORS}, summary="事项及各步骤"
)
def get_matter(request, matter_id: int):
    return selectors.find_matter(request.auth, matter_id)


@router.post(
    "/matters/{matter_id}/steps", response={201: MatterDetailOut, **ERRORS}, summary="登记下一步"
)
def record_step(request, matter_id: int, payload: StepIn):
    """步骤须依次进行，不能跳过；表决须达到法定人数，未获通过的事项不能继续办理。"""
    matter = selectors.find_matter(request.auth, matter_id)
    services.record_step(request.auth, matter, **payload.dict())
    return Status(201, selectors.find_matter(request.auth, matter_id))


class OfficeHoursOut(Schema):
    id: int
    weekday: int | None = Field(description="0 为周一；按日期值班时为空")
    on_date: datetime.date | None
    person_name: str
    post: str
    work_phone: str
    starts_at: datetime.time
    ends_at: datetime.time


class RosterOut(Schema):
    organization: str
    min_hours: float
    entries: list[OfficeHoursOut]
    short_weekdays: list[str] = Field(description="坐班时长不足的工作日")
    uncovered_days: list[datetime.date] = Field(description="近两周还没有安排值班的休息日")
    today: list[OfficeHoursOut]


class OfficeHoursIn(Schema):
    org: text(40)
    weekday: int | None = Field(None, ge=0, le=6)
    on_date: datetime.date | None = None
    person_name: text(40)
    post: text(40)
    work_phone: text(30)
    starts_at: datetime.time
    ends_at: datetime.time


@router.get("/office-hours/{code}", response={200: RosterOut, **ERRORS}, summary="坐班表")
def get_roster(request, code: str):
    org = get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))
    r = selectors.roster(org, timezone.localdate())
    return {
        "organization": org.code,
        "min_hours": r["min_hours"],
        "entries": list(org.office_hours.all()),
        "short_weekdays": [str(label) for label, _h in r["short"]],
        "uncovered_days": r["uncovered"],
        "today": r["today"],
    }


@router.post("/office-hours", response={201: OfficeHoursOut, **ERRORS}, summary="添加坐班或值班")
def add_office_hours(request, payload: OfficeHoursIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.add_office_hours(request.auth, org, **data))
