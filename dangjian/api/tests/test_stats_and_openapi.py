import json
from io import StringIO

from django.core.management import call_command
from django.test import Client

from .routes import PUBLISHED


def command_json(*args):
    out = StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_stats_is_the_same_object_as_the_command(county, as_user):
    api = as_user("town_a")
    assert api.get("/stats/TA").json() == command_json("TA")
    assert api.get("/stats/TA01", {"period": "2026-Q1"}).json() == command_json(
        "TA01", "--period", "2026-Q1"
    )
    assert as_user("county").get("/stats/T").json() == command_json()


def test_stats_scope_and_bad_period(county, as_user):
    api = as_user("branch_b1")
    assert api.get("/stats/TB01").status_code == 200
    for code in ("TA01", "TA", "T"):
        response = api.get(f"/stats/{code}")
        assert response.status_code == 404
        assert "甲" not in response.content.decode()
    response = api.get("/stats/TB01", {"period": "2026-13"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "period" and "2026-Q1" in error["message"]


def test_openapi_document_lists_every_route_with_its_schemas():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    published = {
        path: {m for m in ops if m in ("get", "post", "patch", "put", "delete")}
        for path, ops in doc["paths"].items()
    }
    assert published == PUBLISHED
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["security"], (path, method)
            assert "200" in op["responses"] or "201" in op["responses"]
            for status in ("401", "404", "422"):
                assert status in op["responses"], (path, method, status)
            if method in ("post", "patch"):
                body = op["requestBody"]["content"]["application/json"]["schema"]
                assert "$ref" in body, (path, method)
    schemas = doc["components"]["schemas"]
    assert {
        "OrgOut",
        "OrgDetailOut",
        "MemberOut",
        "MemberDetailOut",
        "StatsOut",
        "MemberCreateIn",
        "ValidationErrorOut",
    } <= set(schemas)
    assert schemas["MemberOut"]["properties"]["status"]["enum"] == ["probationary", "full"]


def test_docs_page_loads():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"/api/openapi.json" in response.content
