"""Report-backs carry their receiver's tree path (see ReportBack.path): the column, filled
for the report-backs already stored, "C" collation on PostgreSQL, and its index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_paths(apps, schema_editor):
    ReportBack = apps.get_model("tasks", "ReportBack")
    Organization = apps.get_model("orgs", "Organization")
    ReportBack.objects.update(path=Subquery(
        Organization.objects.filter(pk=OuterRef("organization_id")).values("path")[:1]))


def collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE tasks_reportback ALTER COLUMN path TYPE varchar(255) COLLATE "C"')


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_depth_path_index"),
        ("tasks", "0004_ordering_by_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportback",
            name="path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(copy_paths, migrations.RunPython.noop),
        migrations.RunPython(collation, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="reportback",
            index=models.Index(fields=["assignment", "path"], name="reportback_assignment_path"),
        ),
    ]
