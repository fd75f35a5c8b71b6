"""API errors follow the request's language (Accept-Language here); Chinese by default."""

import pytest

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def english(api: ApiClient) -> ApiClient:
    api.headers = {**api.headers, "Accept-Language": "en"}
    return api


def errors_of(response):
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def test_not_found_and_unauthorized_in_english(as_user, anonymous):
    response = english(as_user("town_a")).get("/orgs/NOPE")
    assert response.status_code == 404
    assert response.json() == {"detail": "Record not found, or outside your jurisdiction"}
    response = english(anonymous).get("/orgs/T")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Log in, or send a valid API token")
    assert as_user("town_a").get("/orgs/NOPE").json() == {
        "detail": "未找到该记录，或不在您的管辖范围内"
    }


def test_malformed_member_in_english(as_user):
    # No member_body(): it draws from dangjian.testing's sequence, which other tests'
    # members depend on.
    body = {"tags": ["双强", 7]}
    response = english(as_user("town_a")).post("/members/", body)
    assert response.status_code == 422
    errors = errors_of(response)
    assert errors["name"] == "Required field “Name” is missing"
    assert errors["tags.1"] == "Tags item 2 must be text"
    chinese = errors_of(as_user("town_a").post("/members/", body))
    assert chinese["name"] == "缺少必填字段“姓名”"
    assert chinese["tags.1"] == "标签第2项应为文本"


def test_bad_period_in_english(as_user):
    response = english(as_user("county")).get("/stats/T", {"period": "2026-13"})
    assert response.status_code == 422
    assert errors_of(response)["period"].startswith("Unrecognized period “2026-13”")
