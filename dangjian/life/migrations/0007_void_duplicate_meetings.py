import datetime

from django.db import migrations
from django.db.models import Count, Min


def void_duplicates(apps, schema_editor):
    """Before the database holds the duplicate rule: a meeting recorded twice at once (a form
    sent twice, before this rule was enforced) keeps its first record; the others are voided
    with a reason, as a user would void them. The roll-up is then rebuilt after migrate."""
    Meeting = apps.get_model("life", "Meeting")
    BuildMark = apps.get_model("rollups", "BuildMark")
    groups = (
        Meeting.objects.filter(voided_on__isnull=True)
        .values("organization_id", "held_on", "kind")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    voided = 0
    for g in groups:
        voided += (
            Meeting.objects.filter(
                voided_on__isnull=True,
                organization_id=g["organization_id"],
                held_on=g["held_on"],
                kind=g["kind"],
            )
            .exclude(id=g["first"])
            .update(voided_on=datetime.date.today(), void_reason="重复登记（升级时自动作废）")
        )
    if voided:
        BuildMark.objects.all().delete()  # rollups.rebuild_if_stale recomputes the figures


class Migration(migrations.Migration):
    dependencies = [
        ("life", "0006_meeting_kinds_lecturer"),
        ("rollups", "0002_build_mark"),
    ]

    operations = [migrations.RunPython(void_duplicates, migrations.RunPython.noop)]
