"""/api/assessment/: the ranking, a score with its reasons, hand scores with the pages'
refusals, and nothing outside the caller's subtree."""

import json

import pytest
from django.test import Client

from dangjian.accounts import tokens
from dangjian.assessment import services
from dangjian.assessment.models import HandScore

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/assessment{path}", params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/assessment{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def assessment(county):
    scheme = services.create_scheme(
        county.users["county"],
        county.root,
        name="年度考核方案",
        period_kind="year",
        indicators=[
            {
                "code": "reports",
                "name": "晒账单按时报送",
                "method": "computed",
                "source": "tasks.report_backs_on_time",
                "weight": "60",
            },
            {"code": "inspection", "name": "督查评分", "method": "hand", "weight": "40"},
        ],
    )
    a = services.open_assessment(county.users["county"], scheme, "2026")
    services.compute(a)
    return a


def test_hand_score_ranking_and_reasons_through_the_api(county, assessment):
    api = Api(county.users["town_a"])
    bad = api.post(
        "/hand-scores",
        {"org": "TA01", "period": "2026", "indicator_code": "reports", "score": 50, "reason": ""},
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["detail"]}
    assert fields == {"indicator_code", "reason"}
    ok = api.post(
        "/hand-scores",
        {
            "org": "TA01",
            "period": "2026",
            "indicator_code": "inspection",
            "score": "35.5",
            "reason": "督查：台账规范",
            "source": "inspection:3",
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["score"] in ("35.5", "35.50", 35.5)
    services.compute(assessment)
    ranking = api.get(f"/{assessment.pk}/ranking", {"level": "village"}).json()
    assert [r["organization"] for r in ranking["items"]] == ["TA02", "TA01"]
    assert ranking["items"][0]["rank_from_bottom"] == 1
    score = api.get(f"/{assessment.pk}/scores/TA01").json()
    assert score["total"] in ("95.5", "95.50", 95.5)  # no report-backs due: full 60
    reports, inspection = score["reasons"]
    assert reports["inputs"] == {"on_time": 0, "due": 0} and reports["value"] is None
    assert "无数据时得满分" in reports["formula"]
    assert inspection["reason"] == "督查：台账规范" and inspection["by"] == "town_a"
    assert "按组织编码" in score["tie_rule"]
    listed = api.get("/").json()["items"]
    assert [a["period"] for a in listed] == ["2026"]


def test_another_subtree_gets_404_and_nothing_is_written(county, assessment):
    api = Api(county.users["town_b"])
    assert api.get(f"/{assessment.pk}/scores/TA01").status_code == 404
    ranking = api.get(f"/{assessment.pk}/ranking").json()["items"]
    assert {r["organization"] for r in ranking} == {"TB01"}
    assert api.get(f"/{assessment.pk}/ranking", {"org": "TA"}).status_code in (404, 422)
    refused = api.post(
        "/hand-scores",
        {
            "org": "TA01",
            "period": "2026",
            "indicator_code": "inspection",
            "score": 1,
            "reason": "x",
        },
    )
    assert refused.status_code in (404, 422)
    assert "甲一村" not in refused.content.decode()
    # A branch may not score itself; a member sees nothing.
    own = Api(county.users["branch_a1"]).post(
        "/hand-scores",
        {
            "org": "TA01",
            "period": "2026",
            "indicator_code": "inspection",
            "score": 1,
            "reason": "x",
        },
    )
    assert own.status_code == 403
    assert not HandScore.objects.exists()
    assert Api(county.users["member_a1"]).get(f"/{assessment.pk}/ranking").status_code == 404
