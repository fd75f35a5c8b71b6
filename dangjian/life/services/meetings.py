"""Recording and voiding meetings (三会一课, theme days, life meetings), with quorum and late entries."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.files import validate_uploads
from dangjian.core.services import (
    Errors,
    invalid,
    require,
    unique_or_invalid,
    validate_choice,
)
from dangjian.members.models import Member, Status
from dangjian.members.selectors import visible_members
from dangjian.orgs.models import Kind as OrgKind
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups import services as rollups

from .. import rules
from ..models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    ExtraKind,
    Meeting,
    MeetingKind,
)
from . import plans
from .compliance import refresh_missed_of

MEETING_FIELDS = (
    "kind",
    "held_on",
    "place",
    "topic",
    "minutes",
    "resolutions",
    "lecturer",
    "review_year",
)


def meeting_keys(meeting) -> list[str]:
    """A meeting counts once in the month's figure of each kind it carries."""
    if meeting.voided_on:
        return []
    return [f"meetings.{meeting.held_on:%Y-%m}.{kind}" for kind in meeting.kinds]


# Registered for rollups.rebuild() in LifeConfig.ready(): a row for a meeting's own kind and
# one for each other kind it also counts as (with the meeting's organization and month), in
# one source so that each key is counted once per organization.
_MEETING, _EXTRA = Meeting._meta.db_table, ExtraKind._meta.db_table
MEETING_SOURCE = rollups.Source(
    f"(SELECT organization_id, held_on, voided_on, kind FROM {_MEETING} "
    f"UNION ALL SELECT m.organization_id, m.held_on, m.voided_on, x.kind "
    f"FROM {_MEETING} m JOIN {_EXTRA} x ON x.meeting_id = m.id)",
    "organization_id",
    ["'meetings.' || {month:r.held_on} || '.' || r.kind"],
    "r.voided_on IS NULL",
)


def eligible_attendees(org):
    """Members who may attend the organization's meetings: its subtree (a group's meeting:
    the group's own members)."""
    return Member.objects.active().filter(organization__path__startswith=org.path)


def _naming(actor, org):
    """A function member id → the name to put in a message: the member's name where `actor`
    may see them (members.selectors), else only the number (it does not tell whether someone
    exists outside the actor's subtree, nor who). Without an actor, only the organization's
    own attendees are named: the message may reach someone whose view is not known here."""
    visible = eligible_attendees(org) if actor is None else visible_members(actor)

    def name_of(ids):
        names = dict(visible.filter(pk__in=list(ids)).values_list("pk", "name"))
        return lambda member_id: names.get(member_id) or _("编号%(id)s") % {"id": member_id}

    return name_of


def clean_attendance(org, attendance, actor=None):
    """[(member id, status, reason)] → validated rows; names the bad member (where the actor
    may see them)."""
    allowed = set(eligible_attendees(org).values_list("pk", flat=True))
    name_of = _naming(actor, org)([a[0] for a in attendance])
    not_of = (
        _("%(name)s不是“%(org)s”的成员，党小组会只由本小组的党员参加")
        if org.kind == "group"
        else _("%(name)s不是“%(org)s”的党员，不能列为参会人员")
    )
    # Every bad row is named at once (core.services.Errors), not one per submit.
    errors, seen, rows = Errors(), set(), []
    for member_id, status, reason in attendance:
        name = name_of(member_id)
        if member_id not in allowed:
            errors.add("attendance", not_of % {"name": name, "org": org.name})
            continue
        if member_id in seen:
            errors.add("attendance", _("%(name)s重复出现在参会名单中") % {"name": name})
            continue
        seen.add(member_id)
        with errors.collect():
            validate_choice("attendance", status, AttendanceStatus, _("出席情况"))
        if status == AttendanceStatus.LEAVE and not (reason or "").strip():
            errors.add("attendance", _("%(name)s请假，请填写请假原因") % {"name": name})
        # A reason is kept for leave (required) and absence (optional; 民主评议 counts the
        # absences without one), not for those present.
        reason = "" if status == AttendanceStatus.PRESENT else (reason or "").strip()[:120]
        rows.append((member_id, status, reason))
    errors.raise_any()
    return rows


