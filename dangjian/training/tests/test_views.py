"""Training pages: the county opens each page and records a session with absentees
unticked; a member reads a course and passes its quiz on 我的学习."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.models import RoleName
from dangjian.testing import build_county, make_user
from dangjian.training import services
from dangjian.training.models import Attendance, CourseCompletion

pytestmark = pytest.mark.django_db


def test_pages_form_and_quiz(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    county = build_county()
    c = Client()
    c.force_login(county.users["county"])
    members = county.members["TA01"]
    response = c.get(reverse("training:session_create", args=["TA01"]))
    assert response.status_code == 200 and "checked" in response.content.decode()
    today = datetime.date.today()
    response = c.post(
        reverse("training:session_create", args=["TA01"]),
        {
            "topic": "甲村党课",
            "trainer": "书记",
            "kind": "mobile_school",
            "level": "branch",
            "venue": "村部",
            "starts_on": today.isoformat(),
            "hours": "4",
            "is_lecture": "on",
            "present": [str(m.pk) for m in members[:2]],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Attendance.objects.count() == 2
    bad = c.post(reverse("training:session_create", args=["TA01"]), {"topic": "x"})
    assert bad.status_code == 200 and "必填" in bad.content.decode()
    for name in ("training:home", "training:sessions", "training:hours", "training:mine"):
        assert c.get(reverse(name)).status_code == 200, name
    page = c.get(reverse("training:hours") + "?below=1").content.decode()
    assert members[2].name in page
    export = c.get(reverse("training:hours_export"))
    assert export.status_code == 200
    assert "甲村党课" in c.get(reverse("training:sessions")).content.decode()

    course = services.create_course(None, county.root, title="新时代党章课", hours="2", body="内容")
    for i in range(5):
        services.add_question(None, course, text=f"题{i}", choices=["甲", "乙"], answer=0)
    services.publish_course(None, course)
    m = members[0]
    user = make_user("ta01member", RoleName.MEMBER, county.village_a1)
    m.user = user
    m.save(update_fields=["user"])
    mc = Client()
    mc.force_login(user)
    assert "新时代党章课" in mc.get(reverse("training:mine")).content.decode()
    page = mc.get(reverse("training:course", args=[course.pk]))
    assert page.status_code == 200 and "课程测验" in page.content.decode()
    answers = {f"q{q.pk}": "0" for q in course.questions.all()}
    done = mc.post(reverse("training:course", args=[course.pk]), {"attempt": "0", **answers})
    assert done.status_code == 302
    assert CourseCompletion.objects.filter(member=m, course=course).exists()


def test_the_county_uploads_a_course_builds_its_bank_and_publishes(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.training.models import Course

    settings.MEDIA_ROOT = tmp_path
    county = build_county()
    c = Client()
    c.force_login(county.users["county"])
    url = reverse("training:course_create", args=[county.root.code])
    assert c.get(url).status_code == 200
    # Neither text nor a file: refused, naming the field, nothing stored.
    page = c.post(url, {"title": "党章学习", "hours": "2", "level": "county"}).content.decode()
    assert "请填写课程内容或上传课件、视频" in page and not Course.objects.exists()
    slides = SimpleUploadedFile("党章.pdf", b"%PDF-1.4 slides", content_type="application/pdf")
    response = c.post(url, {"title": "党章学习", "hours": "2", "level": "county", "files": slides})
    course = Course.objects.get()
    assert response.url == reverse("training:course_manage", args=[course.pk])
    assert course.files.count() == 1 and not course.is_published
    manage = reverse("training:course_manage", args=[course.pk])
    c.post(manage, {"action": "publish"})
    course.refresh_from_db()
    assert not course.is_published  # no questions yet
    c.post(
        manage,
        {
            "action": "question",
            "text": "党的最高理想是？",
            "choices": "共产主义\n小康",
            "answer": "1",
        },
    )
    assert course.questions.get().answer == 0
    c.post(manage, {"action": "publish"})
    course.refresh_from_db()
    assert course.is_published
