"""Figures a report-back field may be bound to: filled from the records, only confirmed.

Each binding computes a number for one organization (its subtree) and the assignment's
month, from data the system already has, so nothing is typed twice.
"""

from django.utils.translation import gettext_lazy as _

from dangjian.core.periods import Period


def _meetings(kind):
    def compute(org, period):
        from dangjian.life.services import meetings_held

        return meetings_held(org, period)[kind]

    return compute


def _members(key):
    def compute(org, period):
        from dangjian.ledger.services import figures

        return figures(org, [key]).get(key, 0)

    return compute


def _all_meetings(org, period):
    from dangjian.life.services import meetings_held

    return sum(meetings_held(org, period).values())


def _attendance(kind):
    """Members present at the period's meetings of one kind over the subtree (person-times)."""

    def compute(org, period):
        from dangjian.life.models import Attendance, AttendanceStatus

        return Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            meeting__kind=kind,
            meeting__voided_on__isnull=True,
            meeting__held_on__range=(period.start, period.end),
            meeting__organization__path__startswith=org.path,
        ).count()

    return compute


BINDINGS = {
    "life.theme_day": (_("本月召开主题党日次数"), _meetings("theme_day")),
    "life.theme_day_attendance": (_("本月主题党日参加人次"), _attendance("theme_day")),
    "life.party_lecture": (_("本月党课次数"), _meetings("party_lecture")),
    "life.branch_assembly": (_("本月支部党员大会次数"), _meetings("branch_assembly")),
    "life.committee_meeting": (_("本月支委会次数"), _meetings("committee_meeting")),
    "life.meetings": (_("本月各类会议次数"), _all_meetings),
    "members.total": (_("党员人数"), _members("members")),
    "members.probationary": (_("预备党员人数"), _members("members.status.probationary")),
    "members.mobile": (_("流动党员人数"), _members("members.mobile")),
}


def compute(binding: str, org, period: Period):
    return BINDINGS[binding][1](org, period)