def _clean_kinds(org, kind, also_counts_as) -> list[str]:
    """The meeting's kinds, its own first: each must be one the organization holds, and
    several only if all are meetings of the whole membership (rules)."""
    validate_choice("kind", kind, MeetingKind, _("会议类型"))
    org_kind = OrgKind(org.kind).label
    if not rules.fits(kind, org.kind):
        raise invalid(
            "kind",
            _("“%(org)s”是%(org_kind)s，不召开%(kind)s")
            % {"org_kind": org_kind, "kind": MeetingKind(kind).label, "org": org.name},
        )
    kinds = [kind]
    for extra in also_counts_as or ():
        validate_choice("also_counts_as", extra, MeetingKind, _("同时计为"))
        if extra in kinds:
            continue
        if not rules.fits(extra, org.kind):
            raise invalid(
                "also_counts_as",
                _("“%(org)s”是%(org_kind)s，不能同时计为%(kind)s")
                % {"org_kind": org_kind, "kind": MeetingKind(extra).label, "org": org.name},
            )
        kinds.append(extra)
    if not rules.combinable(kinds):
        alone = next(k for k in kinds if k not in rules.COMBINABLE_KINDS)
        raise invalid(
            "also_counts_as",
            _("%(kind)s须单独登记，不能与其他会议合并计算") % {"kind": MeetingKind(alone).label},
        )
    return kinds


def _clean_lecturer(org, kinds, data, lecturer_member, actor):
    """A lecture's lecturer is a member of the organization's subtree or a named outsider:
    exactly one of them (at most one for other meetings)."""
    if lecturer_member is not None and data["lecturer"]:
        raise invalid("lecturer", _("授课人只填一项：本组织党员，或外请授课人的姓名，不能两项都填"))
    if MeetingKind.PARTY_LECTURE in kinds and lecturer_member is None and not data["lecturer"]:
        raise invalid(
            "lecturer_member", _("党课请填写授课人：选择本组织党员，或填写外请授课人的姓名")
        )
    allowed = eligible_attendees(org)
    if lecturer_member is not None and not allowed.filter(pk=lecturer_member.pk).exists():
        name = _naming(actor, org)([lecturer_member.pk])(lecturer_member.pk)
        raise invalid(
            "lecturer_member",
            _("%(name)s不是“%(org)s”的党员；其他人授课请填写外请授课人的姓名")
            % {"name": name, "org": org.name},
        )


def _quorum(org, kinds, rows) -> tuple[int | None, int | None]:
    """(due, present) for the quorum of a members' assembly (members with voting rights: full
    members) or a committee meeting (the organization's current officers); else (None, None)."""
    if any(k in rules.COMMITTEE_QUORUM_KINDS for k in kinds):
        due = set(
            Officer.objects.current().filter(organization=org).values_list("member_id", flat=True)
        )
    elif any(k in rules.QUORUM_KINDS for k in kinds):
        due = set(eligible_attendees(org).filter(status=Status.FULL).values_list("pk", flat=True))
    else:
        return None, None
    present = sum(1 for m, s, _r in rows if s == AttendanceStatus.PRESENT and m in due)
    return len(due), present


def late_entry_deadline(org, kinds, held_on) -> datetime.date:
    """The last day a meeting of `kinds` may be entered without the approval of the level
    above: the earliest of their deadlines (a theme day that is also the quarter's lecture
    is entered by the theme day's)."""
    requirements = config.get(org, "life.requirements")
    days = config.get(org, "life.late_entry_days")
    return min(
        rules.late_entry_deadline(held_on, requirements.get(k, ["year", 1])[0], days) for k in kinds
    )


