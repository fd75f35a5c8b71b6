"""The pages of development: the pipeline per level, a branch's list, the application form
refusing bad input by field, the person's page telling the earliest date and refusing a step
that breaks a rule with the rule named, the ledger's .xlsx, the API."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.development import services
from dangjian.development.models import Candidacy
from dangjian.members.rules import make_id_number
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return build_county()


def client_of(county, user):
    c = Client()
    c.force_login(county.users[user])
    return c


def test_pages_and_the_next_step_form(county):
    web = client_of(county, "branch_a1")
    today = timezone.localdate()
    bad = web.post(
        "/development/org/TA01/apply/",
        {"name": "", "id_number": "123", "education": "college", "category": "rural"},
    )
    assert bad.status_code == 200 and "这个字段是必填项" in bad.content.decode()
    number = make_id_number("411423", datetime.date(1998, 4, 2), 901, "m")
    ok = web.post(
        "/development/org/TA01/apply/",
        {
            "name": "王申请",
            "id_number": number,
            "education": "college",
            "category": "rural",
            "applied_on": (today - datetime.timedelta(days=40)).isoformat(),
        },
    )
    c = Candidacy.objects.get(name="王申请")
    assert ok.status_code == 302 and ok["Location"] == f"/development/{c.pk}/"
    page = web.get(f"/development/{c.pk}/").content.decode()
    assert "党组织派人谈话" in page and "最早可填日期" in page
    late = web.post(f"/development/{c.pk}/", {"step": "1", "done_on": today.isoformat()})
    assert "一个月内派人谈话" in late.content.decode()
    assert c.steps.count() == 1
    home = web.get("/development/?org=T")
    assert home.status_code == 404 or "入党申请人" in home.content.decode()
    mine = web.get("/development/").content.decode()
    assert "甲一村党支部" in mine and "王申请" not in mine
    listing = web.get("/development/org/TA01/").content.decode()
    assert "王申请" in listing
    county_web = client_of(county, "county")
    root = county_web.get("/development/").content.decode()
    assert "甲镇党委" in root and "乙镇党委" in root
    sheet = county_web.get("/development/export.xlsx?org=T")
    wb = load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
    assert any(r[1] == "王申请" for r in wb.worksheets[0].iter_rows(values_only=True))


def test_api_list_apply_and_step(county):
    api = client_of(county, "county")
    number = make_id_number("411423", datetime.date(1998, 4, 2), 902, "f")
    today = timezone.localdate()
    made = api.post(
        "/api/development/candidacies",
        {
            "org": "TA01",
            "name": "李申请",
            "id_number": number,
            "education": "college",
            "category": "rural",
            "applied_on": (today - datetime.timedelta(days=3)).isoformat(),
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    step = api.post(
        f"/api/development/candidacies/{pk}/steps",
        {"number": 3, "done_on": today.isoformat()},
        content_type="application/json",
    )
    assert step.status_code == 422 and "应先完成第2步" in step.content.decode()
    step = api.post(
        f"/api/development/candidacies/{pk}/steps",
        {"number": 2, "done_on": today.isoformat()},
        content_type="application/json",
    )
    assert step.status_code == 201 and step.json()["next_step"] == 3
    listed = api.get("/api/development/candidacies?org=TA").json()
    assert listed["count"] == 1
    other = client_of(county, "branch_b1").get(f"/api/development/candidacies/{pk}")
    assert other.status_code == 404
    assert services.next_step(Candidacy.objects.get(pk=pk)) == 3


def test_a_step_with_its_document(county, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    c = services.apply(
        county.users["branch_a1"],
        county.village_a1,
        name="赵申请",
        id_number=make_id_number("411423", datetime.date(1998, 4, 2), 903, "m"),
        education="college",
        category="rural",
        applied_on=today - datetime.timedelta(days=2),
    )
    web = client_of(county, "branch_a1")
    done = web.post(
        f"/development/{c.pk}/",
        {
            "step": "1",
            "done_on": today.isoformat(),
            "files": SimpleUploadedFile("谈话记录.pdf", b"%PDF talk"),
        },
    )
    assert done.status_code == 302, done.content.decode()[-2000:]
    f = c.steps.get(number=2).files.get()
    assert f.name == "谈话记录.pdf"
    got = web.get(f"/development/files/{f.pk}/")
    assert b"".join(got.streaming_content) == b"%PDF talk"
    assert client_of(county, "branch_b1").get(f"/development/files/{f.pk}/").status_code == 404
