"""Every kind of record users change has a history page: it shows the change (uploaded file
names included) to those who manage the record's organization, is linked from the record's
own page, and is a 404 outside the user's scope."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.health import services as health
from dangjian.life import services as life
from dangjian.orgs import services as orgs
from dangjian.tasks import services as tasks
from dangjian.testing import make_user

pytestmark = pytest.mark.django_db


def upload(name):
    return SimpleUploadedFile(name, b"photo bytes", content_type="image/jpeg")


@pytest.fixture
def records(county, settings, tmp_path):
    """One record of each kind in TA01 (town A's village), changed by town A's secretary."""
    settings.MEDIA_ROOT = tmp_path
    actor = county.users["town_a"]
    today = timezone.localdate()
    org = county.village_a1
    a, b, _ = county.members["TA01"]
    meeting = life.record_meeting(
        org,
        kind="theme_day",
        held_on=today,
        topic="学习党章",
        attachments=[upload("签到表.jpg")],
        actor=actor,
    )
    talk = life.record_talk(
        org, held_on=today, initiator=a, counterpart=b, topic="谈思想", actor=actor
    )
    assignment = tasks.issue(
        county.town_a,
        title="甲镇三月交办单",
        content="报送",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "subtree"},
        fields=[],
        actor=actor,
    )
    tasks.revise(
        assignment, reason="延期", deadline=today + datetime.timedelta(days=20), actor=actor
    )
    report_back = assignment.report_backs.get(organization=org)
    tasks.report(report_back, values={}, text="已完成", files=[upload("现场.jpg")], actor=actor)
    pledge = tasks.create_pledge(
        county.town_a,
        org,
        year=today.year,
        title="甲一村责任书",
        targets=[{"text": "发展党员", "target_value": 2}],
        actor=actor,
    )
    tasks.update_target(pledge.targets.get(), progress_value=1, actor=actor)
    orgs.appoint_officer(org, a, "secretary", term_start=datetime.date(2024, 1, 1))
    project = tasks.create_project(
        org, secretary=a, year=today.year, title="葡萄示范园", goal="带动增收", actor=actor
    )
    tasks.update_project(project, results="种植30户", photos=[upload("葡萄园.jpg")], actor=actor)
    unit = health.save_unit(org, name="甲一村小学", sector="school", actor=actor)
    health.save_unit(org, unit=unit, employees=25, actor=actor)
    return {
        # kind: (record, what its history shows, the page that links to it)
        "meeting": (meeting, "签到表.jpg", reverse("life:meeting", args=[meeting.pk])),
        "talk": (
            talk,
            "<td>谈话主题</td><td>—</td><td>谈思想</td>",
            reverse("life:talks", args=["TA01"]) + f"?year={today.year}",
        ),
        "assignment": (assignment, "延期", reverse("tasks:board", args=[assignment.pk])),
        "report_back": (report_back, "现场.jpg", reverse("tasks:report", args=[report_back.pk])),
        "pledge": (pledge, "更新目标进展：发展党员", reverse("tasks:pledge", args=[pledge.pk])),
        "project": (project, "葡萄园.jpg", reverse("tasks:project", args=[project.pk])),
        "unit": (unit, "从业人员数", reverse("health:unit_edit", args=["TA01", unit.pk])),
    }


def test_each_kind_has_a_history_page_linked_from_its_own_page(client, county, records):
    client.force_login(county.users["town_a"])
    for kind, (record, shown, page) in records.items():
        url = reverse("core:history", args=[kind, record.pk])
        response = client.get(url)
        assert response.status_code == 200, kind
        html = response.content.decode()
        assert shown in html and "town_a" in html, kind
        assert f'href="{url}"' in client.get(page).content.decode(), kind
        # The "app.model" label works too.
        label = record._meta.label_lower
        assert client.get(reverse("core:history", args=[label, record.pk])).status_code == 200


def test_uploaded_file_names_and_part_changes_are_shown(client, county, records):
    client.force_login(county.users["county"])
    html = client.get(reverse("core:history", args=["meeting", records["meeting"][0].pk]))
    assert "<td>附件</td><td>—</td><td>签到表.jpg</td>" in html.content.decode()
    project = records["project"][0]
    html = client.get(reverse("core:history", args=["project", project.pk])).content.decode()
    assert "<td>项目照片</td><td>—</td><td>葡萄园.jpg</td>" in html and "种植30户" in html
    # A pledge's page shows its targets' progress, labelled by the target's fields.
    pledge = records["pledge"][0]
    html = client.get(reverse("core:history", args=["pledge", pledge.pk])).content.decode()
    assert "progress_value" not in html and "<td>1</td>" in html


def test_outside_the_scope_is_404_and_no_link(client, county, records):
    for user in ("town_b", "branch_b1", "member_a1", "nobody"):
        client.force_login(county.users[user])
        for kind, (record, _, _) in records.items():
            url = reverse("core:history", args=[kind, record.pk])
            assert client.get(url).status_code == 404, (user, kind)
    # A member sees the meeting but not its history, nor a link to it.
    client.force_login(county.users["member_a1"])
    meeting, _, page = records["meeting"]
    html = client.get(page).content.decode()
    assert reverse("core:history", args=["meeting", meeting.pk]) not in html


def test_token_history_for_those_who_see_tokens_in_the_admin(client, county):
    admin = make_user("root", is_staff=True, is_superuser=True)
    token, _ = tokens.create(county.users["town_a"], name="对接", actor=admin)
    tokens.revoke(tokens.token_id(token), actor=admin)
    url = reverse("core:history", args=["token", token.pk])
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert "吊销" in html and "对接" in html
    # The admin's history button leads here.
    admin_history = reverse("admin:accounts_apitoken_history", args=[token.pk])
    assert client.get(admin_history).url == url
    for user in ("town_a", "county"):
        client.force_login(county.users[user])
        assert client.get(url).status_code == 404, user


def test_root_history_renders_the_demo_load_readably(client, county):
    from dangjian.core import audit

    audit.record(None, "load_demo", county.root, changes={"activity": {"talks": 2, "meetings": 3}})
    client.force_login(county.users["county"])
    response = client.get(reverse("core:history", args=["organization", county.root.pk]))
    assert response.status_code == 200
    assert "<td>meetings：3，talks：2</td>" in response.content.decode()
