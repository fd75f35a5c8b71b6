"""/api/service/: pledges to the public, visits and the concerns ledger, service posts and
records, proxy service, members' suggestions, work teams — the same services, checks and
messages as the pages; 404 outside the caller's subtree."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.services import invalid
from dangjian.members.selectors import visible_members
from dangjian.orgs.selectors import org_by_code

from . import selectors, services
from .models import (
    Concern,
    ConcernCategory,
    ConcernStatus,
    ContactPoint,
    Pledge,
    PledgeStatus,
    PointLevel,
    ProxyRequest,
    ProxyStatus,
    ResidentGroup,
    ServicePost,
    ServiceRecord,
    Suggestion,
    SuggestionStatus,
    TeamRole,
    Visit,
    VisitKind,
    WorkTeam,
    WorkTeamMember,
)

LABELS = {
    **model_labels(Pledge),
    **model_labels(Concern),
    **model_labels(Visit),
    **model_labels(ServiceRecord),
    **model_labels(ProxyRequest),
    **model_labels(Suggestion),
    "org": "党组织编码",
    "done": "是否兑现",
}
register_labels("/service", LABELS)
# The routes whose bodies reuse a name ("title", "name") with their own label.
register_labels(
    "/service/posts", {**LABELS, **model_labels(ServicePost), "org": _("社区党组织编码")}
)
register_labels(
    "/service/suggestions",
    {**LABELS, **model_labels(Suggestion), "suggestions": _("建议编号"), "topic": _("归类")},
)
register_labels(
    "/service/teams",
    {
        **LABELS,
        **model_labels(WorkTeamMember),
        **model_labels(WorkTeam),
        "org": _("驻村编码"),
        "people": _("队员"),
    },
)
register_labels(
    "/service/contact-points",
    {
        **LABELS,
        **model_labels(ContactPoint),
        "org": _("领导所在组织编码"),
        "point": _("联系点编码"),
    },
)
router = Router(tags=["服务群众"])


class PlacedOut(Schema):
    organization: str
    organization_name: str
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)


# ---- pledges -------------------------------------------------------------------------------


class PledgeOut(PlacedOut):
    id: int
    member_id: int | None
    member_name: str | None
    year: int
    content: str
    beneficiary: str
    due_on: datetime.date
    status: choice(PledgeStatus)
    evidence: str
    reason: str
    closed_on: datetime.date | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name if obj.member_id else None


class PledgeFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）的承诺")
    year: int | None = Field(None, ge=2000, le=2100)
    status: choice(PledgeStatus) | None = None


class PledgeIn(Schema):
    org: text(40)
    member_id: int | None = Field(None, description="党员承诺填党员编号；组织承诺不填")
    content: text(200)
    beneficiary: text(120)
    due_on: datetime.date


class ClosePledgeIn(Schema):
    done: bool
    evidence: text(2000) = ""
    reason: text(2000) = ""
    closed_on: datetime.date | None = None


@router.get("/pledges", response={200: list[PledgeOut], **ERRORS}, summary="公开承诺列表")
@paginate(Page)
def list_pledges(request, filters: Query[PledgeFilters]):
    qs = selectors.visible_pledges(request.auth).filter(
        year=filters.year or timezone.localdate().year
    )
    if filters.org:
        org = org_by_code(request.auth, filters.org, "org")
        qs = qs.filter(organization__path__startswith=org.path)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("organization__path", "due_on", "pk")


@router.post("/pledges", response={201: PledgeOut, **ERRORS}, summary="登记公开承诺")
def make_pledge(request, payload: PledgeIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    member_id = data.pop("member_id")
    member = None
    if member_id is not None:
        member = org.members.active().filter(pk=member_id).first()
        if member is None:
            raise invalid("member_id", "承诺党员应是本组织的在册党员")
    return Status(201, services.make_pledge(request.auth, org, member=member, **data))


@router.post("/pledges/{pledge_id}/close", response={200: PledgeOut, **ERRORS}, summary="办结承诺")
def close_pledge(request, pledge_id: int, payload: ClosePledgeIn):
    """已兑现须写明兑现情况，未兑现须写明原因。"""
    pledge = selectors.find_pledge(request.auth, pledge_id)
    services.close_pledge(request.auth, pledge, **payload.dict())
    return selectors.find_pledge(request.auth, pledge_id)


# ---- visits and concerns -------------------------------------------------------------------


class ConcernOut(PlacedOut):
    id: int
    visit_id: int | None
    category: choice(ConcernCategory)
    content: str
    raised_by: str
    raised_on: datetime.date
    owner: str
    due_on: datetime.date
    status: choice(ConcernStatus)
    outcome: str
    closed_on: datetime.date | None


class ConcernIn(Schema):
    category: choice(ConcernCategory)
    content: text(2000)
    raised_by: text(60) = ""
    owner: text(60)
    due_on: datetime.date


class VisitIn(Schema):
    org: text(40)
    kind: choice(VisitKind) = VisitKind.HOUSEHOLD
    visitor: text(60)
    household: text(80)
    visited_on: datetime.date
    findings: text(2000)
    concerns: list[ConcernIn] = Field(default_factory=list, max_length=50)


class VisitOut(PlacedOut):
    id: int
    kind: choice(VisitKind)
    visitor: str
    household: str
    visited_on: datetime.date
    findings: str
    concerns: list[ConcernOut]

    @staticmethod
    def resolve_concerns(obj):
        return list(obj.concerns.select_related("organization").order_by("pk"))


class LedgerFilters(Schema):
    org: str | None = Field(None, description="只看该组织（及其下级）的民情事项")
    category: choice(ConcernCategory) | None = None
    status: choice(ConcernStatus) | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="反映日期所在年度")
    overdue: bool = Field(False, description="只看逾期未办结的")


class FollowIn(Schema):
    text: text(300)
    noted_on: datetime.date | None = None


class CloseConcernIn(Schema):
    outcome: text(2000)
    status: choice(ConcernStatus) = ConcernStatus.SOLVED
    closed_on: datetime.date | None = None


@router.get("/visits", response={200: list[VisitOut], **ERRORS}, summary="走访记录")
@paginate(Page)
def list_visits(request, org: str | None = None):
    qs = selectors.visible_visits(request.auth)
    if org:
        qs = qs.filter(organization__path__startswith=org_by_code(request.auth, org, "org").path)
    return qs.order_by("-visited_on", "-pk")


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="登记走访及反映的民情")
def record_visit(request, payload: VisitIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.record_visit(request.auth, org, **data))


@router.get("/concerns", response={200: list[ConcernOut], **ERRORS}, summary="民情台账")
@paginate(Page)
def list_concerns(request, filters: Query[LedgerFilters]):
    org = org_by_code(request.auth, filters.org, "org") if filters.org else None
    return selectors.concern_ledger(
        request.auth,
        org=org,
        category=filters.category or "",
        status=filters.status or "",
        year=filters.year,
        overdue=filters.overdue,
        today=timezone.localdate(),
    )


@router.get("/concerns/{concern_id}", response={200: ConcernOut, **ERRORS}, summary="民情事项")
def get_concern(request, concern_id: int):
    return selectors.find_concern(request.auth, concern_id)


@router.post(
    "/concerns/{concern_id}/follow", response={200: ConcernOut, **ERRORS}, summary="登记办理进展"
)
def follow_concern(request, concern_id: int, payload: FollowIn):
    concern = selectors.find_concern(request.auth, concern_id)
    services.follow_concern(request.auth, concern, **payload.dict())
    return selectors.find_concern(request.auth, concern_id)


@router.post(
    "/concerns/{concern_id}/close", response={200: ConcernOut, **ERRORS}, summary="办结民情事项"
)
def close_concern(request, concern_id: int, payload: CloseConcernIn):
    """没有办理结果的民情事项不能办结。"""
    concern = selectors.find_concern(request.auth, concern_id)
    services.close_concern(request.auth, concern, **payload.dict())
    return selectors.find_concern(request.auth, concern_id)


# ---- service posts -------------------------------------------------------------------------


class PostOut(PlacedOut):
    id: int
    year: int
    title: str
    duties: str
    places: int
    claimed: int
    is_open: bool


class ClaimOut(PlacedOut):
    id: int
    post_id: int
    member_id: int
    claimed_on: datetime.date


class RecordIn(Schema):
    served_on: datetime.date
    hours: Decimal = Field(gt=0, le=24, decimal_places=1)
    people_served: int = Field(ge=0, le=100000)
    content: text(200)


class RecordOut(Schema):
    id: int
    claim_id: int
    served_on: datetime.date
    hours: Decimal
    people_served: int
    content: str


@router.get("/posts", response={200: list[PostOut], **ERRORS}, summary="服务岗位")
@paginate(Page)
def list_posts(request, year: int | None = Query(None, ge=2000, le=2100)):
    return (
        selectors.visible_posts(request.auth)
        .filter(year=year or timezone.localdate().year)
        .order_by("organization__path", "title", "pk")
    )


class PostIn(Schema):
    org: text(40) = Field(description="发布岗位的社区党组织编码")
    title: text(80)
    duties: text(2000)
    places: int = Field(1, ge=1, le=500)


@router.post("/posts", response={201: PostOut, **ERRORS}, summary="发布服务岗位")
def publish_post(request, payload: PostIn):
    """服务岗位由社区党组织发布，在职党员在居住地社区认领。"""
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.publish_post(request.auth, org, **data))


class ClaimIn(Schema):
    member_id: int | None = Field(
        None, description="不填为党员本人认领；组织管理者可为本组织党员代为认领"
    )


@router.post("/posts/{post_id}/claim", response={201: ClaimOut, **ERRORS}, summary="认领岗位")
def claim_post(request, post_id: int, payload: ClaimIn):
    """在职党员认领居住地社区的岗位（一年内只在一个社区认岗）。"""
    post = selectors.find_post(request.auth, post_id)
    if payload.member_id is None:
        member = getattr(request.auth, "member", None)
        if member is None:
            raise PermissionDenied("只有党员本人可以认领岗位")
    else:
        member = visible_members(request.auth).filter(pk=payload.member_id).first()
        if member is None:
            raise invalid("member_id", "党员不存在，或不在您的管辖范围内")
    return Status(201, services.claim_post(request.auth, post, member))


@router.post(
    "/claims/{claim_id}/records", response={201: RecordOut, **ERRORS}, summary="登记服务记录"
)
def record_service(request, claim_id: int, payload: RecordIn):
    claim = selectors.find_claim(request.auth, claim_id)
    return Status(201, services.record_service(request.auth, claim, **payload.dict()))


# ---- proxy service, suggestions, work teams ------------------------------------------------


class ProxyOut(PlacedOut):
    id: int
    resident: str
    group: choice(ResidentGroup)
    matter: str
    handler: str
    requested_on: datetime.date
    status: choice(ProxyStatus)
    result: str
    done_on: datetime.date | None


class ProxyIn(Schema):
    org: text(40)
    resident: text(60)
    group: choice(ResidentGroup)
    matter: text(200)
    handler: text(60)
    requested_on: datetime.date | None = None


class ProxyStepIn(Schema):
    text: text(300)
    done_on: datetime.date | None = None
    finish: bool = False


@router.get("/proxy", response={200: list[ProxyOut], **ERRORS}, summary="代办事项")
@paginate(Page)
def list_proxy(request):
    return selectors.visible_proxy(request.auth).order_by("-requested_on", "-pk")


@router.post("/proxy", response={201: ProxyOut, **ERRORS}, summary="受理代办事项")
def open_proxy(request, payload: ProxyIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    return Status(201, services.open_proxy(request.auth, org, **data))


@router.post(
    "/proxy/{request_id}/steps", response={200: ProxyOut, **ERRORS}, summary="登记代办步骤"
)
def proxy_step(request, request_id: int, payload: ProxyStepIn):
    row = selectors.find_proxy(request.auth, request_id)
    services.proxy_step(request.auth, row, **payload.dict())
    return selectors.find_proxy(request.auth, request_id)


class SuggestionOut(PlacedOut):
    id: int
    member_id: int
    member_name: str
    submitted_on: datetime.date
    title: str
    content: str
    topic: str
    meeting_on: datetime.date | None
    status: choice(SuggestionStatus)
    reply: str
    replied_on: datetime.date | None

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.name


class SuggestionIn(Schema):
    title: text(120)
    content: text(4000)


class GroupIn(Schema):
    org: text(40) = Field(description="归类建议的党支部编码")
    topic: text(40)
    meeting_on: datetime.date
    suggestions: list[int] = Field(
        default_factory=list, max_length=500, description="要归入该类的建议编号"
    )


class GroupOut(Schema):
    grouped: int
    topic: str
    meeting_on: datetime.date
    suggestions: list[SuggestionOut]


class ReplyIn(Schema):
    reply: text(4000)
    replied_on: datetime.date | None = None


@router.get("/suggestions", response={200: list[SuggestionOut], **ERRORS}, summary="党员建议")
@paginate(Page)
def list_suggestions(request, status: choice(SuggestionStatus) | None = None):
    qs = selectors.visible_suggestions(request.auth)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_on", "-pk")


@router.post("/suggestions", response={201: SuggestionOut, **ERRORS}, summary="提出建议")
def submit_suggestion(request, payload: SuggestionIn):
    """党员本人向所在党支部提出建议，支部书面答复。"""
    member = getattr(request.auth, "member", None)
    if member is None:
        raise PermissionDenied(_("只有党员本人可以提出建议"))
    return Status(201, services.submit_suggestion(request.auth, member, **payload.dict()))


@router.post("/suggestions/group", response={200: GroupOut, **ERRORS}, summary="会后归类建议")
def group_suggestions(request, payload: GroupIn):
    """会后把本支部的建议归入一个议题。"""
    org = org_by_code(request.auth, payload.org, "org")
    wanted = set(payload.suggestions)
    found = list(selectors.visible_suggestions(request.auth).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise invalid("suggestions", _("建议不存在，或不在您的管辖范围内"))
    n = services.group_suggestions(
        request.auth, org, suggestions=found, topic=payload.topic, meeting_on=payload.meeting_on
    )
    rows = selectors.visible_suggestions(request.auth).filter(pk__in=wanted).order_by("pk")
    return {
        "grouped": n,
        "topic": payload.topic.strip(),
        "meeting_on": payload.meeting_on,
        "suggestions": list(rows.select_related("member")),
    }


@router.post(
    "/suggestions/{suggestion_id}/reply",
    response={200: SuggestionOut, **ERRORS},
    summary="书面答复建议",
)
def reply_suggestion(request, suggestion_id: int, payload: ReplyIn):
    s = selectors.find_suggestion(request.auth, suggestion_id)
    services.reply_suggestion(request.auth, s, **payload.dict())
    return selectors.find_suggestion(request.auth, suggestion_id)


class TeamPersonOut(Schema):
    name: str
    role: choice(TeamRole)
    unit: str
    work_phone: str


class TeamOut(PlacedOut):
    id: int
    name: str
    unit: str
    starts_on: datetime.date
    ends_on: datetime.date
    extended_to: datetime.date | None
    people: list[TeamPersonOut]

    @staticmethod
    def resolve_people(obj):
        return list(obj.people.all())


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="驻村工作队")
@paginate(Page)
def list_teams(request):
    return (
        selectors.visible_teams(request.auth)
        .prefetch_related("people")
        .order_by("organization__path", "-starts_on")
    )


class TeamPersonIn(Schema):
    name: text(40)
    role: choice(TeamRole)
    unit: text(80) = ""
    work_phone: text(30)


class TeamIn(Schema):
    org: text(40) = Field(description="派驻的村（社区）党组织编码")
    name: text(80)
    unit: text(80)
    starts_on: datetime.date
    ends_on: datetime.date
    people: list[TeamPersonIn] = Field(
        default_factory=list, max_length=30, description="队员和第一书记（至少一人）"
    )


class ExtendIn(Schema):
    extended_to: datetime.date


@router.post("/teams", response={201: TeamOut, **ERRORS}, summary="登记驻村工作队（第一书记）")
def send_work_team(request, payload: TeamIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    team = services.send_work_team(request.auth, org, **data)
    return Status(201, selectors.find_team(request.auth, team.pk))


@router.post("/teams/{team_id}/extend", response={200: TeamOut, **ERRORS}, summary="延长任期")
def extend_work_team(request, team_id: int, payload: ExtendIn):
    team = selectors.find_team(request.auth, team_id)
    services.extend_work_team(request.auth, team, **payload.dict())
    return selectors.find_team(request.auth, team_id)


class ContactPointIn(Schema):
    org: text(40) = Field(description="领导所在组织的编码")
    leader_name: text(40)
    leader_post: text(60)
    point: text(40) = Field(description="联系点的组织编码（在本组织管辖范围内）")
    since: datetime.date
    until: datetime.date | None = None


class ContactPointOut(PlacedOut):
    id: int
    leader_name: str
    leader_post: str
    point: str
    point_name: str
    point_level: choice(PointLevel)
    since: datetime.date
    until: datetime.date | None

    @staticmethod
    def resolve_point(obj):
        return obj.point.code

    @staticmethod
    def resolve_point_name(obj):
        return obj.point.name


@router.post(
    "/contact-points", response={201: ContactPointOut, **ERRORS}, summary="登记领导干部联系点"
)
def add_contact_point(request, payload: ContactPointIn):
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    data["point"] = org_by_code(request.auth, data["point"], "point")
    return Status(201, services.add_contact_point(request.auth, org, **data))
