"""The records of organizational life with a history page (meetings, plans, talks), found through
the selectors, so the page shows only what the user may see (404 otherwise)."""

from django.urls import reverse

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.audit import history_target

from . import selectors
from .models import Meeting, PlannedMeeting, Talk


def find_meeting(user, pk):
    meeting = selectors.meeting(user, pk)
    return meeting, meeting.organization


def find_plan(user, pk):
    plan = selectors.plan(user, pk)
    return plan, plan.organization


def find_talk(user, pk):
    talk = get_visible_or_404(selectors.visible_talks(user).select_related("organization"), pk=pk)
    return talk, talk.organization


def register():
    history_target(
        Meeting, "meeting", find_meeting, url=lambda m: reverse("life:meeting", args=[m.pk])
    )
    history_target(
        PlannedMeeting,
        "plan",
        find_plan,
        url=lambda p: reverse("life:meetings", args=[p.organization.code]) + "#plans",
    )
    history_target(
        Talk,
        "talk",
        find_talk,
        url=lambda t: f"{reverse('life:talks', args=[t.organization.code])}?year={t.held_on.year}",
    )
