"""Making reminders: each domain contributes (organization, key, text, due date) tuples."""

import datetime

from django.db import transaction

from . import audit
from .models import Reminder, ReminderRead

# Functions today → iterable of (organization id, key, text, due_on); apps append theirs.
SOURCES = []


def register(source):
    SOURCES.append(source)
    return source


def make(today: datetime.date) -> int:
    """Create the reminders due today that do not exist yet; returns how many were made."""
    rows = [row for source in SOURCES for row in source(today)]
    existing = set(
        Reminder.objects.filter(key__in=[r[1] for r in rows]).values_list("key", flat=True)
    )
    new = [
        Reminder(organization_id=o, key=k, text=t, due_on=d)
        for o, k, t, d in rows
        if k not in existing
    ]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def current(organization_ids, today: datetime.date, *, key_prefix: str = "", unread_by=None):
    """Reminders not yet due of some organizations (the caller has scoped them), the
    soonest first, as a queryset; `key_prefix` keeps one app's ("tasks:"); `unread_by`
    leaves out those that user marked read."""
    rows = Reminder.objects.filter(
        organization_id__in=list(organization_ids),
        key__startswith=key_prefix,
        due_on__gte=today,
    )
    if unread_by is not None:
        rows = rows.exclude(reads__user=unread_by)
    return rows.select_related("organization").order_by("due_on", "id")


def upcoming(organization_ids, today: datetime.date, *, key_prefix: str = "", limit: int = 10):
    """The first `limit` of current()."""
    return current(organization_ids, today, key_prefix=key_prefix)[:limit]


def read_ids(user, reminders) -> set[int]:
    """Which of `reminders` the user has marked read."""
    return set(
        ReminderRead.objects.filter(user=user, reminder__in=list(reminders)).values_list(
            "reminder_id", flat=True
        )
    )


@transaction.atomic
def mark_read(user, reminder: Reminder) -> bool:
    """Mark a reminder read for `user` (the caller has checked the user may see it); True
    when newly marked, False when it already was."""
    _row, created = ReminderRead.objects.get_or_create(user=user, reminder=reminder)
    if created:
        audit.record(
            user,
            "read",
            reminder,
            organization=reminder.organization,
            summary=f"标为已读：{reminder.text}",
        )
    return created
