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

from . import MEMBER, Record, Source, register

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
            )
        )
