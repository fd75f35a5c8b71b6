"""Recording who changed what, and when.

Services call `record()` inside their transaction, so a write and its audit event land
together or not at all.
"""

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance, fields):
    """The values of `fields` of `instance`, as JSON-ready plain values."""
    return {f: _plain(getattr(instance, f)) for f in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def target_type(instance) -> str:
    return instance._meta.label_lower


def user_of(actor):
    """The user to store as who did something (created_by, approved_by, an audit event's
    actor): the actor when a signed-in user, else None (a command, the demo loader)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def record(actor, action, instance, *, organization=None, changes=None, summary=""):
    return AuditEvent.objects.create(
        actor=user_of(actor),
        action=action,
        target_type=target_type(instance),
        target_id=str(instance.pk),
        organization=organization,
        summary=summary[:300],
        changes=changes or {},
    )


def history(instance, parts=()):
    """The events of `instance` and of its `parts` ((model, pks) pairs: a pledge's targets, a
    project's plan items), newest first."""
    q = models.Q(target_type=target_type(instance), target_id=str(instance.pk))
    for model, pks in parts:
        q |= models.Q(target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(q).select_related("actor")


def save_files(rows) -> list[str]:
    """Save the rows of uploaded files (core.models.UploadedFile) and return the names they
    are kept under, as a change records them: {"attachments": [None, names]}."""
    names = []
    for row in rows:
        row.save()
        names.append(row.name)
    return names


# ---- records with a history page --------------------------------------------------------


@dataclass(frozen=True)
class HistoryTarget:
    # (user, pk) -> (record, the organization it hangs on); 404 outside the user's scope.
    find: Callable
    # (user, record) -> {field: masker} for fields this user may not read in full, or None.
    maskers: Callable | None = None
    # record -> [(model, pks)]: parts whose events show on the record's page too.
    parts: Callable | None = None
    # (user, record) -> bool, for records that hang on no organization (API tokens); by
    # default the page needs core.view_history on the record's organization.
    allowed: Callable | None = None
    # record -> the URL of the record's own page, linked back from its history.
    url: Callable | None = None
    # record -> the heading of its history page, where str(record) says too little.
    title: Callable | None = None


# URL type → target. Short names ("member") and the "app.model" labels of the audit log
# are both accepted.
HISTORY_TARGETS: dict[str, HistoryTarget] = {}


def history_target(
    model,
    short_name: str,
    find: Callable,
    maskers: Callable | None = None,
    *,
    parts: Callable | None = None,
    allowed: Callable | None = None,
    url: Callable | None = None,
    title: Callable | None = None,
):
    target = HistoryTarget(find, maskers, parts, allowed, url, title)
    HISTORY_TARGETS[short_name] = target
    HISTORY_TARGETS[model._meta.label_lower] = target
