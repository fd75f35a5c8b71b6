"""The desk's own item: the reminders of the user's own organizations (core.reminders),
those the user has not marked read, each with a "标为已读" button, and the page of all
current reminders, read ones included. No one is asked to acknowledge anything: an unread
reminder stays listed until its date passes."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import own_org_ids
from dangjian.core import reminders
from dangjian.core.models import Reminder

from .registry import Item, Line

LIMIT = 10


def current_reminders(user, today, *, unread=False):
    """The current reminders of the organizations where the user holds a manager role (a
    queryset; `unread`: only those the user has not marked read)."""
    ids = own_org_ids(user)
    if not ids:
        return Reminder.objects.none()
    return reminders.current(ids, today, unread_by=user if unread else None)


def reminder_for(user, pk, today):
    """A current reminder the user may see, or 404."""
    return get_object_or_404(current_reminders(user, today), pk=pk)


def line_text(r) -> str:
    return _("%(text)s（%(org)s，%(date)s前）") % {
        "text": r.text,
        "org": r.organization.name,
        "date": r.due_on.isoformat(),
    }


def reminders_provider(user, today) -> list[Item]:
    """Reminders still current (their date not passed) and not marked read by the user, of
    the organizations where the user holds a manager role."""
    rows = current_reminders(user, today, unread=True)
    listed = list(rows[:LIMIT])
    count = rows.count() if len(listed) == LIMIT else len(listed)
    lines = [
        Line(
            line_text(r),
            post_url=reverse("desk:reminder_read", args=[r.pk]),
            post_label=_("标为已读"),
        )
        for r in listed
    ]
    has_any = bool(listed) or current_reminders(user, today).exists()
    return [
        Item(
            _("未读提醒"),
            lines,
            count=count,
            more_url=reverse("desk:reminders") if has_any else "",
        )
    ]
