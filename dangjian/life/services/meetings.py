"""Recording and voiding meetings (三会一课, theme days, life meetings), with quorum and late entries."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.files import validate_uploads
from dangjian.core.services import invalid, require, validate_choice
from dangjian.members.models import Member, Status
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups import services as rollups

from .. import rules
from ..models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
)

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
    if meeting.voided_on:
        return []
    return [f"meetings.{meeting.held_on:%Y-%m}.{meeting.kind}"]


# Registered for rollups.rebuild() in LifeConfig.ready().
MEETING_SOURCE = rollups.Source(
    "life_meeting",
    "organization_id",
    ["'meetings.' || {month:r.held_on} || '.' || r.kind"],
    "r.voided_on IS NULL",
)


def eligible_attendees(org):
    """Members who may attend the organization's meetings: its subtree; a group's branch."""
    base = org.parent() if org.kind == "group" and org.parent() else org
    return Member.objects.active().filter(organization__path__startswith=base.path)


def _clean_attendance(org, attendance):
    """[(member id, status, reason)] → validated rows; names the bad member when they may
    attend, else gives only the number the caller sent (an outsider's name is not theirs
    to learn)."""
    names = dict(
        eligible_attendees(org).filter(pk__in=[a[0] for a in attendance]).values_list("pk", "name")
    )
    allowed = set(names)
    seen, rows = set(), []
    for member_id, status, reason in attendance:
        name = names[member_id] if member_id in names else _("编号%(id)s") % {"id": member_id}
        if member_id not in allowed:
            raise invalid(
                "attendance",
                _("%(name)s不是“%(org)s”的党员，不能列为参会人员")
                % {"name": name, "org": org.name},
            )
        if member_id in seen:
            raise invalid("attendance", _("%(name)s重复出现在参会名单中") % {"name": name})
        seen.add(member_id)
        validate_choice("attendance", status, AttendanceStatus, _("出席情况"))
        if status == AttendanceStatus.LEAVE and not (reason or "").strip():
            raise invalid("attendance", _("%(name)s请假，请填写请假原因") % {"name": name})
        rows.append((member_id, status, (reason or "").strip()[:120]))
    return rows


def _quorum(org, kind, rows) -> tuple[int | None, int | None]:
    """(due, present) for the quorum of a branch assembly (members with voting rights: full
    members) or a committee meeting (the organization's current officers); else (None, None)."""
    if kind == MeetingKind.BRANCH_ASSEMBLY:
        due = set(eligible_attendees(org).filter(status=Status.FULL).values_list("pk", flat=True))
    elif kind == MeetingKind.COMMITTEE_MEETING:
        due = set(
            Officer.objects.current().filter(organization=org).values_list("member_id", flat=True)
        )
    else:
        return None, None
    present = sum(1 for m, s, _r in rows if s == AttendanceStatus.PRESENT and m in due)
    return len(due), present


def late_entry_deadline(org, kind, held_on) -> datetime.date:
    """The last day a meeting may be entered without the approval of the level above."""
    per = config.get(org, "life.requirements").get(kind, ["year", 1])[0]
    return rules.late_entry_deadline(held_on, per, config.get(org, "life.late_entry_days"))


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
    meeting.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save(update_fields=["approved_on", "approved_by"])
    audit.record(
        actor,
        "approve_late_entry",
        meeting,
        organization=meeting.organization,
        summary=f"批准补录：{meeting.organization.name}{meeting.get_kind_display()}（{meeting.held_on}）",
        changes={"approved_on": [None, str(meeting.approved_on)]},
    )
    return meeting


@transaction.atomic
def record_meeting(
    org: Organization, *, actor=None, attendance=(), today=None, host=None, attachments=(), **data
) -> Meeting:
    """Record a meeting held by `org`, with its attendance [(member id, status, reason)],
    its host (a Member who may attend) and optional uploaded files (photos, minutes)."""
    require(actor, "life.record", org, _("您无权为该组织登记会议"))
    today = today or timezone.localdate()
    data = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    for k in ("place", "topic", "minutes", "resolutions", "lecturer"):
        data[k] = (data.get(k) or "").strip()
    if org.is_dissolved:
        raise invalid("organization", _("“%(name)s”已撤销") % {"name": org.name})
    validate_choice("kind", data.get("kind"), MeetingKind, _("会议类型"))
    if not data.get("held_on"):
        raise invalid("held_on", _("请填写召开日期"))
    if data["held_on"] > today:
        raise invalid("held_on", _("召开日期不能晚于今天：会议开过以后再登记"))
    if not data["topic"]:
        raise invalid("topic", _("请填写会议主题"))
    if data["kind"] in rules.YEARLY_KINDS:
        if not data.get("review_year"):
            data["review_year"] = rules.default_review_year(data["kind"], data["held_on"])
        if not rules.review_year_allowed(data["held_on"], data["review_year"]):
            raise invalid(
                "review_year",
                _("所属年度只能是召开当年或上一年（%(year)s年召开）")
                % {"year": data["held_on"].year},
            )
    else:
        data["review_year"] = None
    if data["kind"] == MeetingKind.PARTY_LECTURE and not data["lecturer"]:
        raise invalid("lecturer", _("党课请填写授课人"))
    duplicate = Meeting.objects.valid().filter(
        organization=org, kind=data["kind"], held_on=data["held_on"]
    )
    if duplicate.exists():
        raise invalid(
            "held_on",
            _("“%(org)s”%(date)s已登记过一次%(kind)s，请勿重复登记")
            % {"org": org.name, "date": data["held_on"], "kind": MeetingKind(data["kind"]).label},
        )
    rows = _clean_attendance(org, attendance)
    if host is not None and not eligible_attendees(org).filter(pk=host.pk).exists():
        raise invalid(
            "host",
            _("%(name)s不是“%(org)s”的党员，不能担任主持人") % {"name": host.name, "org": org.name},
        )
    attachments = validate_uploads(attachments, "attachments")
    quorum_due, quorum_present = _quorum(org, data["kind"], rows)
    meeting = Meeting.objects.create(
        organization=org,
        late_entry=today > late_entry_deadline(org, data["kind"], data["held_on"]),
        quorum_due=quorum_due,
        quorum_present=quorum_present,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        host=host,
        **data,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=m, status=s, reason=r) for m, s, r in rows
    )
    for upload in attachments:
        Attachment.from_upload(upload, meeting=meeting).save()
    rollups.adjust(org, {k: 1 for k in meeting_keys(meeting)})
    audit.record(
        actor,
        "create",
        meeting,
        organization=org,
        summary=f"{org.name}登记{meeting.get_kind_display()}：{meeting.topic}",
        changes={
            **audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)),
            "attendance": [None, len(rows)],
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
