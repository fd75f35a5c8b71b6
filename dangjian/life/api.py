"""/api/life/: organizational life — meetings (list, detail, record, void), compliance per
organization and period, member reviews and talks.

Every read goes through `life.selectors`, exactly like the pages and their .xlsx exports: a
record or an organization outside the caller's subtree is a 404. Meetings are recorded and
voided through `life.services`, with the same checks and messages as the pages; errors name
the field in the caller's language.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.core.api.errors import ERRORS, model_labels, register_labels, renamed_fields
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.periods import Period, PeriodError
from dangjian.core.services import invalid
from dangjian.core.text import MINUTES_TEXT
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import org_by_code

from . import rules, selectors, services
from .models import AttendanceStatus, FollowUp, Grade, Meeting, MeetingKind, PlannedMeeting

LIFE_LABELS = {
    **model_labels(PlannedMeeting),
    **model_labels(Meeting),
    "plan": gettext_lazy("会议计划"),
    "topic": gettext_lazy("会议主题"),
    "organization": gettext_lazy("党组织编码"),
    "org": gettext_lazy("党组织编码"),
    "period": gettext_lazy("期间"),
    "year": gettext_lazy("年度"),
    "voided": gettext_lazy("已作废"),
    "attendance": gettext_lazy("参会人员"),
    "also_counts_as": gettext_lazy("同时计为"),
    "member": gettext_lazy("党员"),
    "status": gettext_lazy("出席情况"),
    "reason": gettext_lazy("原因"),
    "meeting_id": gettext_lazy("编号"),
}
register_labels("/life", LIFE_LABELS)

router = Router(tags=["组织生活"])


def _period(text_value, default=None):
    if not text_value:
        return default
    try:
        return Period.parse(text_value)
    except PeriodError as error:
        raise invalid("period", str(error)) from error


def _org(request, code):
    return selectors.org_for(request.auth, code) if code else None


# ---- meetings -------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    organization: str = Field(description="召开会议的党组织编码")
    organization_name: str
    kind: choice(MeetingKind)
    kind_label: str
    also_counts_as: list[choice(MeetingKind)] = Field(
        description="同时计为的其他会议类型（如主题党日同时是本月的支部党员大会和党课）；各计一次"
    )
    kinds_label: str = Field(description="全部会议类型，如“主题党日、党课”")
    held_on: datetime.date
    review_year: int | None = Field(
        description="所属年度（组织生活会、民主生活会：计入该年度完成情况）；其他会议为 null"
    )
    topic: str
    place: str
    host: int | None = Field(description="主持人（党员编号）")
    host_name: str
    lecturer_member: int | None = Field(description="授课党员（党员编号）")
    lecturer: str = Field(description="外请授课人（非本组织党员）")
    lecturer_name: str = Field(description="授课人姓名（党员或外请）")
    expected: int = Field(description="应到人数（出席 + 请假 + 缺席）")
    present: int
    leave: int
    absent: int
    attendance_rate: float | None = Field(description="出席率（0–1）；无应到人员时为 null")
    attachments: int = Field(description="附件数")
    voided_on: datetime.date | None
    void_reason: str

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_also_counts_as(obj) -> list[str]:
        return obj.kinds[1:]

    @staticmethod
    def resolve_kinds_label(obj) -> str:
        return obj.kinds_display

    @staticmethod
    def resolve_lecturer_member(obj) -> int | None:
        return obj.lecturer_member_id

    @staticmethod
    def resolve_lecturer_name(obj) -> str:
        return obj.lecturer_name

    @staticmethod
    def resolve_host(obj) -> int | None:
        return obj.host_id

    @staticmethod
    def resolve_host_name(obj) -> str:
        return obj.host.name if obj.host_id else ""

    @staticmethod
    def resolve_expected(obj) -> int:
        return obj.n_present + obj.n_leave + obj.n_absent

    @staticmethod
    def resolve_present(obj) -> int:
        return obj.n_present

    @staticmethod
    def resolve_leave(obj) -> int:
        return obj.n_leave

    @staticmethod
    def resolve_absent(obj) -> int:
        return obj.n_absent

    @staticmethod
    def resolve_attendance_rate(obj) -> float | None:
        return rules.attendance_rate(obj.n_present, obj.n_leave, obj.n_absent)

    @staticmethod
    def resolve_attachments(obj) -> int:
        return obj.n_attachments


class AttendanceOut(Schema):
    member: int = Field(description="党员编号")
    member_name: str
    status: choice(AttendanceStatus)
    status_label: str
    reason: str

    @staticmethod
    def resolve_member(obj) -> int:
        return obj.member_id

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class MeetingDetailOut(MeetingOut):
    minutes: str
    resolutions: str
    attendance_list: list[AttendanceOut] = Field(description="参会人员及出席情况")

    @staticmethod
    def resolve_attendance_list(obj, context) -> list:
        order = list(AttendanceStatus.values)
        rows = selectors.visible_attendance(context["request"].auth, obj)
        return sorted(rows, key=lambda a: (order.index(a.status), a.member.name))


class MeetingFilters(Schema):
    """与会议记录页相同的筛选条件。"""

    org: text(32) | None = Field(None, description="党组织编码：该组织及其全部下级")
    kind: choice(MeetingKind) | None = None
    period: text(20) | None = Field(None, description="召开日期所在期间，如 2026、2026-Q1、2026-03")
    voided: bool = Field(False, description="是否包含已作废的记录")


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int = Field(description="党员编号")
    status: choice(AttendanceStatus) = AttendanceStatus.PRESENT.value
    reason: text(120) = Field("", description="请假原因（请假时必填）")


class MeetingCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organization: text(32) = Field(description="召开会议的党组织编码")
    kind: choice(MeetingKind)
    also_counts_as: list[choice(MeetingKind)] = Field(
        [],
        max_length=8,
        description="同时计为（主题党日、支部党员大会、党员大会、党课、组织生活会可合并登记）",
    )
    held_on: datetime.date | None = Field(None, description="召开日期，不能晚于今天")
    topic: text(200) = ""
    place: text(120) = ""
    host: int | None = Field(None, description="主持人（党员编号）")
    lecturer_member: int | None = Field(
        None, description="授课党员（本组织及下级的党员编号）；党课与外请授课人二者填一"
    )
    lecturer: text(60) = Field("", description="外请授课人姓名（非本组织党员）")
    review_year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="所属年度（组织生活会、民主生活会）；不填时1–2月召开的计入上一年度",
    )
    minutes: text(MINUTES_TEXT) = ""
    resolutions: text(MINUTES_TEXT) = ""
    attendance: list[AttendanceIn] = Field([], max_length=5000)
    plan: int | None = Field(
        None,
        ge=1,
        le=2**53,
        description="从会议计划登记时的计划编号（本组织未召开、未取消的计划）：该计划即标为已召开",
    )


class VoidIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: text(200) = Field("", description="作废原因")


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="会议记录列表")
@paginate(Page)
def list_meetings(request, filters: Query[MeetingFilters]):
    org = _org(request, filters.org)
    period = _period(filters.period)
    return selectors.meetings(
        request.auth, org, kind=filters.kind or "", period=period, voided=filters.voided
    )


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="会议详情"
)
def get_meeting(request, meeting_id: int):
    return selectors.meeting(request.auth, meeting_id)


def _attendee(org, member_id, field, message):
    """The member of `member_id` among those who may attend `org`'s meetings, or None."""
    if member_id is None:
        return None
    found = services.eligible_attendees(org).filter(pk=member_id).first()
    if found is None:
        # An id outside the organization reads the same whether it exists or not.
        name = _("编号%(id)s") % {"id": member_id}
        raise invalid(field, message % {"name": name, "org": org.name})
    return found


