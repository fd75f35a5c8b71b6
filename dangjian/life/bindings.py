"""Figures of organizational life that other apps may bind a form field to (a report-back's
"theme days held this month"), registered with the roll-up engine."""

from django.utils.translation import gettext_lazy as _

from dangjian.rollups import registry

from .models import Attendance, AttendanceStatus, Meeting
from .services import meetings_held


def _meetings(kind):
    def compute(org, period):
        return meetings_held(org, period)[kind]

    return compute


def _all_meetings(org, period):
    """Meetings of every kind: a meeting that counts as several kinds counts for each."""
    return sum(meetings_held(org, period).values())


def _attendance(kind):
    """Members present at the period's meetings of one kind over the subtree (person-times)."""

    def compute(org, period):
        meetings = Meeting.objects.valid().counting_as(kind)
        return Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            meeting__in=meetings.values("pk"),
            meeting__held_on__range=(period.start, period.end),
            meeting__organization__path__startswith=org.path,
        ).count()

    return compute


def register_bindings() -> None:
    registry.bind("life.theme_day", _("本月召开主题党日次数"), _meetings("theme_day"))
    registry.bind("life.theme_day_attendance", _("本月主题党日参加人次"), _attendance("theme_day"))
    registry.bind("life.party_lecture", _("本月党课次数"), _meetings("party_lecture"))
    registry.bind("life.branch_assembly", _("本月支部党员大会次数"), _meetings("branch_assembly"))
    registry.bind("life.committee_meeting", _("本月支委会次数"), _meetings("committee_meeting"))
    registry.bind("life.meetings", _("本月各类会议次数"), _all_meetings)
