"""Making reminders: each domain contributes (organization, key, text, due date) tuples."""

import datetime

from .models import Reminder

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


def upcoming(organization_ids, today: datetime.date, *, key_prefix: str = "", limit: int = 10):
    """Reminders not yet due of some organizations (the caller has scoped them), the
    soonest first; `key_prefix` keeps one app's ("tasks:")."""
    return (
        Reminder.objects.filter(
            organization_id__in=list(organization_ids),
            key__startswith=key_prefix,
            due_on__gte=today,
        )
        .select_related("organization")
        .order_by("due_on")[:limit]
    )
