"""Every write of organizational life goes through here; compliance is computed here."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.files import validate_uploads
from dangjian.core.periods import Period
from dangjian.core.services import invalid, join_labels, require, validate_choice
from dangjian.members.models import Member, Status
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups import services as rollups

from . import rules
from .models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    FollowUp,
    Grade,
    Leader,
    Meeting,
    MeetingKind,
    Review,
    Talk,
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
    """[(member id, status, reason)] → validated rows; names the bad member."""
    allowed = set(eligible_attendees(org).values_list("pk", flat=True))
    names = dict(Member.objects.filter(pk__in=[a[0] for a in attendance]).values_list("pk", "name"))
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


# ---- compliance -------------------------------------------------------------------------


def _active_during(org_row, slot: Period) -> bool:
    founded, dissolved = org_row["founded_on"], org_row["dissolved_on"]
    return not (founded and founded > slot.end) and not (dissolved and dissolved < slot.start)


def compliance(org: Organization, period: Period, today: datetime.date | None = None) -> dict:
    """Required-meeting slots of every organization in the subtree, and their status.

    Returns {"total": Tally, "by_kind": {kind: Tally}, "by_org": {org id: Tally},
    "rows": [(org id, kind, slot, status)]}; counts sum over the tree.
    """
    today = today or timezone.localdate()
    requirements = config.resolver(org, "life.requirements")
    grace_days = config.resolver(org, "life.grace_days")
    late_entries_count = config.resolver(org, "life.late_entries_count")
    threshold = config.resolver(org, "setup.branch_committee_min_full_members")
    orgs = list(
        Organization.objects.filter(
            path__startswith=org.path,
            kind__in=rules.BRANCH_LIKE | rules.COMMITTEE_KINDS | {"group"},
        )
        .exclude(dissolved_on__lt=period.start)
        .values("id", "path", "kind", "founded_on", "dissolved_on")
    )
    full = rollups.figures_of_many([o["id"] for o in orgs], ["members.status.full"])
    held = defaultdict(list)
    # A yearly meeting (life meeting, leadership life meeting) counts for the year it reviews.
    in_period = Q(review_year__isnull=True, held_on__range=(period.start, period.end)) | Q(
        review_year__isnull=False, review_year__range=(period.start.year, period.end.year)
    )
    for org_id, path, kind, held_on, created_at, due, present, late, approved_on, year in (
        Meeting.objects.valid()
        .filter(in_period, organization__path__startswith=org.path)
        .values_list(
            "organization_id",
            "organization__path",
            "kind",
            "held_on",
            "created_at",
            "quorum_due",
            "quorum_present",
            "late_entry",
            "approved_on",
            "review_year",
        )
    ):
        if not rules.quorate(due, present):
            continue  # kept on record, but a meeting without a quorum does not count
        if not rules.counts(late, approved_on is not None, late_entries_count(path)):
            continue  # a late entry not (yet) approved
        # An approved late entry (补录) is always shown apart from meetings entered on time.
        recorded = datetime.date.max if late else timezone.localtime(created_at).date()
        held[(org_id, kind)].append(rules.counted_on(held_on, recorded, year))
    total, by_kind, by_org, rows = rules.Tally(), defaultdict(rules.Tally), {}, []
    for o in orgs:
        tally = by_org[o["id"]] = rules.Tally()
        full_members = full[o["id"]].get("members.status.full", 0)
        for kind, (per, count) in requirements(o["path"]).items():
            if not rules.applies(kind, o["kind"], full_members, threshold(o["path"])):
                continue
            for slot in rules.slots(period, per):
                if not _active_during(o, slot):
                    continue
                status = rules.slot_status(
                    held[(o["id"], kind)], slot, count, today, grace_days(o["path"])
                )
                tally.add(status)
                by_kind[kind].add(status)
                rows.append((o["id"], kind, slot, status))
        total += tally
    return {"total": total, "by_kind": dict(by_kind), "by_org": by_org, "rows": rows}


def compliance_by_child(org: Organization, period: Period, today=None, result=None) -> list[tuple]:
    """[(child, Tally)] for drill-down, plus (org, Tally) of the org's own slots first.
    Pass `result` (from compliance()) when the caller already has it."""
    result = result or compliance(org, period, today)
    paths = dict(Organization.objects.filter(pk__in=result["by_org"]).values_list("id", "path"))
    children = list(org.children().active())
    out = {c.pk: rules.Tally() for c in children}
    own = rules.Tally()
    for org_id, tally in result["by_org"].items():
        path = paths[org_id]
        child = next((c for c in children if path.startswith(c.path)), None)
        if child is None:
            own += tally
        else:
            out[child.pk] += tally
    return [(org, own)] + [(c, out[c.pk]) for c in children]


def meetings_held(org: Organization, period: Period) -> dict[str, int]:
    """Meetings held in the period over the subtree, by kind (from the roll-ups)."""
    months = [f"{p.year}-{p.month:02d}" for p in rules.slots(period, "month")]
    counts = {k: 0 for k in MeetingKind.values}
    # Only the period's keys: an organization holds years of monthly keys, and a bound
    # report-back field asks this once per report.
    keys = [f"meetings.{m}.{k}" for m in months for k in counts]
    for key, value in rollups.figures(org, keys).items():
        counts[key.rsplit(".", 1)[1]] += value
    return counts


# ---- member review ----------------------------------------------------------------------


@transaction.atomic
def record_reviews(org: Organization, year: int, grades: dict, *, reviewed_on, actor=None):
    """Record the yearly review of `org`'s members: {member id: (grade, follow_up, note)}."""
    require(actor, "life.record", org, _("您无权登记该组织的民主评议"))
    if year > timezone.localdate().year:
        raise invalid("year", _("%(year)s年的评议还不能登记") % {"year": year})
    members = {
        m.pk: m
        for m in Member.objects.active().filter(
            organization__path__startswith=org.path, pk__in=list(grades)
        )
    }
    for member_id, (grade, follow_up, _note) in grades.items():
        member = members.get(member_id)
        if member is None:
            raise invalid(
                "member", _("编号%(id)s不是“%(org)s”的党员") % {"id": member_id, "org": org.name}
            )
        if member.status == Status.PROBATIONARY:
            raise invalid("grade", _("%(name)s是预备党员，不评定等次") % {"name": member.name})
        validate_choice("grade", grade, Grade, _("评议等次"))
        validate_choice("follow_up", follow_up or "", FollowUp, _("处置措施"))
        needed = rules.LOWER_GRADES_FOLLOW_UPS.get(grade)
        if needed and follow_up not in needed:
            options = join_labels(FollowUp(f).label for f in sorted(needed))
            raise invalid(
                "follow_up",
                _("%(name)s评为%(grade)s，须登记处置措施（%(options)s）")
                % {"name": member.name, "grade": Grade(grade).label, "options": options},
            )
    existing = {
        r.member_id: r for r in Review.objects.filter(year=year, member_id__in=list(grades))
    }
    for member_id, (grade, follow_up, note) in grades.items():
        review = existing.get(member_id) or Review(year=year, member_id=member_id)
        review.organization, review.grade = org, grade
        review.follow_up, review.follow_up_note = follow_up or "", (note or "").strip()[:300]
        review.reviewed_on = reviewed_on
        review.created_by = actor if getattr(actor, "is_authenticated", False) else None
        review.save()
    graded = Review.objects.filter(year=year, organization=org)
    cap = rules.excellent_cap(graded.count(), tuple(config.get(org, "review.excellent_max_share")))
    excellent = graded.filter(grade=Grade.EXCELLENT).count()
    if excellent > cap:
        raise invalid(
            "grade",
            _("评为优秀的%(n)s人，超过参评人数的三分之一（最多%(cap)s人）")
            % {"n": excellent, "cap": cap},
        )
    audit.record(
        actor,
        "review",
        org,
        organization=org,
        summary=f"{org.name}{year}年度民主评议，登记{len(grades)}人",
        changes={"grades": [None, {str(k): v[0] for k, v in grades.items()}]},
    )
    return list(graded)


