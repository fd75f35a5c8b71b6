from django.db import migrations, models


def fill_initials(apps, schema_editor):
    from dangjian.orgs.pinyin import name_initials

    Organization = apps.get_model("orgs", "Organization")
    batch = []
    for org in Organization.objects.only("pk", "name").iterator(chunk_size=2000):
        org.name_initials = name_initials(org.name)
        batch.append(org)
        if len(batch) >= 2000:
            Organization.objects.bulk_update(batch, ["name_initials"])
            batch = []
    if batch:
        Organization.objects.bulk_update(batch, ["name_initials"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_move_health_models")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="name_initials",
            field=models.CharField(blank=True, max_length=120, verbose_name="名称拼音首字母"),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["name_initials"],
                name="orgs_name_initials",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