@router.post("/meetings", response={201: MeetingDetailOut, **ERRORS}, summary="登记会议")
def create_meeting(request, payload: MeetingCreateIn):
    user = request.auth
    data = payload.dict()
    org = org_by_code(user, data.pop("organization"), "organization")
    if not user.has_perm("life.record", org):
        raise PermissionDenied(_("您无权为该组织登记会议"))
    host = _attendee(
        org, data.pop("host"), "host", _("%(name)s不是“%(org)s”的党员，不能担任主持人")
    )
    lecturer = _attendee(
        org,
        data.pop("lecturer_member"),
        "lecturer_member",
        _("%(name)s不是“%(org)s”的党员；其他人授课请填写外请授课人的姓名"),
    )
    attendance = [(a["member"], a["status"], a["reason"]) for a in data.pop("attendance")]
    meeting = services.record_meeting(
        org,
        actor=user,
        attendance=attendance,
        host=host,
        lecturer_member=lecturer,
        attachments=(),
        **data,
    )
    return Status(201, selectors.meeting(user, meeting.pk))


@router.post(
    "/meetings/{meeting_id}/void",
    response={200: MeetingDetailOut, **ERRORS},
    summary="作废会议记录",
)
def void_meeting(request, meeting_id: int, payload: VoidIn):
    user = request.auth
    meeting = selectors.meeting(user, meeting_id)
    if not selectors.can_record(user, meeting.organization):
        raise PermissionDenied(_("您无权作废该会议记录"))
    with renamed_fields(void_reason="reason"):
        services.void_meeting(meeting, reason=payload.reason, actor=user)
    return selectors.meeting(user, meeting_id)


