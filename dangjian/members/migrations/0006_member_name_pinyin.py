from django.db import migrations, models
from pypinyin import lazy_pinyin


def fill(apps, schema_editor):
    """The sort key of every existing member (members.rules.name_sort_key, as of this
    migration). Names repeat a lot: the key is computed once per distinct name, and the
    members are updated in one joined statement (a province's 2,000,000 rows updated one
    by one took over six minutes)."""
    Member = apps.get_model("members", "Member")
    table = Member._meta.db_table
    names = Member.objects.values_list("name", flat=True).distinct().iterator(chunk_size=5000)
    keys = [(n, " ".join(lazy_pinyin((n or "").strip().lower()))[:200]) for n in names]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE member_name_keys (name varchar(200), sort_key varchar(200))"
        )
        for i in range(0, len(keys), 5000):
            cursor.executemany("INSERT INTO member_name_keys VALUES (%s, %s)", keys[i : i + 5000])
        cursor.execute(
            f"UPDATE {table} SET name_pinyin = k.sort_key FROM member_name_keys k "
            f"WHERE {table}.name = k.name"
        )
        cursor.execute("DROP TABLE member_name_keys")


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
