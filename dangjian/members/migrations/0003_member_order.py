from django.db import migrations


def c_collation(apps, schema_editor):
    # Byte-wise collation on PostgreSQL: one btree on name then serves both the prefix
    # search (LIKE '张%') and the ordering by name.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE members_member ALTER COLUMN name TYPE varchar(40) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="member",
            options={"ordering": ["name", "id"], "verbose_name": "党员", "verbose_name_plural": "党员"},
        ),
        migrations.RunPython(c_collation, migrations.RunPython.noop),
    ]
