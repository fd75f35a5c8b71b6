"""/api/supervision/: an item through progress and sign-off, a phone spot check's sample, a
finding to an item, the notice, orders and interviews; the same refusals as the pages and
a 404 with no data on every route for another township."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.api.tests.snapshots import database_state
from dangjian.supervision import services
from dangjian.supervision.models import RectificationItem, SupervisionOrder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/supervision{path}", params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/supervision{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def test_an_item_through_the_api(county):
    branch, town = Api(county.users["branch_a1"]), Api(county.users["town_a"])
    created = branch.post(
        "/items",
        {
            "org": "TA01",
            "problem": "党员活动室被挪用",
            "deadline": (TODAY + 20 * DAY).isoformat(),
            "measure_kind": "department_help",
            "guarantors": [{"level": "county", "name": "王部长", "post": "组织部长"}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "open" and body["guarantors"][0]["name"] == "王部长"
    iid = body["id"]
    early = town.post(f"/items/{iid}/sign-off", {"note": "验收"})
    assert early.status_code == 422
    assert early.json()["detail"][0]["message"] == "还没有整改进展和佐证材料，不能销号"
    assert branch.post(f"/items/{iid}/progress", {"text": "已收回"}).status_code == 201
    own = branch.post(f"/items/{iid}/sign-off", {})
    assert own.status_code == 422
    assert "不能由本组织自己销号" in own.json()["detail"][0]["message"]
    done = town.post(f"/items/{iid}/sign-off", {"note": "验收合格"})
    assert done.status_code == 200 and done.json()["status"] == "rectified"
    assert [i["id"] for i in town.get("/items", {"status": "rectified"}).json()["items"]] == [iid]
    assert town.get("/items", {"status": "overdue"}).json()["count"] == 0
    bad = branch.post("/items", {"org": "TA01", "problem": "x", "deadline": "2000-01-01"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "deadline"


def test_a_phone_check_finding_and_notice_through_the_api(county):
    county_api = Api(county.users["county"])
    plan = county_api.post(
        "/plans",
        {
            "org": "T",
            "kind": "phone_check",
            "title": "电话抽查",
            "starts_on": (TODAY - 10 * DAY).isoformat(),
            "ends_on": (TODAY + 10 * DAY).isoformat(),
            "sample_size": 2,
        },
    )
    assert plan.status_code == 201, plan.content
    record = county_api.post(
        f"/plans/{plan.json()['id']}/inspections",
        {"held_on": TODAY.isoformat(), "inspectors": "赵干事"},
    )
    assert record.status_code == 201, record.content
    rid = record.json()["id"]
    assert record.json()["sample_seed"] == f"{plan.json()['id']}:{TODAY.isoformat()}"
    sample = record.json()["sample"]
    assert len(sample) == 2 and county_api.get(f"/inspections/{rid}").json()["sample"] == sample
    finding = county_api.post(
        f"/inspections/{rid}/findings", {"org": "TB01", "problem": "无人接听", "score": 60}
    )
    assert finding.status_code == 201, finding.content
    assert RectificationItem.objects.get(pk=finding.json()["item_id"]).source == "finding"
    closed = county_api.post(f"/inspections/{rid}/close", {})
    assert closed.status_code == 200 and "〔" in closed.json()["number"]
    again = county_api.post(f"/inspections/{rid}/close", {})
    assert again.status_code == 422


def test_orders_and_interviews_through_the_api(county):
    item = services.create_rectification_item(
        None,
        organization=county.village_a1,
        problem="班子不团结",
        deadline=TODAY - DAY,
        today=TODAY - 30 * DAY,
    )
    services.issue_overdue_orders(TODAY)
    order = SupervisionOrder.objects.get()
    branch, town = Api(county.users["branch_a1"]), Api(county.users["town_a"])
    assert [o["id"] for o in branch.get("/orders", {"open_only": True}).json()["items"]] == [
        order.pk
    ]
    assert branch.post(f"/orders/{order.pk}/reply", {"reply": "已整改"}).status_code == 200
    interview = town.post(
        "/interviews",
        {
            "org": "TA01",
            "item_id": item.pk,
            "held_on": TODAY.isoformat(),
            "interviewers": "镇党委书记",
            "interviewees": "支部书记",
            "content": "不团结",
            "outcome": "限期整改",
        },
    )
    assert interview.status_code == 201, interview.content
    assert town.get("/interviews").json()["count"] == 1
    assert item.pk == interview.json()["item_id"]


def test_another_township_gets_404_and_no_data_on_every_route(county):
    item = services.create_rectification_item(
        None,
        organization=county.village_a1,
        problem="甲村秘密问题",
        deadline=TODAY - DAY,
        today=TODAY - 30 * DAY,
    )
    services.issue_overdue_orders(TODAY)
    plan = services.create_plan(
        None,
        county.town_a,
        kind="inspection",
        title="甲镇秘密计划",
        starts_on=TODAY - DAY,
        ends_on=TODAY + DAY,
    )
    record = services.record_inspection(None, plan, held_on=TODAY, inspectors="甲镇督查员")
    order = SupervisionOrder.objects.get()
    outsider = Api(county.users["town_b"])
    before = database_state()
    routes = [
        ("get", f"/items/{item.pk}", None),
        ("post", f"/items/{item.pk}/progress", {"text": "x"}),
        ("post", f"/items/{item.pk}/sign-off", {}),
        (
            "post",
            f"/plans/{plan.pk}/inspections",
            {"held_on": TODAY.isoformat(), "inspectors": "x"},
        ),
        ("get", f"/inspections/{record.pk}", None),
        ("post", f"/inspections/{record.pk}/findings", {"org": "TB01", "problem": "x"}),
        ("post", f"/inspections/{record.pk}/close", {}),
        ("post", f"/orders/{order.pk}/reply", {"reply": "x"}),
    ]
    for method, path, body in routes:
        response = getattr(outsider, method)(path, *(() if body is None else (body,)))
        assert response.status_code == 404, (method, path, response.content)
        assert "甲" not in response.content.decode()
    for path in ("/items", "/plans", "/inspections", "/orders", "/interviews"):
        response = outsider.get(path)
        assert response.json() == {"items": [], "count": 0}, path
    for path, body in (
        ("/items", {"org": "TA01", "problem": "x", "deadline": TODAY.isoformat()}),
        (
            "/plans",
            {
                "org": "TA",
                "kind": "inspection",
                "title": "x",
                "starts_on": TODAY.isoformat(),
                "ends_on": TODAY.isoformat(),
            },
        ),
        (
            "/interviews",
            {
                "org": "TA01",
                "held_on": TODAY.isoformat(),
                "interviewers": "x",
                "interviewees": "x",
                "content": "x",
                "outcome": "x",
            },
        ),
    ):
        response = outsider.post(path, body)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == "org"
    assert database_state() == before