# ---- planned meetings -----------------------------------------------------------------------


class PlanStatus:
    OPEN, UPCOMING, OVERDUE, ALL = "open", "upcoming", "overdue", "all"
    values = (OPEN, UPCOMING, OVERDUE, ALL)


class PlanOut(Schema):
    id: int
    organization: str = Field(description="计划召开会议的党组织编码")
    organization_name: str
    kind: choice(MeetingKind)
    kind_label: str
    planned_on: datetime.date
    planned_at: datetime.time | None = Field(description="计划时间（可空）")
    place: str
    topic: str
    status: str = Field(
        description="upcoming：待召开；overdue：未按计划召开；held：已召开；cancelled：已取消"
    )
    meeting: int | None = Field(description="按计划召开的会议编号")
    cancelled_on: datetime.date | None
    cancel_reason: str

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status(timezone.localdate())

    @staticmethod
    def resolve_meeting(obj) -> int | None:
        return obj.meeting_id


class PlanFilters(Schema):
    org: text(32) | None = Field(None, description="党组织编码：该组织本级的计划（不含下级）")
    status: Literal[PlanStatus.values] = Field(
        PlanStatus.OPEN,
        description="open：未召开、未取消（含逾期）；upcoming：今天及以后；overdue：未按计划召开；all：全部",
    )


class PlanCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organization: text(32) = Field(description="计划召开会议的党组织编码")
    kind: choice(MeetingKind)
    planned_on: datetime.date | None = Field(None, description="计划日期，不早于今天")
    planned_at: datetime.time | None = Field(None, description="计划时间（可空）")
    place: text(120) = ""
    topic: text(200) = ""


class CancelPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: text(200) = Field("", description="取消原因")


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="会议计划列表")
@paginate(Page)
def list_plans(request, filters: Query[PlanFilters]):
    """本组织及上级的管理者看到下级的全部计划；党员看到本组织（党小组党员还有所在支部）的计划。"""
    user, today = request.auth, timezone.localdate()
    org = _org(request, filters.org)
    if filters.status == PlanStatus.UPCOMING:
        return selectors.upcoming_plans(user, org, today=today)
    if filters.status == PlanStatus.OVERDUE:
        return selectors.overdue_plans(user, org, today=today)
    return selectors.plans(user, org, include_closed=filters.status == PlanStatus.ALL)


@router.post("/plans", response={201: PlanOut, **ERRORS}, summary="新建会议计划")
def create_plan(request, payload: PlanCreateIn):
    user = request.auth
    data = payload.dict()
    org = org_by_code(user, data.pop("organization"), "organization")
    plan = services.plan_meeting(org, actor=user, **data)
    return Status(201, selectors.plan(user, plan.pk))


@router.post("/plans/{plan_id}/cancel", response={200: PlanOut, **ERRORS}, summary="取消会议计划")
def cancel_plan(request, plan_id: int, payload: CancelPlanIn):
    user = request.auth
    plan = selectors.plan(user, plan_id)
    with renamed_fields(cancel_reason="reason"):
        services.cancel_plan(plan, reason=payload.reason, actor=user)
    return selectors.plan(user, plan_id)


# ---- compliance -----------------------------------------------------------------------------


class TallyOut(Schema):
    due: int = Field(description="应开（已到期和已提前完成的）")
    done: int = Field(description="按时召开")
    late: int = Field(description="补录（宽限期内）")
    missing: int = Field(description="未开（期间已过仍未登记）")
    pending: int = Field(description="待开（期间未结束）")
    rate: float | None = Field(description="完成率（0–1）；无应开时为 null")


class ComplianceRowOut(TallyOut):
    code: str
    name: str
    own: bool = Field(description="true：本组织自身应开的会议；false：一个下级组织及其全部下级")


class ComplianceGroupOut(TallyOut):
    key: str
    label: str


class SecretaryOut(Schema):
    organization: str = Field(description="党组织编码")
    organization_name: str
    member: int = Field(description="书记（党员编号）")
    member_name: str
    status: str = Field(description="pending：年度未结束，尚未讲；missing：全年未讲")


