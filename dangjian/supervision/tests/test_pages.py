"""The supervision pages: the ledger with its filters and export, an item's progress and
sign-off, a plan through a closed inspection to its notice, orders and interviews."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.supervision import services
from dangjian.supervision.models import Inspection, RectificationItem, SupervisionOrder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def client_for(county, name):
    c = Client()
    c.force_login(county.users[name])
    return c


def make_item(county, org=None, deadline=None, problem="阵地建设不达标"):
    return services.create_rectification_item(
        county.users["town_a"],
        organization=org or county.village_a1,
        problem=problem,
        deadline=deadline or TODAY + 20 * DAY,
        guarantors=[{"level": "township", "name": "李镇长", "post": "副书记"}],
    )


def test_the_ledger_filters_and_exports(county):
    late = make_item(county, problem="半年未开党员大会")
    RectificationItem.objects.filter(pk=late.pk).update(
        opened_on=TODAY - 40 * DAY, deadline=TODAY - DAY
    )
    make_item(county, org=county.village_a2, problem="党员活动室被占用")
    c = client_for(county, "town_a")
    page = c.get(reverse("supervision:ledger")).content.decode()
    assert "半年未开党员大会" in page and "党员活动室被占用" in page and "已逾期" in page
    page = c.get(reverse("supervision:ledger"), {"status": "overdue"}).content.decode()
    assert "半年未开党员大会" in page and "党员活动室被占用" not in page
    page = c.get(reverse("supervision:ledger"), {"org": "TA02"}).content.decode()
    assert "半年未开党员大会" not in page and "党员活动室被占用" in page
    page = c.get(reverse("supervision:ledger"), {"org": "TB01"}).content.decode()
    assert "没有整改事项" in page
    response = c.get(reverse("supervision:ledger_export"), {"status": "overdue"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb["整改台账"].values)
    assert rows[0][:5] == ("组织编码", "党组织", "领域", "来源", "存在问题")
    assert [r[4] for r in rows[1:]] == ["半年未开党员大会"]
    assert rows[1][9] == "李镇长（副书记）" and rows[1][13] == "已逾期"


def test_create_an_item_on_the_page_with_errors_shown(county):
    c = client_for(county, "branch_a1")
    url = reverse("supervision:item_create", args=["TA01"])
    assert c.get(url).status_code == 200
    bad = c.post(
        url,
        {
            "problem": "x",
            "measure_kind": "other",
            "deadline": "2000-01-01",
            "village_name": "",
            "village_post": "支部书记",
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "整改期限不能早于登记日期" in text and "第1位包保责任人请填写姓名" in text
    ok = c.post(
        url,
        {
            "problem": "换届后班子不健全",
            "measure_kind": "leader_pilot",
            "deadline": (TODAY + 30 * DAY).isoformat(),
            "village_name": "张三",
            "village_post": "支部书记",
        },
    )
    assert ok.status_code == 302
    item = RectificationItem.objects.get()
    assert item.guarantors.get().name == "张三"
    assert client_for(county, "branch_b1").get(url).status_code == 404


def test_progress_with_evidence_then_sign_off_on_the_item_page(county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item(county)
    url = reverse("supervision:item", args=[item.pk])
    branch = client_for(county, "branch_a1")
    page = branch.get(url).content.decode()
    assert "填报进展" in page and "验收销号" not in page  # the branch cannot sign itself off
    evidence = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 evidence", "application/pdf")
    response = branch.post(
        url, {"action": "progress", "p-text": "已召开党员大会", "p-files": evidence}
    )
    assert response.status_code == 302
    note = item.progress_notes.get()
    f = note.files.get()
    assert branch.get(reverse("supervision:progress_file", args=[f.pk])).status_code == 200
    assert (
        client_for(county, "town_b")
        .get(reverse("supervision:progress_file", args=[f.pk]))
        .status_code
        == 404
    )
    # The branch posting a sign-off is refused with the rule's message; nothing changes.
    refused = branch.post(url, {"action": "sign_off", "s-note": "自己验收"})
    assert "不能由本组织自己销号" in refused.content.decode()
    town = client_for(county, "town_a")
    assert "验收销号" in town.get(url).content.decode()
    assert town.post(url, {"action": "sign_off", "s-note": "验收合格"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "rectified"
    assert "由 town_a 验收销号" in town.get(url).content.decode()
    assert client_for(county, "town_b").get(url).status_code == 404


def test_a_plan_to_its_notice_through_the_pages(county):
    c = client_for(county, "town_a")
    response = c.post(
        reverse("supervision:plan_create", args=["TA"]),
        {
            "kind": "phone_check",
            "title": "12月电话抽查",
            "starts_on": TODAY.replace(day=1),
            "ends_on": TODAY + 30 * DAY,
            "sample_size": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()
    plan_url = response["Location"]
    assert "12月电话抽查" in c.get(reverse("supervision:plans")).content.decode()
    response = c.post(plan_url, {"held_on": TODAY.isoformat(), "inspectors": "钱组长"})
    assert response.status_code == 302
    record = Inspection.objects.get()
    page = c.get(response["Location"]).content.decode()
    assert "抽查的党支部" in page and "甲一村党支部" in page and "甲二村党支部" in page
    response = c.post(
        response["Location"],
        {"organization": "TA01", "problem": "电话无人接听", "measure_kind": "other"},
    )
    assert response.status_code == 302
    bad = c.post(
        reverse("supervision:inspection", args=[record.pk]),
        {"organization": "TB01", "problem": "越界", "measure_kind": "other"},
    )
    assert "不存在，或不在您的管辖范围内" in bad.content.decode()
    response = c.post(reverse("supervision:inspection_close", args=[record.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/notices/")
    notice_page = c.get(response["Location"]).content.decode()
    assert "电话无人接听" in notice_page
    assert (
        "生成通报"
        not in c.get(reverse("supervision:inspection", args=[record.pk])).content.decode()
    )
    assert client_for(county, "town_b").get(plan_url).status_code == 404


def test_orders_and_interviews_pages(county):
    item = make_item(county)
    RectificationItem.objects.filter(pk=item.pk).update(
        opened_on=TODAY - 40 * DAY, deadline=TODAY - DAY
    )
    services.issue_overdue_orders(TODAY)
    order = SupervisionOrder.objects.get()
    branch = client_for(county, "branch_a1")
    assert "阵地建设不达标" in branch.get(reverse("supervision:orders")).content.decode()
    url = reverse("supervision:order", args=[order.pk])
    assert "反馈整改情况" in branch.get(url).content.decode()
    assert branch.post(url, {"reply": "已落实整改"}).status_code == 302
    assert "已落实整改" in client_for(county, "town_a").get(url).content.decode()
    assert client_for(county, "town_b").get(url).status_code == 404
    town = client_for(county, "town_a")
    create = reverse("supervision:interview_create", args=["TA01"]) + f"?item={item.pk}"
    response = town.post(
        create,
        {
            "item": item.pk,
            "held_on": TODAY.isoformat(),
            "interviewers": "镇党委书记",
            "interviewees": "甲一村支书",
            "content": "整改慢",
            "outcome": "限期整改",
        },
    )
    assert response.status_code == 302
    assert "限期整改" in town.get(reverse("supervision:interviews")).content.decode()
    assert "限期整改" in town.get(reverse("supervision:item", args=[item.pk])).content.decode()
    refused = branch.post(
        create,
        {
            "held_on": TODAY.isoformat(),
            "interviewers": "x",
            "interviewees": "y",
            "content": "z",
            "outcome": "w",
        },
    )
    assert "约谈由上级党组织进行" in refused.content.decode()
