# The roll-up engine's own table. Databases from before it kept the figures in
# ledger_rollup: that table is dropped here, and the figures are recomputed from the
# records after migrate (rollups.services.rebuild_if_stale); they are derived, not entered.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS ledger_rollup", migrations.RunSQL.noop),
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=80)),
                ("value", models.BigIntegerField(default=0)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rollups",
                        to="orgs.organization",
                    ),
                ),
            ],
            options={"verbose_name": "汇总数"},
        ),
        migrations.AddConstraint(
            model_name="rollup",
            constraint=models.UniqueConstraint(
                fields=("organization", "key"), name="unique_rollup_key"
            ),
        ),
    ]
