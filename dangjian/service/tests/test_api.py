"""/api/service/: a visit with its concerns through the ledger to solved, the same refusals
as the pages (no outcome, bad input named by field), and every route scoped to the subtree."""

import datetime
import json

import pytest
from django.test import Client

from dangjian.accounts import tokens
from dangjian.service import services
from dangjian.service.models import Concern

pytestmark = pytest.mark.django_db
D = datetime.date


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/service{path}", params or {}, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/service{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


VISIT = {
    "org": "TA01",
    "visitor": "王书记",
    "household": "李大爷家",
    "visited_on": "2026-11-02",
    "findings": "房屋漏雨",
    "concerns": [
        {"category": "practical", "content": "屋顶修缮", "owner": "村委会", "due_on": "2026-11-30"},
        {"category": "dispute", "content": "宅基地纠纷", "owner": "调解员", "due_on": "2026-11-20"},
    ],
}


def test_a_visit_and_its_concerns_through_the_api(county):
    api = Api(county.users["branch_a1"])
    created = api.post("/visits", VISIT)
    assert created.status_code == 201, created.content
    assert [c["category"] for c in created.json()["concerns"]] == ["practical", "dispute"]
    ledger = api.get("/concerns", {"category": "dispute", "status": "open"}).json()
    assert [c["content"] for c in ledger["items"]] == ["宅基地纠纷"]
    cid = ledger["items"][0]["id"]
    refused = api.post(f"/concerns/{cid}/close", {"outcome": " "})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "outcome"
    assert (
        api.post(f"/concerns/{cid}/follow", {"text": "上门调解"}).json()["status"] == "in_progress"
    )
    done = api.post(f"/concerns/{cid}/close", {"outcome": "双方达成协议"})
    assert done.status_code == 200 and done.json()["status"] == "solved"


def test_bad_input_is_named_by_field_and_writes_nothing(county):
    api = Api(county.users["branch_a1"])
    bad = {**VISIT, "household": "", "concerns": [{**VISIT["concerns"][0], "owner": ""}]}
    response = api.post("/visits", bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"household", "concerns.1.owner"} <= fields, response.json()
    assert Concern.objects.count() == 0
    p = api.post(
        "/pledges",
        {"org": "TA01", "content": "承诺", "beneficiary": "群众", "due_on": "2026-12-01"},
    )
    assert p.status_code == 201
    refused = api.post(f"/pledges/{p.json()['id']}/close", {"done": True, "evidence": ""})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "evidence"


def test_every_route_is_scoped_to_the_subtree(county):
    user = county.users["branch_a1"]
    member = county.members["TA01"][0]
    pledge = services.make_pledge(
        user, county.village_a1, content="甲村承诺", beneficiary="群众", due_on=D(2026, 12, 1)
    )
    visit = services.record_visit(
        user,
        county.village_a1,
        visitor="王",
        household="甲村李家",
        visited_on=D(2026, 11, 1),
        findings="情况",
        concerns=[
            {"category": "other", "content": "甲村民情", "owner": "村委", "due_on": D(2026, 12, 1)}
        ],
        today=D(2026, 12, 1),
    )
    concern = visit.concerns.get()
    proxy = services.open_proxy(
        user,
        county.village_a1,
        resident="甲村赵奶奶",
        group="elderly",
        matter="甲村代办",
        handler="会计",
    )
    suggestion = services.submit_suggestion(
        county.users["member_a1"], member, title="甲村建议", content="内容"
    )
    outsider = Api(county.users["branch_b1"])
    for path in ("/pledges", "/visits", "/concerns", "/proxy", "/suggestions", "/teams"):
        text = outsider.get(path).content.decode()
        assert not any(
            s in text for s in ("甲村承诺", "甲村李家", "甲村民情", "甲村赵奶奶", "甲村建议")
        ), path
    for method, path, body in (
        ("get", f"/concerns/{concern.pk}", None),
        ("post", f"/concerns/{concern.pk}/follow", {"text": "x"}),
        ("post", f"/concerns/{concern.pk}/close", {"outcome": "x"}),
        ("post", f"/pledges/{pledge.pk}/close", {"done": True, "evidence": "x"}),
        ("post", f"/proxy/{proxy.pk}/steps", {"text": "x"}),
        ("post", f"/suggestions/{suggestion.pk}/reply", {"reply": "x"}),
    ):
        response = outsider.get(path) if method == "get" else outsider.post(path, body)
        assert response.status_code == 404, (path, response.content)
    for path, body in (
        ("/pledges", {"org": "TA01", "content": "x", "beneficiary": "y", "due_on": "2026-12-01"}),
        ("/visits", VISIT),
    ):
        response = outsider.post(path, body)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == "org"
    # A member sees no resident's data, but their branch's pledges and their own suggestion.
    mine = Api(county.users["member_a1"])
    assert mine.get("/concerns").json()["items"] == []
    assert mine.get("/proxy").json()["items"] == []
    assert [p["content"] for p in mine.get("/pledges").json()["items"]] == ["甲村承诺"]
    assert [s["title"] for s in mine.get("/suggestions").json()["items"]] == ["甲村建议"]
    assert outsider.post("/posts/999999/claim").status_code == 404
    assert (
        outsider.post(
            "/claims/999999/records",
            {"served_on": "2026-12-01", "hours": 1, "people_served": 1, "content": "x"},
        ).status_code
        == 404
    )
