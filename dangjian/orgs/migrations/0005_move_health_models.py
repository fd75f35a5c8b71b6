# Elections and units moved to the health app. Their tables are renamed, not copied, so
# every row stays; the health app's 0001 takes the models over in the migration state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_depth_path_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("election", "health_election"),
                migrations.AlterModelTable("unit", "health_unit"),
            ],
            state_operations=[
                migrations.DeleteModel("Election"),
                migrations.DeleteModel("Unit"),
            ],
        ),
    ]
