"""Organizational life in a member's own history (members.timeline): meetings they were
down for, their review grades, the talks they took part in. Read through life's selectors."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.members.timeline import Entry

from . import selectors


def entries(user, member):
    rows = list(
        selectors.visible_attendance(user)
        .filter(member=member, meeting__voided_on__isnull=True)
        .select_related("meeting", "meeting__organization")
    )
    openable = set(
        selectors.visible_meetings(user)
        .filter(pk__in=[row.meeting_id for row in rows])
        .values_list("pk", flat=True)
    )
    for row in rows:
        meeting = row.meeting
        detail = row.get_status_display()
        if row.reason:
            detail = f"{detail}（{row.reason}）"
        yield Entry(
            on=meeting.held_on,
            kind=meeting.get_kind_display(),
            text=f"{meeting.topic} · {meeting.organization.name}",
            detail=detail,
            url=reverse("life:meeting", args=[meeting.pk]) if meeting.pk in openable else "",
        )
    for review in selectors.visible_reviews(user).filter(member=member):
        detail = review.get_follow_up_display() if review.follow_up else ""
        yield Entry(
            on=review.reviewed_on,
            kind=_("民主评议"),
            text=_("%(year)s 年度：%(grade)s")
            % {"year": review.year, "grade": review.get_grade_display()},
            detail=detail,
        )
    talks = selectors.visible_talks(user).filter(Q(initiator=member) | Q(counterpart=member))
    for talk in talks.select_related("initiator", "counterpart"):
        other = talk.counterpart if talk.initiator_id == member.pk else talk.initiator
        yield Entry(
            on=talk.held_on,
            kind=_("谈心谈话"),
            text=talk.topic,
            detail=_("与%(name)s") % {"name": other.name},
        )
