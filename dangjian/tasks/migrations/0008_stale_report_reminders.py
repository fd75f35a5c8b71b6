"""Reminders asking a receiver to report (被退回, 将于…截止, 已于…截止, 催报) that were stored
before reporting resolved them (services.report_backs.resolve_reminders): those of
report-backs already reported or accepted are deleted."""

import re

from django.db import migrations

# tasks:<assignment>:returned:<org>:<revision>, tasks:<assignment>:soon|late:<org>,
# tasks:<assignment>:urge:<date>:<org> (services.report_backs and services.assignments).
KEY = re.compile(
    r"^tasks:(?P<a>\d+):(?:(?:returned):(?P<o1>\d+):\d+|(?:soon|late):(?P<o2>\d+)"
    r"|urge:[0-9-]+:(?P<o3>\d+))$"
)
DONE = ("reported", "accepted")
BATCH = 2000


def delete_stale(apps, schema_editor=None) -> int:
    """Delete the stale reminders; returns how many."""
    Reminder = apps.get_model("core", "Reminder")
    ReportBack = apps.get_model("tasks", "ReportBack")
    candidates = Reminder.objects.filter(key__startswith="tasks:").filter(
        key__regex=r"^tasks:[0-9]+:(returned|soon|late|urge):"
    )
    stale, batch = [], []

    def flush():
        pairs = {(a, o) for _pk, a, o in batch}
        done = set(
            ReportBack.objects.filter(
                assignment_id__in={a for a, _o in pairs},
                organization_id__in={o for _a, o in pairs},
                status__in=DONE,
            ).values_list("assignment_id", "organization_id")
        )
        stale.extend(pk for pk, a, o in batch if (a, o) in done)
        batch.clear()

    for pk, key, org_id in candidates.values_list("pk", "key", "organization_id").iterator():
        m = KEY.match(key)
        if not m:
            continue
        oid = int(m["o1"] or m["o2"] or m["o3"])
        if oid != org_id:
            continue
        batch.append((pk, int(m["a"]), oid))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    for i in range(0, len(stale), BATCH):
        Reminder.objects.filter(pk__in=stale[i : i + BATCH]).delete()
    return len(stale)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_job_worker"),
        ("tasks", "0007_assignment_reviewer_and_relay"),
    ]

    operations = [migrations.RunPython(delete_stale, migrations.RunPython.noop)]