def approver_org(meeting):
    """Whose managers approve a late entry: the level above (the top level approves its own)."""
    return meeting.organization.parent() or meeting.organization


@transaction.atomic
def approve_late_entry(meeting: Meeting, *, actor=None, today=None) -> Meeting:
    """Approve a meeting entered after the late-entry window (补录): a manager of the parent
    organization does; the meeting then counts (where approved late entries count)."""
    require(actor, "life.record", approver_org(meeting), _("补录的会议须由上级组织审批"))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.voided_on:
        raise invalid("approved_on", _("该会议记录已作废"))
    if not meeting.late_entry:
        raise invalid("approved_on", _("该会议按时登记，无需审批"))
    if meeting.approved_on:
        raise invalid("approved_on", _("该补录已审批"))
    meeting.approved_on = today or timezone.localdate()
    meeting.approved_by = audit.user_of(actor)
    meeting.save(update_fields=["approved_on", "approved_by"])
    refresh_missed_of(meeting.organization, meeting.held_on, today)
    audit.record(
        actor,
        "approve_late_entry",
        meeting,
        organization=meeting.organization,
        summary=f"批准补录：{meeting.organization.name}{meeting.kinds_display}（{meeting.held_on}）",
        changes={"approved_on": [None, str(meeting.approved_on)]},
    )
    return meeting


def _duplicate(org, held_on, kind) -> str:
    return _("“%(org)s”%(date)s已登记过一次%(kind)s，请勿重复登记") % {
        "org": org.name,
        "date": held_on,
        "kind": MeetingKind(kind).label,
    }


