"""/api/development/: people in development (list, detail), an application, a step recorded
— the same services, checks and messages as the pages; 404 outside the caller's subtree
(only those who manage the branch or one above it see candidacies)."""

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.members.models import Category, Education
from dangjian.orgs.selectors import org_by_code

from . import rules, selectors, services
from .models import Candidacy, DevelopmentStep, Outcome, Stage

register_labels(
    "/development",
    {**model_labels(Candidacy), **model_labels(DevelopmentStep), "org": "党组织编码"},
)

router = Router(tags=["发展党员"])


class StepOut(Schema):
    number: int
    name: str
    done_on: datetime.date
    people: list[int]
    hours: int | None
    days: int | None
    notice_from: datetime.date | None
    voters: int | None
    present: int | None
    yes: int | None
    outcome: str
    note: str

    @staticmethod
    def resolve_name(obj):
        return rules.label(obj.number)

    @staticmethod
    def resolve_people(obj):
        return [m.pk for m in obj.people.all()]


class CandidacyOut(Schema):
    id: int
    organization: str
    organization_name: str
    name: str
    gender: str
    birth_date: datetime.date
    education: str
    category: str
    applied_on: datetime.date
    stage: choice(Stage)
    last_step: int
    next_step: int | None
    member_id: int | None
    ended_on: datetime.date | None
    end_reason: str

    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_next_step(obj):
        return services.next_step(obj)


class CandidacyDetail(CandidacyOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class Filters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）")
    stage: choice(Stage) | None = None


class ApplyIn(Schema):
    org: text(40)
    name: text(40)
    id_number: text(18)
    education: choice(Education)
    category: choice(Category)
    applied_on: datetime.date
    phone: text(20) = ""
    note: text(300) = ""


class StepIn(Schema):
    number: int = Field(..., ge=1, le=25)
    done_on: datetime.date
    people: list[int] = Field(default_factory=list, max_length=5)
    hours: int | None = Field(None, ge=0, le=30000)
    days: int | None = Field(None, ge=0, le=30000)
    notice_from: datetime.date | None = None
    voters: int | None = Field(None, ge=0, le=30000)
    present: int | None = Field(None, ge=0, le=30000)
    yes: int | None = Field(None, ge=0, le=30000)
    special: bool = False
    outcome: choice(Outcome) | None = None
    extension_months: int | None = Field(None, ge=0, le=24)
    note: text(300) = ""


@router.get("/candidacies", response={200: list[CandidacyOut], **ERRORS}, summary="发展党员列表")
@paginate(Page)
def list_candidacies(request, filters: Query[Filters]):
    qs = selectors.visible_candidacies(request.auth).prefetch_related("steps")
    if filters.org:
        qs = selectors.in_subtree(qs, org_by_code(request.auth, filters.org, "org"))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    return qs.order_by("organization__path", "applied_on", "pk")


@router.get(
    "/candidacies/{candidacy_id}", response={200: CandidacyDetail, **ERRORS}, summary="发展党员详情"
)
def get_candidacy(request, candidacy_id: int):
    return selectors.find_candidacy(request.auth, candidacy_id)


@router.post("/candidacies", response={201: CandidacyDetail, **ERRORS}, summary="登记入党申请")
def apply(request, payload: ApplyIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    c = services.apply(request.auth, org, **data)
    return Status(201, selectors.find_candidacy(request.auth, c.pk))


@router.post(
    "/candidacies/{candidacy_id}/steps",
    response={201: CandidacyDetail, **ERRORS},
    summary="登记发展步骤",
)
def record_step(request, candidacy_id: int, payload: StepIn):
    """按《发展党员工作细则》检查时间和条件；不符合的，说明依据的规定和最早可办日期。"""
    c = selectors.find_candidacy(request.auth, candidacy_id)
    data = payload.dict()
    data["outcome"] = data["outcome"] or ""
    services.record_step(request.auth, c, **data)
    return Status(201, selectors.find_candidacy(request.auth, candidacy_id))
