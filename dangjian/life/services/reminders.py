"""Reminders of meetings still missing before a period ends."""

import datetime

from dangjian.core.periods import Period
from dangjian.orgs.models import Organization

from .. import rules
from ..models import (
    MeetingKind,
)
from .compliance import compliance

# ---- reminders ---------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def missing_meeting_reminders(today: datetime.date):
    """Branches still missing a required meeting in a period that ends within a week."""
    roots = Organization.objects.filter(depth=1)
    for root in roots:
        for period in (Period.month_of(today), Period.quarter_of(today), Period(today.year)):
            if (period.end - today).days >= REMIND_DAYS_BEFORE:
                continue
            for org_id, kind, slot, status in compliance(root, period, today)["rows"]:
                if status == rules.PENDING and slot == period:
                    label = MeetingKind(kind).label
                    yield (
                        org_id,
                        f"life:{org_id}:{kind}:{slot}",
                        f"{slot}的{label}还没有登记，本期截止到{slot.end:%m月%d日}",
                        slot.end,
                    )
