"""The API sees exactly the pages' subtree: everything outside it is a 404 and never its data."""

import pytest

from dangjian.members.selectors import visible_members

from .routes import member_body, routes
from .snapshots import database_state


def secrets_of(county, code):
    """Strings that would betray the branch's records if they appeared in an answer."""
    org = {"TA01": county.village_a1, "TB01": county.village_b1}[code]
    values = [org.name]
    for member in county.members[code]:
        values += [member.name, member.id_number, member.id_number[-4:] + '"', member.phone]
    return values


def test_another_subtree_gets_404_and_no_data_on_every_route(county, as_user):
    api = as_user("branch_b1")
    target = county.members["TA01"][1]
    before = database_state()
    for method, path, body in routes("TA01", target.pk):
        response = api.call(method, path, body)
        text = response.content.decode()
        for secret in secrets_of(county, "TA01"):
            assert secret not in text, (method, path, secret)
        if path in ("/orgs/", "/members/"):
            if method == "get":
                assert response.status_code == 200
            else:  # POST /members/ naming TA01: the code reads as unknown
                assert response.status_code == 422, text
                assert response.json()["detail"][0]["field"] == "organization"
            continue
        assert response.status_code == 404, (method, path, text)
        assert response.json() == {"detail": "未找到该记录，或不在您的管辖范围内"}
    assert database_state() == before


def test_a_missing_record_and_a_hidden_one_read_the_same(county, as_user):
    api = as_user("branch_b1")
    hidden = api.get(f"/members/{county.members['TA01'][0].pk}")
    missing = api.get("/members/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api.get("/orgs/TA01").json() == api.get("/orgs/NOSUCH").json()


def test_branch_secretary_search_never_returns_another_branch(county, as_user):
    api = as_user("branch_a1")
    own = {m.pk for m in county.members["TA01"]}
    for params in (
        {},
        {"q": "党员"},
        {"org": "TB01"},
        {"org": "T"},
        {"include_removed": "true"},
        {"status": "full", "limit": 1000},
    ):
        response = api.get("/members/", params)
        assert response.status_code == 200
        ids = {item["id"] for item in response.json()["items"]}
        assert ids <= own, params
    assert api.get("/members/", {"org": "TB01"}).json() == {"items": [], "count": 0}
    # Numbers are no search key for a branch secretary at all (they see them masked).
    for q in ("4114", county.members["TB01"][0].id_number):
        assert api.get("/members/", {"q": q}).status_code == 422


def test_branch_secretary_lists_only_its_own_subtree_of_organizations(county, as_user):
    codes = {o["code"] for o in as_user("branch_a1").get("/orgs/").json()["items"]}
    assert codes == {"TA01", "TA0101"}
    assert as_user("branch_a1").get("/orgs/", {"parent": "TA"}).json()["items"] == []
    assert as_user("branch_a1").get("/orgs/TA").status_code == 404


def test_township_sees_its_township_only(county, as_user):
    api = as_user("town_a")
    codes = {o["code"] for o in api.get("/orgs/").json()["items"]}
    assert codes == {"TA", "TA01", "TA02", "TA0101"}
    members = api.get("/members/").json()
    assert {m["organization"] for m in members["items"]} == {"TA01", "TA02"}
    assert members["count"] == 6


def test_a_plain_member_sees_only_themself_and_their_branch(county, as_user):
    api = as_user("member_a1")
    own = county.members["TA01"][0]
    items = api.get("/members/").json()["items"]
    assert [m["id"] for m in items] == [own.pk]
    assert api.get(f"/members/{county.members['TA01'][1].pk}").status_code == 404
    assert [o["code"] for o in api.get("/orgs/").json()["items"]] == ["TA01"]
    # Seeing the branch does not mean seeing into its groups.
    assert api.get("/orgs/TA0101").status_code == 404
    assert api.get("/orgs/TA01").json()["children"] == []


def test_a_user_without_roles_sees_nothing(county, as_user):
    api = as_user("nobody")
    assert api.get("/orgs/").json() == {"items": [], "count": 0}
    assert api.get("/members/").json() == {"items": [], "count": 0}
    assert api.get("/orgs/T").status_code == 404
    assert api.get("/stats/T").status_code == 404


@pytest.mark.parametrize(
    ("username", "method", "path", "body"),
    [
        # Renaming, moving and dissolving need a role strictly above the organization.
        ("branch_a1", "patch", "/orgs/TA01", {"name": "改名"}),
        ("branch_a1", "post", "/orgs/TA01/move", {"parent_code": "TA0101"}),
        ("branch_a1", "post", "/orgs/TA01/dissolve", {"reason": "合并"}),
        ("member_a1", "patch", "/orgs/TA01", {"name": "改名"}),
        # A plain member reads but does not write.
        (
            "member_a1",
            "post",
            "/orgs/TA01/children",
            {"code": "X1", "name": "新组", "kind": "group"},
        ),
        ("member_a1", "post", "/members/", None),
        ("member_a1", "patch", "OWN", {"posts": "自封岗位"}),
        ("member_a1", "post", "OWN/remove", {"reason": "想退出"}),
        ("member_a1", "post", "OWN/move", {"organization": "TA01"}),
    ],
)
def test_writes_without_permission_are_refused_and_change_nothing(
    county, as_user, username, method, path, body
):
    if path.startswith("OWN"):
        path = f"/members/{county.members['TA01'][0].pk}{path[3:]}"
    if body is None:
        body = member_body("TA01")
    api = as_user(username)
    before = database_state()
    response = api.call(method, path, body)
    assert response.status_code == 403, response.content
    assert response.json()["detail"].startswith("您无权")
    assert database_state() == before


def test_member_move_into_a_hidden_organization_is_an_unknown_code(county, as_user):
    member = county.members["TA01"][0]
    api = as_user("town_a")
    before = database_state()
    response = api.post(f"/members/{member.pk}/move", {"organization": "TB01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "organization"
    assert "乙一村" not in response.content.decode()
    assert database_state() == before


def test_visible_members_is_what_the_api_lists(county, as_user):
    for username in ("county", "town_a", "town_b", "branch_a1", "branch_b1", "member_a1"):
        items = as_user(username).get("/members/", {"limit": 1000}).json()["items"]
        expected = set(
            visible_members(county.users[username])
            .filter(removed_on__isnull=True)
            .values_list("pk", flat=True)
        )
        assert {m["id"] for m in items} == expected, username
