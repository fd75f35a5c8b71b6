"""Migration tasks.0008: reminders asking a receiver to report that were stored before
reporting resolved them are deleted for report-backs already reported or accepted; those of
receivers still to report, and other notices, stay."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from dangjian.core.models import Reminder
from dangjian.tasks import services

migration = importlib.import_module("dangjian.tasks.migrations.0008_stale_report_reminders")
DAY = datetime.timedelta(days=1)


def test_stale_returned_and_deadline_reminders_are_deleted(county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="两学一做",
        content="学习",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[{"key": "n", "label": "人数", "type": "integer"}],
        actor=county.users["county"],
    )
    rbs = {rb.organization.code: rb for rb in a.report_backs.select_related("organization")}
    services.report(rbs["TA01"], values={"n": 1})
    services.report(rbs["TB01"], values={"n": 2})
    services.accept(rbs["TB01"], actor=county.users["county"])
    a1, a2, b1 = (rbs[c].organization_id for c in ("TA01", "TA02", "TB01"))

    def stored(oid, key):  # as the code before the fix left them
        return Reminder.objects.create(organization_id=oid, key=key, text=key, due_on=today)

    stale = [
        stored(a1, f"tasks:{a.pk}:returned:{a1}:1"),
        stored(a1, f"tasks:{a.pk}:soon:{a1}"),
        stored(b1, f"tasks:{a.pk}:late:{b1}"),
        stored(b1, f"tasks:{a.pk}:urge:{today.isoformat()}:{b1}"),
    ]
    kept = [
        stored(a2, f"tasks:{a.pk}:returned:{a2}:1"),  # TA02 has not reported
        stored(a2, f"tasks:{a.pk}:soon:{a2}"),
        stored(a1, f"tasks:{a.pk}:changed:{a1}"),  # a notice of a revision, not a request
        stored(a1, f"life:{a1}:2026-11"),
    ]
    assert migration.delete_stale(apps) == len(stale)
    left = set(Reminder.objects.values_list("pk", flat=True))
    assert not left & {r.pk for r in stale}
    assert {r.pk for r in kept} <= left
    assert migration.delete_stale(apps) == 0  # run again: nothing more
