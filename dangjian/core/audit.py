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


def record(actor, action, instance, *, organization=None, changes=None, summary=""):
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type(instance),
        target_id=str(instance.pk),
        organization=organization,
        summary=summary[:300],
        changes=changes or {},
    )


def history(instance):
    return AuditEvent.objects.filter(
        target_type=target_type(instance), target_id=str(instance.pk)
    ).select_related("actor")


# ---- records with a history page --------------------------------------------------------


@dataclass(frozen=True)
class HistoryTarget:
    # (user, pk) -> (record, the organization it hangs on); 404 outside the user's scope.
    find: Callable
    # (user, record) -> {field: masker} for fields this user may not read in full, or None.
    maskers: Callable | None = None


# URL type → target. Short names ("member") and the "app.model" labels of the audit log
# are both accepted.
HISTORY_TARGETS: dict[str, HistoryTarget] = {}


def history_target(model, short_name: str, find: Callable, maskers: Callable | None = None):
    target = HistoryTarget(find, maskers)
    HISTORY_TARGETS[short_name] = target
    HISTORY_TARGETS[model._meta.label_lower] = target
