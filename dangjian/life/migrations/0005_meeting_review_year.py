from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import ExtractYear


def backfill(apps, schema_editor):
    """Yearly meetings already on record review the year before when held in Jan–Feb."""
    Meeting = apps.get_model("life", "Meeting")
    yearly = Meeting.objects.filter(kind__in=["life_meeting", "leadership_life_meeting"])
    yearly.filter(held_on__month__lte=2).update(review_year=ExtractYear("held_on") - 1)
    yearly.filter(~Q(held_on__month__lte=2)).update(review_year=ExtractYear("held_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("life", "0004_meeting_late_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="review_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="所属年度"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