def review_summary(org: Organization, year: int) -> dict:
    counts = {g: 0 for g in Grade.values}
    for grade in Review.objects.filter(
        year=year, organization__path__startswith=org.path
    ).values_list("grade", flat=True):
        counts[grade] += 1
    return counts


# ---- talks ------------------------------------------------------------------------------


@transaction.atomic
def record_talk(
    org: Organization, *, held_on, initiator, counterpart, topic, note="", actor=None, today=None
) -> Talk:
    require(actor, "life.record", org, _("您无权为该组织登记谈心谈话"))
    today = today or timezone.localdate()
    if held_on > today:
        raise invalid("held_on", _("谈话日期不能晚于今天"))
    if initiator.pk == counterpart.pk:
        raise invalid("counterpart", _("谈话人和谈话对象不能是同一人"))
    allowed = eligible_attendees(org)
    for field, m in (("initiator", initiator), ("counterpart", counterpart)):
        if not allowed.filter(pk=m.pk).exists():
            raise invalid(
                field, _("%(name)s不是“%(org)s”的党员") % {"name": m.name, "org": org.name}
            )
    if not (topic or "").strip():
        raise invalid("topic", _("请填写谈话主题"))
    talk = Talk.objects.create(
        organization=org,
        held_on=held_on,
        initiator=initiator,
        counterpart=counterpart,
        topic=topic.strip()[:200],
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        "create",
        talk,
        organization=org,
        summary=f"谈心谈话：{initiator.name}—{counterpart.name}",
    )
    return talk


