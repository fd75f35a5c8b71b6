# The models moved here from orgs (orgs 0005 renamed their tables): state only.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from dangjian.orgs.models import Sector


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0005_move_health_models"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Election",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("held_on", models.DateField(verbose_name="选举日期")),
                        ("seats", models.PositiveSmallIntegerField(verbose_name="应选委员数")),
                        ("candidates", models.PositiveSmallIntegerField(verbose_name="候选人数")),
                        ("voters", models.PositiveIntegerField(verbose_name="有选举权的党员数")),
                        ("present", models.PositiveIntegerField(verbose_name="到会人数")),
                        ("votes", models.JSONField(default=dict, verbose_name="得票")),
                        ("note", models.TextField(blank=True, verbose_name="备注")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="elections",
                                to="orgs.organization",
                                verbose_name="党组织",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "换届选举",
                        "verbose_name_plural": "换届选举",
                        "ordering": ["-held_on"],
                    },
                ),
                migrations.CreateModel(
                    name="Unit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="单位名称")),
                        (
                            "sector",
                            models.CharField(
                                choices=Sector.choices, max_length=24, verbose_name="领域"
                            ),
                        ),
                        (
                            "employees",
                            models.PositiveIntegerField(default=0, verbose_name="从业人员数"),
                        ),
                        (
                            "full_members",
                            models.PositiveIntegerField(default=0, verbose_name="正式党员数"),
                        ),
                        (
                            "coverage",
                            models.CharField(
                                choices=[
                                    ("own", "单独组建"),
                                    ("joint", "联合组建"),
                                    ("instructor", "选派党建指导员"),
                                    ("none", "未覆盖"),
                                ],
                                default="none",
                                max_length=12,
                                verbose_name="覆盖方式",
                            ),
                        ),
                        (
                            "instructor",
                            models.CharField(blank=True, max_length=40, verbose_name="党建指导员"),
                        ),
                        (
                            "closed_on",
                            models.DateField(blank=True, null=True, verbose_name="注销日期"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="units",
                                to="orgs.organization",
                                verbose_name="所在地区党组织",
                            ),
                        ),
                        (
                            "covering_organization",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="covered_units",
                                to="orgs.organization",
                                verbose_name="覆盖的党组织",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "单位",
                        "verbose_name_plural": "单位",
                        "ordering": ["area", "sector", "name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
