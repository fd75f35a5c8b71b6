from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration: on PostgreSQL the table is altered in a transaction of its own,
    # after 0007 has voided any duplicates.
    dependencies = [("life", "0007_void_duplicate_meetings")]

    operations = [
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                condition=models.Q(("voided_on__isnull", True)),
                fields=("organization", "held_on", "kind"),
                name="one_valid_meeting_of_a_kind_a_day",
            ),
        ),
    ]
