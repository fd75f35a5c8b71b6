"""Notices (通报): numbering, who may issue and who sees, the body's checks, the page, the
PDF (Chinese text read back out of it), withdrawal, the API and the desk."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from pypdf import PdfReader

from dangjian.accounts import tokens
from dangjian.core import config
from dangjian.notices import rules, services
from dangjian.notices.models import Notice

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"heading": "一、基本情况", "paragraphs": ["本季度共抽查村党支部12个。"]},
    {
        "heading": "二、存在的问题",
        "paragraphs": [],
        "table": {
            "columns": ["序号", "党组织", "问题", "整改时限"],
            "rows": [["1", "甲一村党支部", "主题党日未按月开展", "2026-12-31"]],
        },
    },
]


def issue(county, user="county", org=None, **overrides):
    data = {
        "issuer": org or county.root,
        "kind": "inspection",
        "title": "关于第四季度基层党建工作督查情况的通报",
        "sections": SECTIONS,
        "date": datetime.date(2026, 12, 7),
    }
    data.update(overrides)
    return services.issue_notice(county.users[user], **data)


# ---- rules ------------------------------------------------------------------------------


def test_number_and_date_in_the_official_form():
    assert rules.number_text("宁组通", 2026, 3) == "宁组通〔2026〕3号"
    assert rules.date_text(datetime.date(2026, 1, 5)) == "2026年1月5日"
    assert rules.default_prefix("中共宁陵县委员会", True) == "宁组通"
    assert rules.default_prefix("中共张弓镇委员会", False) == "张党通"
    assert rules.default_issuer_name("中共宁陵县委员会", True) == "中共宁陵县委组织部"
    assert rules.default_issuer_name("中共张弓镇委员会", False) == "中共张弓镇委员会"


def test_body_checks_name_the_section_and_row():
    assert rules.check_sections([]) == ["通报正文不能为空"]
    bad = [
        {"heading": "", "paragraphs": []},
        {"heading": "二", "table": {"columns": ["a", "b"], "rows": [["1", "2"], ["3"]]}},
    ]
    assert rules.check_sections(bad) == ["第1节是空的", "第2节表格第2行应有2格"]
    assert rules.check_sections(SECTIONS) == []


# ---- services ---------------------------------------------------------------------------


def test_numbers_run_per_issuer_and_year(county):
    first, second = issue(county), issue(county)
    assert (first.serial, second.serial) == (1, 2)
    assert second.number == "测组通〔2026〕2号"
    assert second.issuer_name == "中共测试县委"
    town = issue(county, "town_a", county.town_a)
    assert town.number == "甲党通〔2026〕1号"
    next_year = issue(county, date=datetime.date(2027, 1, 4))
    assert next_year.number == "测组通〔2027〕1号"


def test_a_county_sets_its_own_prefix_and_name(county):
    config.set_rule(county.root, "notices.number_prefix", "宁组通")
    config.set_rule(county.root, "notices.issuer_name", "中共宁陵县委组织部")
    notice = issue(county)
    assert (notice.number, notice.issuer_name) == ("宁组通〔2026〕1号", "中共宁陵县委组织部")


def test_only_the_issuers_managers_issue(county):
    with pytest.raises(PermissionDenied):
        issue(county, "town_a")  # a township for the county
    with pytest.raises(PermissionDenied):
        issue(county, "member_a1", county.village_a1)
    assert not Notice.objects.exists()


def test_every_error_at_once_and_nothing_written(county):
    with pytest.raises(ValidationError) as caught:
        issue(county, title=" ", kind="memo", sections=[{"heading": ""}])
    errors = caught.value.message_dict
    assert set(errors) == {"title", "kind", "sections"}
    assert errors["sections"] == ["第1节是空的"]
    assert not Notice.objects.exists()


def test_withdrawn_keeps_its_number_and_the_series_goes_on(county):
    notice = issue(county)
    with pytest.raises(ValidationError):
        services.withdraw_notice(county.users["county"], notice, " ")
    services.withdraw_notice(county.users["county"], notice, "数据有误")
    notice.refresh_from_db()
    assert notice.withdrawn_on and notice.number.endswith("〔2026〕1号")
    assert issue(county).serial == 2


# ---- who sees ---------------------------------------------------------------------------


def test_a_notice_reaches_the_subtree_below_its_issuer(county):
    county_notice = issue(county)
    town_notice = issue(county, "town_a", county.town_a)
    seen = {}
    for name in ("county", "town_a", "town_b", "branch_a1", "branch_b1", "member_a1", "nobody"):
        client = Client()
        client.force_login(county.users[name])
        seen[name] = [
            client.get(f"/notices/{n.pk}/").status_code for n in (county_notice, town_notice)
        ]
    assert seen["county"] == [200, 200]
    assert seen["town_a"] == [200, 200]
    assert seen["town_b"] == [200, 404]
    assert seen["branch_a1"] == [200, 200]
    assert seen["branch_b1"] == [200, 404]
    assert seen["member_a1"] == [200, 200]
    assert seen["nobody"] == [404, 404]


def test_page_shows_the_document(county):
    notice = issue(county)
    client = Client()
    client.force_login(county.users["branch_a1"])
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    for text in (
        "测组通〔2026〕1号",
        notice.title,
        "各乡镇党委、街道党工委，县直各单位党组织：",
        "主题党日未按月开展",
        "2026年12月7日印发",
    ):
        assert text in html
    assert "撤回通报" not in html  # only the issuer's managers withdraw
    listing = client.get("/notices/").content.decode()
    assert notice.title in listing


def test_pdf_holds_the_chinese_text(county):
    notice = issue(county)
    client = Client()
    client.force_login(county.users["branch_a1"])
    response = client.get(f"/notices/{notice.pk}/pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for part in (
        "中共测试县委",
        "测组通〔2026〕1号",
        "关于第四季度基层党建工作督查情况的通报",
        "甲一村党支部",
        "主题党日未按月开展",
        "2026年12月7日",
    ):
        assert part in text
    assert reader.metadata.title.startswith("测组通〔2026〕1号")


def test_withdraw_from_the_page(county):
    notice = issue(county)
    client = Client()
    client.force_login(county.users["town_a"])
    assert client.post(f"/notices/{notice.pk}/withdraw", {"reason": "x"}).status_code == 403
    client.force_login(county.users["county"])
    client.post(f"/notices/{notice.pk}/withdraw", {"reason": "数据有误"})
    notice.refresh_from_db()
    assert notice.withdrawn_reason == "数据有误"
    assert "已撤回" in client.get(f"/notices/{notice.pk}/").content.decode()


# ---- API and desk -----------------------------------------------------------------------


def test_api_lists_reads_and_renders(county):
    notice = issue(county)
    town_notice = issue(county, "town_a", county.town_a)
    headers = {"Authorization": f"Bearer {tokens.create(county.users['branch_b1'])[1]}"}
    client = Client()
    listed = client.get("/api/notices/", headers=headers).json()
    assert [n["number"] for n in listed["items"]] == [notice.number]
    detail = client.get(f"/api/notices/{notice.pk}", headers=headers).json()
    assert detail["sections"][1]["table"]["rows"][0][1] == "甲一村党支部"
    assert client.get(f"/api/notices/{town_notice.pk}", headers=headers).status_code == 404
    pdf = client.get(f"/api/notices/{notice.pk}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.get("/api/notices/", {"kind": "memo"}, headers=headers)
    assert bad.status_code == 422


def test_desk_lists_new_notices(county):
    notice = issue(county, date=None)
    client = Client()
    client.force_login(county.users["branch_a1"])
    html = client.get("/").content.decode()
    assert "新通报" in html and notice.title in html
