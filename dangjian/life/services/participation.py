"""Participation records (组织生活纪实) of leaders in their own branch's life."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.periods import Period
from dangjian.core.services import invalid, require
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

from ..models import (
    Attendance,
    AttendanceStatus,
    Leader,
    Meeting,
    MeetingKind,
)

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
                "rate": present / held if held else None,
            }
        )
    return out
