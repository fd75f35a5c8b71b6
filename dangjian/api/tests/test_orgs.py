"""/api/orgs/ for a user allowed to read and write there."""

from dangjian.core.models import AuditEvent
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups

from .snapshots import database_state


def codes(response):
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return [o["code"] for o in items]


def test_list_with_filters_and_pagination(county, as_user):
    api = as_user("county")
    assert codes(api.get("/orgs/")) == ["T", "TA", "TA01", "TA0101", "TA02", "TB", "TB01"]
    assert codes(api.get("/orgs/", {"parent": "TA"})) == ["TA01", "TA02"]
    assert codes(api.get("/orgs/", {"parent": "ta"})) == ["TA01", "TA02"]
    assert codes(api.get("/orgs/", {"kind": "group"})) == ["TA0101"]
    assert codes(api.get("/orgs/", {"level": "township"})) == ["TA", "TB"]
    assert codes(api.get("/orgs/", {"sector": "rural", "kind": "committee"})) == ["TA", "TB"]
    assert codes(api.get("/orgs/", {"q": "甲一"})) == ["TA01", "TA0101"]
    assert codes(api.get("/orgs/", {"q": "%"})) == []
    page = api.get("/orgs/", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 7 and [o["code"] for o in page["items"]] == ["TA01", "TA0101"]
    first = api.get("/orgs/", {"parent": "T"}).json()["items"][0]
    assert first["parent_code"] == "T" and first["kind_label"] == "基层党委"
    assert api.get("/orgs/").json()["items"][0]["parent_code"] is None


def test_list_filter_values_are_checked(county, as_user):
    response = as_user("county").get("/orgs/", {"kind": "castle", "limit": 0})
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert "组织类别" in fields["kind"] and "branch" in fields["kind"]
    assert fields["limit"] == "每页条数不能小于1"


def test_detail_carries_rolled_up_figures_and_children(county, as_user):
    body = as_user("town_a").get("/orgs/ta").json()
    assert body["code"] == "TA" and body["parent_code"] == "T"
    assert body["children"] == ["TA01", "TA02"]
    assert body["figures"] == rollups.figures(county.town_a)
    assert body["figures"]["members"] == 6
    assert body["figures"]["organizations"] == 4


def test_children(county, as_user):
    api = as_user("town_a")
    assert codes(api.get("/orgs/TA/children")) == ["TA01", "TA02"]
    assert codes(api.get("/orgs/TA01/children")) == ["TA0101"]
    assert codes(api.get("/orgs/TA0101/children")) == []


def test_create_child(county, as_user):
    response = as_user("town_a").post(
        "/orgs/TA/children",
        {
            "code": "ta03",
            "name": " 甲三村党支部 ",
            "kind": "branch",
            "sector": "rural",
            "level": "village",
            "founded_on": "2020-05-04",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "TA03" and body["name"] == "甲三村党支部"
    assert body["parent_code"] == "TA" and body["founded_on"] == "2020-05-04"
    org = Organization.objects.get(code="TA03")
    assert org.parent().code == "TA"
    assert rollups.figures(county.town_a)["organizations"] == 5
    assert AuditEvent.objects.filter(target_id=str(org.pk), action="create").exists()


def test_update(county, as_user):
    response = as_user("town_a").patch(
        "/orgs/TA01", {"name": "甲一社区党支部", "phone": "0370-1234567"}
    )
    assert response.status_code == 200, response.content
    county.village_a1.refresh_from_db()
    assert county.village_a1.name == "甲一社区党支部"
    assert county.village_a1.phone == "0370-1234567"
    assert county.village_a1.sector == "rural"  # untouched


def test_move(county, as_user):
    response = as_user("town_a").post("/orgs/TA0101/move", {"parent_code": "TA02"})
    assert response.status_code == 200, response.content
    assert response.json()["parent_code"] == "TA02"
    assert Organization.objects.get(code="TA0101").parent().code == "TA02"


def test_dissolve(county, as_user):
    response = as_user("town_a").post(
        "/orgs/TA0101/dissolve", {"dissolved_on": "2026-01-31", "reason": "并入支部"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["dissolved_on"] == "2026-01-31"
    api = as_user("town_a")
    assert codes(api.get("/orgs/TA01/children")) == []
    assert codes(api.get("/orgs/TA01/children", {"include_dissolved": True})) == ["TA0101"]
    assert "TA0101" not in codes(api.get("/orgs/"))
    assert "TA0101" in codes(api.get("/orgs/", {"include_dissolved": "true"}))
    assert api.get("/orgs/TA0101").json()["dissolved_reason"] == "并入支部"


def errors_of(response):
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def test_bad_bodies_get_422_naming_the_field_and_change_nothing(county, as_user):
    api, county_api = as_user("town_a"), as_user("county")
    before = database_state()
    cases = [
        (
            "post",
            "/orgs/TA/children",
            {"name": "无编码", "kind": "branch"},
            "code",
            "缺少必填字段“组织编码”",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": "x", "kind": "castle"},
            "kind",
            "组织类别的取值不在可选范围内",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "TB01", "name": "重号", "kind": "branch"},
            "code",
            "已被使用",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": "  ", "kind": "branch"},
            "name",
            "组织名称不能为空",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": 12, "kind": "branch"},
            "name",
            "组织名称应为文本",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": "x", "kind": "branch", "founded_on": "去年"},
            "founded_on",
            "成立日期应为日期",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": "x", "kind": "branch", "colour": "red"},
            "colour",
            "不是可接受的字段",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X", "name": "x" * 121, "kind": "branch"},
            "name",
            "不能超过120个字符",
        ),
        (
            "post",
            "/orgs/TA/children",
            {"code": "X\x00", "name": "x", "kind": "branch"},
            "code",
            "控制字符",
        ),
        (
            "post",
            "/orgs/TA01/children",
            {"code": "X", "name": "x", "kind": "committee"},
            "kind",
            "党支部下不能设",
        ),
        ("patch", "/orgs/TA01", {"address": None}, "address", "地址不能为空"),
        ("patch", "/orgs/TA01", {"kind": "group"}, "kind", "党小组"),
        ("post", "/orgs/TA01/move", {"parent_code": "NOPE"}, "parent_code", "不存在"),
        ("post", "/orgs/TA01/move", {}, "parent_code", "缺少必填字段“上级组织编码”"),
        ("post", "/orgs/TA01/dissolve", {"reason": "合并"}, "dissolved_on", "还有"),
        ("post", "/orgs/TA0101/dissolve", {}, "reason", "缺少必填字段“撤销原因”"),
        ("post", "/orgs/TA0101/dissolve", {"reason": " "}, "reason", "请填写撤销原因"),
    ]
    for method, path, body, field, message in cases:
        errors = errors_of(api.call(method, path, body))
        assert field in errors, (path, body, errors)
        assert message in errors[field], (path, body, errors)
    # Moving a township under its own branch would make a cycle.
    errors = errors_of(county_api.post("/orgs/TA/move", {"parent_code": "TA01"}))
    assert "parent_code" in errors
    assert database_state() == before


def test_a_body_that_is_not_json(county, as_user):
    api = as_user("town_a")
    response = api.client.post(
        "/api/orgs/TA/children",
        data="{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON"}
    response = api.client.post(
        "/api/orgs/TA/children",
        data="[1, 2]",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 422
