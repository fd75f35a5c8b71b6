from django.db import migrations, models
from pypinyin import lazy_pinyin


def fill(apps, schema_editor):
    """The sort key of every existing member (members.rules.name_sort_key, as of this
    migration), in batches."""
    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.only("id", "name").iterator(chunk_size=2000):
        member.name_pinyin = " ".join(lazy_pinyin((member.name or "").strip().lower()))[:200]
        batch.append(member)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["name_pinyin"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["name_pinyin"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_normalize_identifiers"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="name_pinyin",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=200,
                verbose_name="姓名拼音",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="member",
            options={
                "ordering": ["name_pinyin", "name", "id"],
                "verbose_name": "党员",
                "verbose_name_plural": "党员",
            },
        ),
    ]
