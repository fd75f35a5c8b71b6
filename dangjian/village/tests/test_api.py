"""/api/village/: seed 004's rule set and read back as its schedule (fen), a venue and its
works, a sheet prepared, a line added, submitted and confirmed by the township; bad input
named by field; another subtree gets 404."""

import json

import pytest
from django.test import Client

from dangjian.accounts import tokens

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path):
        return self.client.get(f"/api/village{path}", headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/village{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


RULE = {
    "year": 2026,
    "income_year": 2025,
    "income": "8437.50",
    "multiple": "1.92",
    "standard_name": "省市标准",
    "posts": [
        {"post": "secretary", "ratio": "1.00", "standard_monthly": "1262"},
        {"post": "director", "ratio": "0.80", "standard_monthly": "1010"},
        {"post": "member", "ratio": "0.60", "standard_monthly": "757"},
    ],
}


def test_rule_venue_and_sheet_through_the_api(county):
    admin, town, other = (Api(county.users[u]) for u in ("county", "town_a", "branch_b1"))
    bad = admin.post("/pay-rules/T", {**RULE, "income": "八千"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "income"
    r = admin.post("/pay-rules/T", RULE)
    assert r.status_code == 200, r.content
    assert [(p["monthly_fen"], p["above_standard_fen"]) for p in r.json()["schedule"]] == [
        (135_000, 8_800),
        (108_000, 7_000),
        (81_000, 5_300),
    ]
    assert admin.get("/pay-rules/TA?year=2026").status_code == 404
    assert town.post("/pay-rules/T", RULE).status_code == 404  # the county is above the town

    r = town.post(
        "/venues/TA01", {"address": "甲一村村部", "building_area": "320", "has_site": True}
    )
    assert r.status_code == 200 and r.json()["five_haves"] is False
    r = town.post(
        "/venues/TA01/works", {"kind": "new", "year": 2025, "cost": "200000", "funding": "county"}
    )
    assert r.status_code == 201 and r.json()["cost_fen"] == 20_000_000
    assert other.get("/venues/TA01").status_code == 404

    r = town.post("/sheets/TA01", {"year": 2026})
    assert r.status_code == 201, r.content
    sheet = r.json()["id"]
    r = town.post(f"/pay-sheets/{sheet}/lines", {"name": "村委主任", "post": "director"})
    assert r.json()["total_fen"] == 108_000 * 12
    assert other.get(f"/pay-sheets/{sheet}").status_code == 404
    assert Api(county.users["member_a1"]).get(f"/pay-sheets/{sheet}").status_code == 404
    assert town.post(f"/pay-sheets/{sheet}/submit").json()["status"] == "submitted"
    assert town.post(f"/pay-sheets/{sheet}/confirm").json()["status"] == "confirmed"
    figures = admin.get("/figures/T?year=2026").json()
    assert figures["cadre_pay_fen"] == 108_000 * 12 and figures["venues"] == 1