def talk_coverage(org: Organization, year: int) -> dict:
    """Members with at least one talk in the year, and committee pairs that talked."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = set(
        Member.objects.active()
        .filter(organization__path__startswith=org.path)
        .values_list("pk", flat=True)
    )
    pairs_talked, talked = set(), set()
    for a, b in Talk.objects.filter(
        organization__path__startswith=org.path, held_on__range=(start, end)
    ).values_list("initiator_id", "counterpart_id"):
        talked.update((a, b))
        pairs_talked.add(frozenset((a, b)))
    committee_pairs = set()
    by_org = defaultdict(set)
    for org_id, member_id in (
        Officer.objects.current()
        .filter(organization__path__startswith=org.path)
        .values_list("organization_id", "member_id")
    ):
        by_org[org_id].add(member_id)
    for seats in by_org.values():
        seats = sorted(seats)
        committee_pairs.update(
            frozenset((a, b)) for i, a in enumerate(seats) for b in seats[i + 1 :]
        )
    covered = len(members & talked)
    pairs_covered = len(committee_pairs & pairs_talked)
    return {
        "members": len(members),
        "members_talked": covered,
        "member_rate": round(covered / len(members), 4) if members else None,
        "committee_pairs": len(committee_pairs),
        "committee_pairs_talked": pairs_covered,
        "committee_pair_rate": round(pairs_covered / len(committee_pairs), 4)
        if committee_pairs
        else None,
    }


# ---- participation records (组织生活纪实) ---------------------------------------------------


@transaction.atomic
def register_leader(member: Member, *, title: str, on=None, actor=None) -> Leader:
    require(actor, "members.change_member", member, _("您无权登记该领导干部"))
    if not (title or "").strip():
        raise invalid("title", _("请填写职务"))
    leader, _created = Leader.objects.update_or_create(
        member=member,
        defaults={
            "title": title.strip()[:80],
            "registered_on": on or timezone.localdate(),
            "ended_on": None,
        },
    )
    audit.record(
        actor,
        "register_leader",
        leader,
        organization=member.organization,
        summary=f"{member.name}（{title}）纳入组织生活纪实",
    )
    return leader


ALL_MEMBER_KINDS = (
    MeetingKind.BRANCH_ASSEMBLY,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.LIFE_MEETING,
)


def participation(org: Organization, period: Period) -> list[dict]:
    """Each registered leader in the subtree: their branch's meetings in the period and
    how they attended. Leaders are listed for the department; nobody is ranked."""
    leaders = list(
        Leader.objects.filter(
            ended_on__isnull=True,
            member__removed_on__isnull=True,
            member__organization__path__startswith=org.path,
        ).select_related("member__organization")
    )
    # A leader is expected at the meetings the whole branch attends, and at committee or
    # group meetings only when on the attendance list (a committee or group member).
    # Two grouped queries for all leaders: meetings per branch, attendance per leader.
    in_period = dict(voided_on__isnull=True, held_on__range=(period.start, period.end))
    branch_ids = {leader.member.organization_id for leader in leaders}
    whole_branch = dict(
        Meeting.objects.filter(
            organization__in=branch_ids,
            kind__in=ALL_MEMBER_KINDS,
            **in_period,
        )
        .values_list("organization")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally = defaultdict(
        lambda: {"invited": 0, AttendanceStatus.PRESENT: 0, AttendanceStatus.LEAVE: 0}
    )
    rows = Attendance.objects.filter(
        member__in=[leader.member_id for leader in leaders],
        meeting__organization=F("member__organization"),
        **{f"meeting__{k}": v for k, v in in_period.items()},
    ).exclude(meeting__kind=MeetingKind.LEADERSHIP_LIFE_MEETING)
    for member_id, kind, status, n in (
        rows.values_list("member", "meeting__kind", "status").annotate(n=Count("pk")).order_by()
    ):
        t = tally[member_id]
        if kind not in ALL_MEMBER_KINDS:
            t["invited"] += n
        if status in t:
            t[status] += n
    out = []
    for leader in leaders:
        branch = leader.member.organization
        t = tally[leader.member_id]
        held = whole_branch.get(branch.pk, 0) + t["invited"]
        present, leave = t[AttendanceStatus.PRESENT], t[AttendanceStatus.LEAVE]
        out.append(
            {
                "leader": leader,
                "branch": branch,
                "meetings": held,
                "present": present,
                "leave": leave,
                "absent": held - present - leave,
                "rate": round(present / held, 4) if held else None,
            }
        )
    return out


# ---- reminders ---------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def missing_meeting_reminders(today: datetime.date):
    """Branches still missing a required meeting in a period that ends within a week."""
    roots = Organization.objects.filter(depth=1)
    for root in roots:
        for period in (Period.month_of(today), Period.quarter_of(today), Period(today.year)):
            if (period.end - today).days >= REMIND_DAYS_BEFORE:
                continue
            for org_id, kind, slot, status in compliance(root, period, today)["rows"]:
                if status == rules.PENDING and slot == period:
                    label = MeetingKind(kind).label
                    yield (
                        org_id,
                        f"life:{org_id}:{kind}:{slot}",
                        f"{slot}的{label}还没有登记，本期截止到{slot.end:%m月%d日}",
                        slot.end,
                    )
