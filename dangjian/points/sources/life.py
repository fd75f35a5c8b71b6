"""Points sources of organizational life: a member's attendance (出席) at meetings, one
source per meeting kind.

A meeting counts as each kind it is recorded as counting as (its own kind and the kinds it
also counts as, 同时计为), as in the life app's compliance: a theme day that is also the
month's Party lecture is one attendance at a theme day and one at a Party lecture. A voided
meeting never counts, nor a late entry (补录) not yet approved. Leave (请假) and absence
are not attendance.
"""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.life.models import Attendance, AttendanceStatus, ExtraKind, MeetingKind

from . import MEMBER, Family, Record, Source, register, register_family

KEY = "life.attendance.%s"


def attended(kind: str):
    """Attendance rows at valid, counted meetings counting as `kind`."""
    also = ExtraKind.objects.filter(meeting=OuterRef("meeting_id"), kind=kind)
    return Attendance.objects.filter(
        Q(meeting__kind=kind) | Q(Exists(also)),
        Q(meeting__late_entry=False) | Q(meeting__approved_on__isnull=False),
        status=AttendanceStatus.PRESENT,
        meeting__voided_on__isnull=True,
    )


def counter(kind):
    def count(path, period):
        return (
            attended(kind)
            .filter(
                meeting__held_on__range=(period.start, period.end),
                member__organization__path__startswith=path,
                member__removed_on__isnull=True,
            )
            .values(subject=F("member_id"))
            .annotate(n=Count("id"))
            .order_by()
        )

    return count


def count_all(path, period):
    """Attendance at every kind at once: by the meeting's own kind, and by each other kind
    it also counts as (the two parts are summed by the caller)."""
    common = {
        "status": AttendanceStatus.PRESENT,
        "meeting__voided_on__isnull": True,
        "meeting__held_on__range": (period.start, period.end),
        "member__organization__path__startswith": path,
        "member__removed_on__isnull": True,
    }
    counted = Q(meeting__late_entry=False) | Q(meeting__approved_on__isnull=False)
    own = (
        Attendance.objects.filter(counted, **common)
        .values(subject=F("member_id"), key=F("meeting__kind"))
        .annotate(n=Count("id"))
        .order_by()
    )
    extra = (
        ExtraKind.objects.exclude(kind=F("meeting__kind"))
        .filter(
            Q(meeting__late_entry=False) | Q(meeting__approved_on__isnull=False),
            meeting__voided_on__isnull=True,
            meeting__held_on__range=(period.start, period.end),
            meeting__attendance__status=AttendanceStatus.PRESENT,
            meeting__attendance__member__organization__path__startswith=path,
            meeting__attendance__member__removed_on__isnull=True,
        )
        .values(subject=F("meeting__attendance__member_id"), key=F("kind"))
        .annotate(n=Count("meeting__attendance__id"))
        .order_by()
    )
    return own.union(extra, all=True)


def lister(kind):
    def records(member, period):
        rows = (
            attended(kind)
            .filter(member=member, meeting__held_on__range=(period.start, period.end))
            .select_related("meeting__organization")
            .order_by("meeting__held_on", "meeting_id")
        )
        return [
            Record(
                a.meeting.held_on,
                f"{a.meeting.organization.name}《{a.meeting.topic}》",
                reverse("life:meeting", args=[a.meeting_id]),
            )
            for a in rows
        ]

    return records


def _attend(label) -> str:
    return gettext("参加%(kind)s") % {"kind": label}


attend_label = lazy(_attend, str)


def register_all() -> None:
    register_family(Family("life.attendance", count_all))
    for order, (kind, label) in enumerate(MeetingKind.choices):
        register(
            Source(
                key=KEY % kind,
                label=attend_label(label),
                subject=MEMBER,
                count=counter(kind),
                records=lister(kind),
                unit=_("次"),
                help=_("出席记录（请假、缺席不计）"),
                order=10 + order,
                family="life.attendance",
                family_key=kind,
            )
        )
