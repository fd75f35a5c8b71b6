"""Organizational life on the work desk (desk.registry): the required meetings still to hold
this month and quarter, members who have not attended for six months, organizations below
with meetings missing in the last finished period (and the branch's planned meetings: the
planned date beside a slot, plans not held on their date), a member's own meetings and
reviews and the branch's next planned meetings."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.periods import Period
from dangjian.desk.registry import BRANCH, MEMBER, UPPER, Item, Line, orgs_of, register
from dangjian.members.models import Member
from dangjian.members.selectors import visible_members

from . import rules, selectors, services
from .models import AttendanceStatus, MeetingKind

LIMIT = 20
DUE_DAYS = 7  # a slot ending this soon is flagged "due"
ABSENT_DAYS = 183  # "not attended for six months"


def _kind_label(kind: str) -> str:
    return str(MeetingKind(kind).label) if kind in MeetingKind.values else kind


def _record_url(org, plan=None) -> str:
    """The meeting form of `org`, prefilled from `plan` when given."""
    url = reverse("life:meeting_new", args=[org.code])
    return f"{url}?plan={plan.pk}" if plan is not None else url


def meetings_to_hold(user, today) -> list[Item]:
    """For each organization the user serves as secretary or officer: the required meetings
    of this month and this quarter not yet held (the slots still open), with one tap to
    record a meeting."""
    items = []
    quarter = Period.quarter_of(today)
    for org in orgs_of(user, BRANCH):
        if org.is_dissolved:
            continue
        result = services.compliance(org, quarter, today)
        open_plans = list(selectors.plans(user, org))
        lines = [
            Line(
                _("未按计划召开：%(date)s %(kind)s：%(topic)s")
                % {
                    "date": p.planned_on.isoformat(),
                    "kind": p.get_kind_display(),
                    "topic": p.topic,
                },
                url=_record_url(org, p),
                badge="late",
            )
            for p in open_plans
            if p.planned_on < today
        ]
        for org_id, kind, slot, status in result["rows"]:
            if org_id != org.pk or status != rules.PENDING or not slot.contains(today):
                continue
            text = _("%(kind)s（%(slot)s，%(date)s前）") % {
                "kind": _kind_label(kind),
                "slot": slot,
                "date": slot.end.isoformat(),
            }
            planned = next(
                (
                    p
                    for p in open_plans
                    if p.kind == kind and p.planned_on >= today and slot.contains(p.planned_on)
                ),
                None,
            )
            if planned is not None:
                text += _("，计划%(date)s召开") % {"date": planned.planned_on.isoformat()}
            lines.append(
                Line(
                    text,
                    url=_record_url(org, planned),
                    badge="due" if slot.end <= today + datetime.timedelta(days=DUE_DAYS) else "",
                )
            )
        items.append(
            Item(
                _("本月、本季度待开的会议：%(org)s") % {"org": org.name},
                lines,
                action_url=reverse("life:meeting_new", args=[org.code]),
                action_label=_("记录会议"),
                more_url=reverse("life:calendar", args=[org.code]),
            )
        )
    return items


def members_not_attending(user, today) -> list[Item]:
    """Members of the user's organizations who attended none of the meetings held there in
    the last six months (only when meetings were held; members who joined within the six
    months are not counted)."""
    since = today - datetime.timedelta(days=ABSENT_DAYS)
    items = []
    for org in orgs_of(user, BRANCH):
        held = (
            selectors.visible_meetings(user)
            .valid()
            .filter(organization__path__startswith=org.path, held_on__range=(since, today))
        )
        if not held.exists():
            continue
        attended = (
            selectors.visible_attendance(user)
            .filter(meeting__in=held, status=AttendanceStatus.PRESENT)
            .values("member_id")
        )
        qs = (
            visible_members(user)
            .filter(
                organization__path__startswith=org.path,
                removed_on__isnull=True,
                joined_on__lte=since,
            )
            .exclude(pk__in=attended)
            .order_by("name", "pk")
        )
        rows = list(qs[:LIMIT])
        lines = [Line(m.name, url=reverse("members:detail", args=[m.pk])) for m in rows]
        count = qs.count() if len(rows) == LIMIT else len(rows)
        items.append(
            Item(_("半年未参加组织生活的党员：%(org)s") % {"org": org.name}, lines, count=count)
        )
    return items


def meetings_missing_below(user, today) -> list[Item]:
    """The organizations below the user's with required meetings missing in the last
    finished month (monthly meetings) or quarter (quarterly ones): how many, and each
    organization with its missing count, leading to its meetings. Read from the stored
    per-organization figures (life.MissedMeetings), a few queries whatever the subtree."""
    month, quarter = services.last_finished(today)
    items = []
    for org in orgs_of(user, UPPER):
        rows = selectors.missed_below(user, org, (month, quarter), today)
        listed = list(rows[:LIMIT])
        count = rows.count() if len(listed) == LIMIT else len(listed)
        lines = [
            Line(
                _("%(org)s：缺开%(n)s次") % {"org": r["name"], "n": r["n"]},
                url=reverse("life:meetings", args=[r["code"]]),
                badge="late",
            )
            for r in listed
        ]
        items.append(
            Item(
                _("%(month)s / %(quarter)s 缺开会议的下级组织（%(org)s）")
                % {"month": month, "quarter": quarter, "org": org.name},
                lines,
                count=count,
                more_url=reverse("life:overview") + f"?org={org.code}&period={month}",
            )
        )
    return items


def my_meetings_and_reviews(user, today) -> list[Item]:
    """For a member: the meetings they attended this year, and their review results."""
    mine = Member.objects.filter(user=user, removed_on__isnull=True)
    rows = list(
        selectors.visible_attendance(user)
        .filter(
            member__in=mine,
            status=AttendanceStatus.PRESENT,
            meeting__voided_on__isnull=True,
            meeting__held_on__year=today.year,
        )
        .select_related("meeting")
        .order_by("-meeting__held_on")
    )
    attended = [
        Line(
            _("%(date)s %(kind)s：%(topic)s")
            % {
                "date": a.meeting.held_on.isoformat(),
                "kind": a.meeting.get_kind_display(),
                "topic": a.meeting.topic,
            },
            url=reverse("life:meeting", args=[a.meeting_id]),
        )
        for a in rows[:LIMIT]
    ]
    reviews = [
        Line(_("%(year)s年度：%(grade)s") % {"year": r.year, "grade": r.get_grade_display()})
        for r in selectors.visible_reviews(user).filter(member__in=mine).order_by("-year")[:LIMIT]
    ]
    return [
        Item(_("今年参加的组织生活"), attended, count=len(rows)),
        Item(_("我的民主评议结果"), reviews),
    ]


def branch_next_meetings(user, today) -> list[Item]:
    """For a member: the upcoming planned meetings of their own organization (a group
    member's also of the branch): date, time, kind, topic and place."""
    orgs = list(selectors.own_organizations(user))
    if not orgs:
        return []
    qs = selectors.visible_plans(user).upcoming(today).filter(organization__in=orgs)
    rows = list(
        qs.select_related("organization").order_by("planned_on", "planned_at", "id")[:LIMIT]
    )
    lines = []
    for p in rows:
        text = _("%(date)s %(kind)s：%(topic)s") % {
            "date": p.planned_on.isoformat()
            + (f" {p.planned_at:%H:%M}" if p.planned_at is not None else ""),
            "kind": p.get_kind_display(),
            "topic": p.topic,
        }
        if p.place:
            text += _("（地点：%(place)s）") % {"place": p.place}
        if len(orgs) > 1:
            text += f" · {p.organization.name}"
        lines.append(Line(text))
    count = qs.count() if len(rows) == LIMIT else len(rows)
    return [Item(_("本支部近期会议"), lines, count=count)]


def register_all():
    register("life.to_hold", meetings_to_hold, roles=(BRANCH,), order=10)
    register("life.not_attending", members_not_attending, roles=(BRANCH,), order=40)
    register("life.missing_below", meetings_missing_below, roles=(UPPER,), order=10)
    register("life.mine", my_meetings_and_reviews, roles=(MEMBER,), order=10)
    register("life.next_meetings", branch_next_meetings, roles=(MEMBER,), order=5)
