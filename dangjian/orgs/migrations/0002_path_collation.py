"""On PostgreSQL, give the tree path the "C" collation so paths sort byte-wise.

With a locale collation, '0001' and 'A001' may sort wrongly and prefix ranges stop being
contiguous. SQLite compares bytes already.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE orgs_organization ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
