# The single-column indexes Django makes for the two foreign keys of ReportBack duplicate the
# leading column of unique_report_back (assignment, organization) and of the
# (organization, status) index: drop them, and nothing else. (A plain AlterField would also
# drop and re-validate both foreign-key constraints, scanning the whole table under lock.)

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "tasks_reportback_assignment_id_3226e7df": "assignment_id",
    "tasks_reportback_organization_id_1c215d44": "organization_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0004_depth_path_index'),
        ('tasks', '0002_project_photo'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='reportback',
                    name='assignment',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='report_backs', to='tasks.assignment'),
                ),
                migrations.AlterField(
                    model_name='reportback',
                    name='organization',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='report_backs', to='orgs.organization', verbose_name='接收组织'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "tasks_reportback" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
