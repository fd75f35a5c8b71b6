"""The training API: the county records a session with attendance, lists it, reads a
member's hours; bad input names the field; another subtree gets 404."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.create(user)[1]}"}

    def get(self, path):
        return self.client.get(f"/api/training{path}", headers=self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/training{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


def test_record_list_and_hours():
    county = build_county()
    api = Api(county.users["county"])
    member = county.members["TA01"][0]
    today = timezone.localdate().isoformat()
    body = {
        "topic": "学习党章",
        "trainer": "讲师",
        "kind": "class",
        "level": "county",
        "starts_on": today,
        "hours": "8",
        "venue": "县委党校",
        "attendees": [member.pk],
    }
    created = api.post("/orgs/TA01/sessions", body)
    assert created.status_code == 201, created.content
    assert created.json()["attendance_count"] == 1
    listed = api.get("/orgs/T/sessions").json()
    assert [s["topic"] for s in listed["items"]] == ["学习党章"]
    hours = api.get(f"/members/{member.pk}/hours").json()
    assert (hours["hours"], hours["required"], hours["met"]) == ("8.0", 32, False)
    bad = api.post("/orgs/TA01/sessions", {**body, "hours": "9", "topic": " "})
    assert bad.status_code == 422
    fields = {d["field"] for d in bad.json()["detail"]}
    assert {"hours", "topic"} <= fields, bad.json()
    other = Api(county.users["branch_b1"])
    assert other.get("/orgs/TA01/sessions").status_code == 404
    assert other.get(f"/members/{member.pk}/hours").status_code == 404
