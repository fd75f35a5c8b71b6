"""A meeting may count as several kinds (ExtraKind); committees' own meeting kinds; a
lecture's lecturer is a member (lecturer_member) or a named outsider (lecturer); the county
setting "life.grace_days" merges into "life.late_entry_days" (one deadline)."""

import re

import django.db.models.deletion
from django.db import migrations, models


def link_lecturers(apps, schema_editor):
    """A lecturer on record as text ("王某（书记）") whose name is that of the meeting's host or
    of a current officer of the organization (the secretary lecturing, as is usual) becomes
    that member; any other text stays as an outsider's name (a name alone could be anyone's)."""
    Meeting = apps.get_model("life", "Meeting")
    Member = apps.get_model("members", "Member")
    Officer = apps.get_model("orgs", "Officer")
    lectures = Meeting.objects.filter(kind="party_lecture").exclude(lecturer="")
    for meeting in lectures.iterator(chunk_size=500):
        name = re.sub(r"[（(].*$", "", meeting.lecturer).strip()
        officers = Officer.objects.filter(
            organization_id=meeting.organization_id, ended_on__isnull=True
        ).values("member_id")
        found = list(
            Member.objects.filter(name=name)
            .filter(models.Q(pk=meeting.host_id) | models.Q(pk__in=officers))
            .values_list("pk", flat=True)[:2]
        )
        if len(found) == 1:
            Meeting.objects.filter(pk=meeting.pk).update(lecturer_member_id=found[0], lecturer="")


def merge_grace_days(apps, schema_editor):
    """A stored "life.grace_days" becomes "life.late_entry_days" of the same organization,
    unless that organization already sets "life.late_entry_days" (which then governs)."""
    RuleSetting = apps.get_model("core", "RuleSetting")
    for setting in RuleSetting.objects.filter(key="life.grace_days"):
        taken = RuleSetting.objects.filter(
            organization_id=setting.organization_id, key="life.late_entry_days"
        ).exists()
        if taken:
            setting.delete()
        else:
            setting.key = "life.late_entry_days"
            setting.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ('life', '0005_meeting_review_year'),
        ('members', '0003_member_order'),
        ('core', '0005_jobs'),
        ('orgs', '0005_move_health_models'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='lecturer_member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lectures', to='members.member', verbose_name='授课党员'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='kind',
            field=models.CharField(choices=[('branch_assembly', '支部党员大会'), ('committee_meeting', '支部委员会'), ('group_meeting', '党小组会'), ('party_lecture', '党课'), ('theme_day', '主题党日'), ('life_meeting', '组织生活会'), ('leadership_life_meeting', '民主生活会'), ('members_assembly', '党员大会'), ('committee_session', '委员会会议')], max_length=32, verbose_name='会议类型'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='lecturer',
            field=models.CharField(blank=True, max_length=60, verbose_name='外请授课人'),
        ),
        migrations.CreateModel(
            name='ExtraKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('branch_assembly', '支部党员大会'), ('committee_meeting', '支部委员会'), ('group_meeting', '党小组会'), ('party_lecture', '党课'), ('theme_day', '主题党日'), ('life_meeting', '组织生活会'), ('leadership_life_meeting', '民主生活会'), ('members_assembly', '党员大会'), ('committee_session', '委员会会议')], max_length=32, verbose_name='同时计为')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extra_kinds', to='life.meeting')),
            ],
            options={
                'verbose_name': '同时计为',
                'verbose_name_plural': '同时计为',
                'indexes': [models.Index(fields=['kind', 'meeting'], name='life_extrak_kind_346d48_idx')],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'kind'), name='unique_extra_kind')],
            },
        ),
        migrations.RunPython(link_lecturers, migrations.RunPython.noop),
        migrations.RunPython(merge_grace_days, migrations.RunPython.noop),
    ]
