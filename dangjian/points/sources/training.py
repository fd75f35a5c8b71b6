"""Points sources of training (the training app): a session attended (one record an
attendance, whatever its hours) and an online course passed (its quiz, once a course).
Nothing counts time online, logins or check-ins.

An attendance counts in the year its session starts; a course in the year it was passed.
"""

from django.db.models import Count, F
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dangjian.training.models import Attendance, CourseCompletion

from . import MEMBER, Record, Source, register


def _url(name, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the training pages are not mounted
        return ""


def count_attendance(path, period):
    return (
        Attendance.objects.filter(
            session__starts_on__range=(period.start, period.end),
            member__organization__path__startswith=path,
            member__removed_on__isnull=True,
        )
        .values(subject=F("member_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def attendance_records(member, period):
    rows = (
        Attendance.objects.filter(
            member=member, session__starts_on__range=(period.start, period.end)
        )
        .select_related("session", "session__organization")
        .order_by("session__starts_on", "id")
    )
    return [
        Record(
            a.session.starts_on,
            f"{a.session.organization.name}：{a.session.topic}（{a.hours}学时）",
            _url("training:session", a.session_id),
        )
        for a in rows
    ]


def count_courses(path, period):
    return (
        CourseCompletion.objects.filter(
            passed_on__range=(period.start, period.end),
            member__organization__path__startswith=path,
            member__removed_on__isnull=True,
        )
        .values(subject=F("member_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def course_records(member, period):
    rows = (
        CourseCompletion.objects.filter(member=member, passed_on__range=(period.start, period.end))
        .select_related("course")
        .order_by("passed_on", "id")
    )
    return [
        Record(
            c.passed_on,
            f"《{c.course.title}》（{c.hours}学时）",
            _url("training:course", c.course_id),
        )
        for c in rows
    ]


def register_all() -> None:
    register(
        Source(
            key="training.attendance",
            label=_("参加教育培训"),
            subject=MEMBER,
            count=count_attendance,
            records=attendance_records,
            unit=_("次"),
            help=_("参加的每一期培训记一次（不按时长计）"),
            order=80,
        )
    )
    register(
        Source(
            key="training.course_passed",
            label=_("通过网络课程测试"),
            subject=MEMBER,
            count=count_courses,
            records=course_records,
            unit=_("门"),
            help=_("每门网络课程测试通过记一次，不计在线时长"),
            order=85,
        )
    )
