"""/api/governance/: a matter through its steps, the same refusals as the pages, scoping."""

import json

import pytest
from django.test import Client

from dangjian.accounts import tokens

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/governance{path}", params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/governance{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def test_a_matter_through_the_api(county):
    api = Api(county.users["branch_a1"])
    created = api.post(
        "/matters",
        {
            "org": "TA01",
            "title": "道路硬化",
            "category": "public_works",
            "content": "村内主街硬化800米",
        },
    )
    assert created.status_code == 201, created.content
    mid = created.json()["id"]
    assert (
        api.post(
            f"/matters/{mid}/steps", {"step": 1, "held_on": "2026-11-02", "text": "提议"}
        ).status_code
        == 201
    )
    skipped = api.post(
        f"/matters/{mid}/steps",
        {"step": 3, "held_on": "2026-11-03", "text": "x", "due": 30, "present": 25, "yes": 20},
    )
    assert skipped.status_code == 422
    assert skipped.json()["detail"][0]["message"].startswith("须先完成")
    ok = api.post(
        f"/matters/{mid}/steps",
        {"step": 2, "held_on": "2026-11-03", "text": "同意", "due": 7, "present": 5, "yes": 5},
    )
    assert ok.status_code == 201
    detail = api.get(f"/matters/{mid}").json()
    assert [s["step"] for s in detail["steps"]] == [1, 2] and detail["steps"][1]["passed"] is True
    assert [m["id"] for m in api.get("/matters", {"status": "open"}).json()["items"]] == [mid]
    other = Api(county.users["branch_b1"])
    assert other.get(f"/matters/{mid}").status_code == 404
    assert (
        other.post(
            f"/matters/{mid}/steps", {"step": 3, "held_on": "2026-11-04", "text": "x"}
        ).status_code
        == 404
    )


def test_office_hours_through_the_api(county):
    api = Api(county.users["branch_a1"])
    bad = api.post(
        "/office-hours",
        {
            "org": "TA01",
            "weekday": 0,
            "person_name": "王",
            "post": "书记",
            "work_phone": "电话",
            "starts_at": "12:00",
            "ends_at": "08:30",
        },
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"work_phone", "ends_at"}
    good = api.post(
        "/office-hours",
        {
            "org": "TA01",
            "weekday": 0,
            "person_name": "王",
            "post": "书记",
            "work_phone": "0370-7512345",
            "starts_at": "08:30",
            "ends_at": "12:00",
        },
    )
    assert good.status_code == 201
    roster = api.get("/office-hours/TA01").json()
    assert len(roster["entries"]) == 1
    assert roster["short_weekdays"] == ["周一", "周二", "周三", "周四", "周五"]
    assert Api(county.users["branch_b1"]).get("/office-hours/TA01").status_code == 404