@transaction.atomic
def record_meeting(
    org: Organization,
    *,
    actor=None,
    attendance=(),
    today=None,
    host=None,
    lecturer_member=None,
    also_counts_as=(),
    attachments=(),
    plan=None,
    **data,
) -> Meeting:
    """Record a meeting held by `org`, with its attendance [(member id, status, reason)],
    its host (a Member who may attend), the other kinds it also counts as (a theme day that
    is also the month's assembly), a lecture's lecturer (a Member of the subtree, or an
    outsider's name in `lecturer`) and optional uploaded files (photos, minutes). Recorded
    from a plan (`plan`, a PlannedMeeting of `org` of one of the meeting's kinds), the plan
    is marked held."""
    require(actor, "life.record", org, _("您无权为该组织登记会议"))
    today = today or timezone.localdate()
    data = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    for k in ("place", "topic", "minutes", "resolutions", "lecturer"):
        data[k] = (data.get(k) or "").strip()
    if org.is_dissolved:
        raise invalid("organization", _("“%(name)s”已撤销") % {"name": org.name})
    # The checks that do not depend on each other are collected, so that one submit names
    # every bad field (core.services.Errors); the duplicate check needs the rest to pass.
    errors, kinds, rows = Errors(), None, []
    with errors.collect():
        kinds = _clean_kinds(org, data.get("kind"), also_counts_as)
    if not data.get("held_on"):
        errors.add("held_on", _("请填写召开日期"))
    elif data["held_on"] > today:
        errors.add("held_on", _("召开日期不能晚于今天：会议开过以后再登记"))
    if not data["topic"]:
        errors.add("topic", _("请填写会议主题"))
    if kinds is not None and (yearly := [k for k in kinds if k in rules.YEARLY_KINDS]):
        if not errors.has("held_on"):
            if not data.get("review_year"):
                data["review_year"] = rules.default_review_year(yearly[0], data["held_on"])
            if not rules.review_year_allowed(data["held_on"], data["review_year"]):
                errors.add(
                    "review_year",
                    _("所属年度只能是召开当年或上一年（%(year)s年召开）")
                    % {"year": data["held_on"].year},
                )
    else:
        data["review_year"] = None
    if kinds is not None:
        with errors.collect():
            _clean_lecturer(org, kinds, data, lecturer_member, actor)
        if plan is not None:
            with errors.collect():
                plan = plans.check_plan_for(org, plan, kinds)
    with errors.collect():
        rows = clean_attendance(org, attendance, actor)
    if host is not None and not eligible_attendees(org).filter(pk=host.pk).exists():
        errors.add(
            "host",
            _("%(name)s不是“%(org)s”的党员，不能担任主持人") % {"name": host.name, "org": org.name},
        )
    with errors.collect():
        attachments = validate_uploads(attachments, "attachments")
    errors.raise_any()
    # One organization's meetings are recorded one at a time (its row is locked until the
    # end of the transaction): the same form sent twice at once cannot pass this check twice.
    Organization.objects.select_for_update().filter(pk=org.pk).exists()
    same_day = Meeting.objects.valid().filter(organization=org, held_on=data["held_on"])
    for kind in kinds:
        if same_day.counting_as(kind).exists():
            raise invalid("held_on", _duplicate(org, data["held_on"], kind))
    quorum_due, quorum_present = _quorum(org, kinds, rows)
    with unique_or_invalid("held_on", _duplicate(org, data["held_on"], kinds[0])):
        meeting = Meeting.objects.create(
            organization=org,
            late_entry=today > late_entry_deadline(org, kinds, data["held_on"]),
            quorum_due=quorum_due,
            quorum_present=quorum_present,
            created_by=audit.user_of(actor),
            host=host,
            lecturer_member=lecturer_member,
            **data,
        )
    ExtraKind.objects.bulk_create(ExtraKind(meeting=meeting, kind=k) for k in kinds[1:])
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=m, status=s, reason=r) for m, s, r in rows
    )
    names = audit.save_files(Attachment.from_upload(u, meeting=meeting) for u in attachments)
    rollups.adjust(org, {k: 1 for k in meeting_keys(meeting)})
    refresh_missed_of(org, meeting.held_on, today)
    if plan is not None:
        plans.mark_held(plan, meeting, actor)
    audit.record(
        actor,
        "create",
        meeting,
        organization=org,
        summary=f"{org.name}登记{meeting.kinds_display}：{meeting.topic}",
        changes={
            **audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)),
            "also_counts_as": [None, kinds[1:]],
            "lecturer_member": [None, lecturer_member.pk if lecturer_member else None],
            "attendance": [None, len(rows)],
            **({"attachments": [None, names]} if names else {}),
        },
    )
    return meeting


@transaction.atomic
def void_meeting(meeting: Meeting, *, reason: str, actor=None) -> Meeting:
    require(actor, "life.record", meeting.organization, _("您无权作废该会议记录"))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.voided_on:
        raise invalid("voided_on", _("该会议记录已作废"))
    if not (reason or "").strip():
        raise invalid("void_reason", _("请填写作废原因"))
    old = meeting_keys(meeting)
    meeting.voided_on, meeting.void_reason = timezone.localdate(), reason.strip()[:200]
    meeting.save(update_fields=["voided_on", "void_reason"])
    rollups.adjust(meeting.organization, rollups.delta(old, []))
    refresh_missed_of(meeting.organization, meeting.held_on)
    plans.unlink_voided(meeting, actor)
    audit.record(
        actor,
        "void",
        meeting,
        organization=meeting.organization,
        summary=f"作废会议记录：{meeting.topic}（{reason}）",
        changes={"voided_on": [None, str(meeting.voided_on)]},
    )
    return meeting


def attendance_summary(meeting) -> dict:
    counts = defaultdict(int)
    for status in meeting.attendance.values_list("status", flat=True):
        counts[status] += 1
    present, leave, absent = counts["present"], counts["leave"], counts["absent"]
    return {
        "present": present,
        "leave": leave,
        "absent": absent,
        "rate": rules.attendance_rate(present, leave, absent),
    }
