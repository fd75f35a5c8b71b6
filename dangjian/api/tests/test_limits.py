"""The same bounds everywhere: paging parameters past what a database takes are a 422 that
names the field, on every list route of the OpenAPI document."""

import pytest

pytestmark = pytest.mark.django_db


def paged_routes(client):
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        params = (ops.get("get") or {}).get("parameters", [])
        if any(p["name"] == "offset" for p in params):
            required = [p["name"] for p in params if p.get("required")]
            yield path.removeprefix("/api"), required


@pytest.mark.parametrize("offset", [2**63, 2**64 + 1, 10**30])
def test_an_offset_beyond_64_bits_is_refused_on_every_list(county, as_user, offset):
    api = as_user("county")
    routes = list(paged_routes(api))
    assert len(routes) >= 9
    for path, required in routes:
        path = path.replace("{code}", "T").replace("{assignment_id}", "1")
        response = api.get(path, {"offset": offset, **{name: "T" for name in required}})
        assert response.status_code == 422, (path, response.content)
        messages = {e["field"]: e["message"] for e in response.json()["detail"]}
        assert messages["offset"] == "起始位置不能大于1000000000", path


def test_the_largest_allowed_offset_and_limit_still_answer(county, as_user):
    api = as_user("county")
    response = api.get("/members/", {"offset": 10**9, "limit": 1000})
    assert response.status_code == 200
    assert response.json()["items"] == []
    response = api.get("/members/", {"limit": 1001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "每页条数不能大于1000"
