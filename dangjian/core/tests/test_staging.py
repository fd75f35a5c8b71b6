"""Files chosen on a refused form are kept (core.staging): listed again with a token, attached
on the successful post as if uploaded again; removable; another user's token refused; expired
ones deleted by the daily job."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.core import staging
from dangjian.core.models import StagedFile
from dangjian.life.models import Attachment, Meeting
from dangjian.life.tests.test_views import meeting_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo(name="合影.jpg", size=1200):
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + b"x" * (size - 3), content_type="image/jpeg")


def token_of(html):
    return re.search(r'name="attachments__staged" value="([0-9a-f]+)"', html).group(1)


URL = ("life:meeting_new", ["TA01"])


def refused_post(client, county, *files):
    data = meeting_post(county, topic="", attachments=list(files))
    response = client.post(reverse(*URL[:1], args=URL[1]), data)
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    return response.content.decode()


def test_files_kept_after_a_refused_post_are_attached_on_the_next(client, county, media):
    client.force_login(county.users["branch_a1"])
    html = refused_post(client, county, photo("合影.jpg"), photo("签到表.jpg", 2048))
    assert "请填写会议主题" in html
    assert "已选：" in html and "合影.jpg" in html and "签到表.jpg" in html and "2.0\xa0KB" in html
    assert StagedFile.objects.count() == 2
    token = token_of(html)
    response = client.post(
        reverse(*URL[:1], args=URL[1]),
        meeting_post(
            county, **{"attachments__staged": token, "attachments": [photo("第三张.jpg")]}
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    names = set(Attachment.objects.filter(meeting=meeting).values_list("name", flat=True))
    assert names == {"合影.jpg", "签到表.jpg", "第三张.jpg"}
    kept = Attachment.objects.get(name="签到表.jpg")
    assert kept.size == 2048 and kept.file.read() == b"\xff\xd8\xff" + b"x" * 2045
    assert not StagedFile.objects.exists()  # used: gone, files too
    assert not list((media / "staging").rglob("*.jpg"))


def test_a_staged_file_can_be_removed(client, county):
    client.force_login(county.users["branch_a1"])
    html = refused_post(client, county, photo("合影.jpg"), photo("错的.jpg"))
    token = token_of(html)
    wrong = StagedFile.objects.get(name="错的.jpg")
    # Removed on a second refused post: listed no more.
    data = meeting_post(county, topic="", **{"attachments__staged": token})
    data["attachments__remove"] = [str(wrong.pk)]
    html = client.post(reverse(*URL[:1], args=URL[1]), data).content.decode()
    assert "合影.jpg" in html and "错的.jpg" not in html
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["合影.jpg"]
    client.post(reverse(*URL[:1], args=URL[1]), meeting_post(county, attachments__staged=token))
    assert list(Attachment.objects.values_list("name", flat=True)) == ["合影.jpg"]


def test_a_token_of_another_user_is_refused(client, county):
    client.force_login(county.users["branch_a1"])
    token = token_of(refused_post(client, county, photo("合影.jpg")))
    client.force_login(county.users["town_a"])
    response = client.post(
        reverse(*URL[:1], args=URL[1]), meeting_post(county, attachments__staged=token)
    )
    assert response.status_code == 200
    assert "之前选择的文件已失效" in response.content.decode()
    assert "合影.jpg" not in response.content.decode()
    assert not Meeting.objects.exists() and not Attachment.objects.exists()
    assert StagedFile.objects.get().user == county.users["branch_a1"]  # untouched


def test_nothing_is_staged_for_a_post_without_files(client, county):
    client.force_login(county.users["branch_a1"])
    html = refused_post(client, county)
    assert "attachments__staged" not in html
    assert not StagedFile.objects.exists()


def test_staged_files_expire_after_a_day(client, county, media):
    client.force_login(county.users["branch_a1"])
    token = token_of(refused_post(client, county, photo("旧.jpg")))
    old = StagedFile.objects.get()
    StagedFile.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    # Expired: not attached any more.
    client.post(reverse(*URL[:1], args=URL[1]), meeting_post(county, attachments__staged=token))
    assert Meeting.objects.count() == 1 and not Attachment.objects.exists()
    path = media / old.file.name
    assert path.exists()
    assert staging.purge()["deleted"] == 1
    assert not StagedFile.objects.exists() and not path.exists()


def test_the_daily_job_runs_the_purge(settings):
    fn, _at = settings.JOBS_DAILY["staging"]
    assert fn == "dangjian.core.staging.purge"


def test_report_back_files_kept_until_enough(client, county):
    """A report-back refused for too few attachments keeps the one chosen; adding the second
    on the next post is enough."""
    from dangjian.tasks import services as tasks

    today = timezone.localdate()
    a = tasks.issue(
        county.town_a,
        title="照片",
        content="上传两张照片",
        starts_on=today,
        deadline=today + datetime.timedelta(days=1),
        receivers={"mode": "subtree"},
        attachments_required=2,
    )
    own = a.report_backs.get(organization__code="TA01")
    client.force_login(county.users["branch_a1"])
    url = reverse("tasks:report", args=[own.pk])
    response = client.post(url, {"action": "report", "text": "", "files": [photo("一.jpg")]})
    assert "至少需要上传2个附件" in response.context["form"].errors["files"][0]
    html = response.content.decode()
    token = re.search(r'name="files__staged" value="([0-9a-f]+)"', html).group(1)
    assert "已选：" in html and "一.jpg" in html
    response = client.post(
        url, {"action": "report", "text": "", "files": [photo("二.jpg")], "files__staged": token}
    )
    assert response.status_code == 302
    assert set(own.files.values_list("name", flat=True)) == {"一.jpg", "二.jpg"}
    assert not StagedFile.objects.exists()


def test_project_photos_kept_after_a_refused_post(client, county):
    from dangjian.orgs import services as orgs
    from dangjian.tasks import services as tasks

    secretary = county.members["TA01"][0]
    orgs.appoint_officer(
        county.village_a1, secretary, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    project = tasks.create_project(
        county.village_a1,
        secretary=secretary,
        year=timezone.localdate().year,
        title="葡萄园",
        goal="带动",
    )
    client.force_login(county.users["branch_a1"])
    url = reverse("tasks:project", args=[project.pk])
    post = {"action": "results", "res-results": "带动32户", "res-brand": "长" * 101}
    response = client.post(url, post | {"res-photos": [photo("园区.jpg")]})
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'name="res-photos__staged" value="([0-9a-f]+)"', html).group(1)
    assert "园区.jpg" in html and not project.photos.exists()
    response = client.post(url, post | {"res-brand": "紫色甲一", "res-photos__staged": token})
    assert response.status_code == 302
    assert list(project.photos.values_list("name", flat=True)) == ["园区.jpg"]
