"""/api/weak/: a hand flag through to the county's decision, the same refusals as the
pages, and scoping (another subtree gets 404 and nothing changes)."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.weakorgs.models import Flag, FlagStatus

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/weak{path}", params or {}, headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/weak{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def test_a_flag_through_the_api(county):
    town = Api(county.users["town_a"])
    missing = town.post(
        "/flags", {"org": "TA01", "year": YEAR, "criterion": "team_divided", "reason": " "}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["field"] == "reason"
    created = town.post(
        "/flags", {"org": "TA01", "year": YEAR, "criterion": "team_divided", "reason": "两委不和"}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["findings"][0]["evidence"] == "两委不和"
    fid = body["id"]
    assert town.post(f"/flags/{fid}/confirm", {}).status_code == 403
    county_api = Api(county.users["county"])
    assert county_api.post(f"/flags/{fid}/dismiss", {"reason": ""}).status_code == 422
    confirmed = county_api.post(
        f"/flags/{fid}/confirm",
        {"note": "属实", "guarantors": [{"level": "county", "name": "王县长", "post": "副县长"}]},
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    listed = county_api.get("/list/T", {"year": YEAR}).json()
    assert listed["count"] == 1 and listed["flags"][0]["organization"] == "TA01"
    assert town.get("/flags").json()["items"][0]["id"] == fid
    assert town.post("/detect/T", {"year": YEAR}).status_code == 404  # the county is not TA's
    assert town.post("/detect/TA", {"year": YEAR}).status_code == 403  # only the county
    job = county_api.post("/detect/T", {"year": YEAR})
    assert job.status_code == 201 and job.json()["url"].startswith("/jobs/")


def test_another_subtree_gets_404_and_nothing_changes(county):
    Api(county.users["town_b"]).post(
        "/flags", {"org": "TB01", "year": YEAR, "criterion": "vote_buying", "reason": "乙村拉票"}
    )
    flag = Flag.objects.get()
    for name in ("town_a", "branch_a1"):
        api = Api(county.users[name])
        for method, path, body in (
            ("get", f"/flags/{flag.pk}", None),
            ("post", f"/flags/{flag.pk}/confirm", {}),
            ("post", f"/flags/{flag.pk}/dismiss", {"reason": "x"}),
            ("post", "/flags", {"org": "TB01", "year": YEAR, "criterion": "other", "reason": "x"}),
            ("get", "/list/TB", None),
            ("post", "/detect/TB", {"year": YEAR}),
        ):
            response = api.get(path) if method == "get" else api.post(path, body)
            assert response.status_code in (404, 422), (name, path, response.content)
            assert "乙村拉票" not in response.content.decode()
        assert api.get("/flags").json()["items"] == []
    flag.refresh_from_db()
    assert flag.status == FlagStatus.PENDING and flag.findings.count() == 1
