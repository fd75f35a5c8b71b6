"""The pages of assessment: a scheme made and revised, an assessment opened and computed as
a job, the ranking with its filters and tie rule, the score card with reasons and the
hand-score form, the .xlsx export, publishing to a notice."""

import io

import openpyxl
import pytest
from django.test import Client

from dangjian.assessment import services
from dangjian.assessment.models import Assessment, Scheme, Status
from dangjian.notices.models import Notice
from dangjian.testing import run_jobs

pytestmark = pytest.mark.django_db

ROWS = {
    "ind_code": ["meetings", "inspection", ""],
    "ind_name": ["三会一课按期召开", "督查评分", ""],
    "ind_method": ["computed", "hand", "computed"],
    "ind_source": ["life.meeting_compliance", "", ""],
    "ind_weight": ["60", "40", ""],
    "ind_zero_at": ["0.5", "0", "0"],
    "ind_full_at": ["1", "1", "1"],
    "ind_if_no_data": ["full", "full", "full"],
    "ind_description": ["", "", ""],
}


def login(county, who="county"):
    client = Client()
    client.force_login(county.users[who])
    return client


def make_scheme(client, **rows):
    data = {"organization": "T", "name": "年度考核方案", "period_kind": "year"}
    data["total_points"] = "100"
    return client.post("/assessment/schemes/new/", data | ROWS | rows)


def test_a_scheme_with_bad_weights_shows_every_error_and_saves_nothing(county):
    client = login(county)
    response = make_scheme(client, ind_weight=["60", "30", ""])
    assert response.status_code == 200
    assert "各项指标分值之和为90，应等于方案满分100" in response.content.decode()
    response = make_scheme(client, ind_weight=["60", "abc", ""], ind_source=["", "", ""])
    text = response.content.decode()
    assert "第1项指标：请选择数据来源" in text and "第2项指标：分值应为大于0的数" in text
    assert not Scheme.objects.exists()


def test_the_whole_round_through_the_pages(county):
    client = login(county)
    response = make_scheme(client)
    scheme = Scheme.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/assessment/schemes/{scheme.pk}/"
    )
    page = client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    assert "三会一课按期召开" in page and "第 1 版" in page
    # Revised: a new version; the old one kept.
    revised = client.post(
        f"/assessment/schemes/{scheme.pk}/",
        ROWS | {"ind_weight": ["70", "30", ""], "note": "组织生活加分"},
    )
    assert revised.status_code == 302
    assert scheme.versions.count() == 2
    # Opened: the scores are computed by a job.
    opened = client.post(f"/assessment/schemes/{scheme.pk}/open", {"period": "2026"})
    assert opened.status_code == 302 and "/jobs/" in opened["Location"]
    run_jobs()
    job = client.get(opened["Location"]).content.decode()
    assessment = Assessment.objects.get()
    assert f"/assessment/{assessment.pk}/" in job
    page = client.get(f"/assessment/{assessment.pk}/").content.decode()
    assert "甲一村党支部" in page and "排序规则" in page and "按组织编码排序" in page
    assert "缺1项人工评分" in page
    villages = client.get(f"/assessment/{assessment.pk}/?level=village").content.decode()
    assert "甲镇党委" not in villages and "乙一村党支部" in villages
    # A township scores a village by hand; the card shows the reason and who gave it.
    town = login(county, "town_a")
    card_url = f"/assessment/{assessment.pk}/org/TA01/"
    bad = town.post(card_url, {"indicator_code": "inspection", "score": "45", "reason": "x"})
    assert "得分应在0至30分之间" in bad.content.decode()
    saved = town.post(
        card_url, {"indicator_code": "inspection", "score": "28", "reason": "督查发现台账齐全"}
    )
    assert saved.status_code == 302
    card = town.get(card_url).content.decode()
    assert "督查发现台账齐全" in card and "评分人 town_a" in card
    assert "三会一课等组织生活按期召开率" in card and "应召开" in card
    # Nor may the township score an organization of another township.
    assert town.get(f"/assessment/{assessment.pk}/org/TB01/").status_code == 404
    # Stale after the hand score: publishing asks for a recomputation first.
    refused = client.post(f"/assessment/{assessment.pk}/publish", follow=True)
    assert "请先重新计算" in refused.content.decode()
    computed = client.post(f"/assessment/{assessment.pk}/compute")
    assert "/jobs/" in computed["Location"]
    run_jobs()
    # The export has every organization and a column per indicator.
    export = client.get(f"/assessment/{assessment.pk}/export.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    ws = wb.worksheets[0]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header[:8] == [
        "组织编码",
        "党组织",
        "层级",
        "领域",
        "倒数名次",
        "同组组织数",
        "总分",
        "等次",
    ]
    assert ws.max_row - 1 == 5
    published = client.post(f"/assessment/{assessment.pk}/publish")
    notice = Notice.objects.get()
    assert published["Location"] == notice.get_absolute_url()
    assert Assessment.objects.get().status == Status.PUBLISHED
    # The branch now sees its own card, without a form.
    branch = login(county, "branch_a1")
    own = branch.get(card_url)
    assert own.status_code == 200 and "保存评分" not in own.content.decode()
    assert branch.get(f"/assessment/{assessment.pk}/org/TA02/").status_code == 404


def test_pages_refuse_those_who_may_not(county):
    scheme = services.create_scheme(
        county.users["county"],
        county.root,
        name="方案",
        period_kind="year",
        indicators=[{"code": "work", "name": "工作", "method": "hand", "weight": "100"}],
    )
    assessment = services.open_assessment(county.users["county"], scheme, "2026")
    services.compute(assessment)
    town = login(county, "town_a")
    assert town.get(f"/assessment/schemes/{scheme.pk}/").status_code == 404
    assert town.post(f"/assessment/schemes/{scheme.pk}/open", {"period": "2025"}).status_code == 404
    # The township sees the county's assessment over it, but may not publish it.
    assert town.get(f"/assessment/{assessment.pk}/").status_code == 200
    town.post(f"/assessment/{assessment.pk}/publish")
    assert Assessment.objects.get().status == Status.OPEN
    nobody = login(county, "nobody")
    assert nobody.get(f"/assessment/{assessment.pk}/").status_code == 404