class SecretaryLecturesOut(Schema):
    year: int
    secretaries: int = Field(description="书记人数（本组织及下级，可见的）")
    lectured: int = Field(description="本年度已作为授课党员讲过党课的")
    not_yet: int = Field(description="年度未结束、尚未讲的")
    missing: int = Field(description="年度已结束、全年未讲的")
    without: list[SecretaryOut] = Field(description="尚未讲或未讲的书记")


class ComplianceOut(Schema):
    organization: str
    organization_name: str
    period: str
    total: TallyOut
    secretary_lectures: SecretaryLecturesOut = Field(
        description="每位书记每年至少讲一次党课（期间所在年度）"
    )
    children: list[ComplianceRowOut] = Field(description="本级及每个直属下级组织（可见的）")
    by_kind: list[ComplianceGroupOut] = Field(description="按会议类型")
    by_sector: list[ComplianceGroupOut] = Field(description="按领域")


def _tally(tally) -> dict:
    return {**tally.as_dict(), "due": tally.due, "rate": tally.rate}


@router.get(
    "/compliance/{code}", response={200: ComplianceOut, **ERRORS}, summary="组织生活完成情况"
)
def get_compliance(request, code: str, period: text(20) | None = None):
    user = request.auth
    org = selectors.org_for(user, code)
    today = timezone.localdate()
    parsed = _period(period, Period.month_of(today))
    data = selectors.compliance(user, org, parsed, today)
    lectures = selectors.secretary_lectures(user, org, parsed.year, today)
    lectures["without"] = [
        {
            "organization": r["officer"].organization.code,
            "organization_name": r["officer"].organization.name,
            "member": r["officer"].member_id,
            "member_name": r["officer"].member.name,
            "status": r["status"],
        }
        for r in lectures["without"]
    ]
    return {
        "organization": org.code,
        "organization_name": org.name,
        "period": str(parsed),
        "total": _tally(data["total"]),
        "secretary_lectures": lectures,
        "children": [
            {"code": child.code, "name": child.name, "own": own, **_tally(tally)}
            for child, tally, own in data["by_child"]
        ],
        "by_kind": [
            {"key": kind, "label": str(MeetingKind(kind).label), **_tally(tally)}
            for kind, tally in data["by_kind"]
        ],
        "by_sector": [
            {"key": sector, "label": str(Sector(sector).label), **_tally(tally)}
            for sector, tally in data["by_sector"]
        ],
    }


# ---- reviews and talks ----------------------------------------------------------------------


class YearFilters(Schema):
    org: text(32) | None = Field(None, description="党组织编码：该组织及其全部下级")
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


class ReviewOut(Schema):
    id: int
    organization: str
    organization_name: str
    year: int
    member: int = Field(description="党员编号")
    member_name: str
    grade: choice(Grade)
    grade_label: str
    follow_up: str = Field(description="处置措施，未处置为空")
    follow_up_label: str
    follow_up_note: str
    reviewed_on: datetime.date

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_member(obj) -> int:
        return obj.member_id

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_grade_label(obj) -> str:
        return str(obj.get_grade_display())

    @staticmethod
    def resolve_follow_up_label(obj) -> str:
        return str(FollowUp(obj.follow_up).label) if obj.follow_up else ""


class TalkOut(Schema):
    id: int
    organization: str
    organization_name: str
    held_on: datetime.date
    initiator: int = Field(description="谈话人（党员编号）")
    initiator_name: str
    counterpart: int = Field(description="谈话对象（党员编号）")
    counterpart_name: str
    topic: str
    note: str

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_initiator(obj) -> int:
        return obj.initiator_id

    @staticmethod
    def resolve_initiator_name(obj) -> str:
        return obj.initiator.name

    @staticmethod
    def resolve_counterpart(obj) -> int:
        return obj.counterpart_id

    @staticmethod
    def resolve_counterpart_name(obj) -> str:
        return obj.counterpart.name


@router.get("/reviews", response={200: list[ReviewOut], **ERRORS}, summary="民主评议结果")
@paginate(Page)
def list_reviews(request, filters: Query[YearFilters]):
    """默认年度与民主评议页相同：1—3 月为上一年度，其后为本年度。"""
    today = timezone.localdate()
    year = filters.year or rules.review_year(today)
    return selectors.reviews(request.auth, _org(request, filters.org), year)


@router.get("/talks", response={200: list[TalkOut], **ERRORS}, summary="谈心谈话记录")
@paginate(Page)
def list_talks(request, filters: Query[YearFilters]):
    """默认为本年度。"""
    year = filters.year or timezone.localdate().year
    return selectors.talks(request.auth, _org(request, filters.org), year)
