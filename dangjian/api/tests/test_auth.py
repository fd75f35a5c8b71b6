"""Who may call the API: bearer tokens, the logged-in session with CSRF, and nobody else."""

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from dangjian.accounts import tokens
from dangjian.accounts.models import ApiToken

from .conftest import ApiClient
from .routes import routes
from .snapshots import database_state


def all_routes(county):
    return routes("TA01", county.members["TA01"][1].pk)


def test_every_route_refuses_anonymous_callers_with_401(county, anonymous):
    before = database_state()
    for method, path, body in all_routes(county):
        response = anonymous.call(method, path, body)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"].startswith("需要登录")
        assert "甲一村" not in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize(
    "header",
    ["Bearer dj_not-a-real-token", "Bearer ", "Token abc", "Basic Y291bnR5OnBhc3MxMjM0NQ=="],
)
def test_wrong_credentials_get_401(county, header):
    response = Client().get("/api/orgs/T", headers={"Authorization": header})
    assert response.status_code == 401
    assert "中共测试县委" not in response.content.decode()


def test_a_token_acts_as_its_user(county):
    token, raw = tokens.create(county.users["town_a"], name="报表对接")
    api = ApiClient(raw)
    assert api.get("/orgs/TA").status_code == 200
    assert api.get("/orgs/TB").status_code == 404
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(county):
    token, raw = tokens.create(county.users["county"])
    assert raw.startswith("dj_") and len(raw) > 40
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(raw in v or raw[3:] in v for v in stored)


def test_a_revoked_token_stops_working_at_once(county):
    token, raw = tokens.create(county.users["county"])
    assert ApiClient(raw).get("/orgs/T").status_code == 200
    tokens.revoke(tokens.token_id(token))
    response = ApiClient(raw).get("/orgs/T")
    assert response.status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None  # kept, marked


def test_a_deactivated_user_token_stops_working(county):
    user = county.users["county"]
    _, raw = tokens.create(user)
    user.is_active = False
    user.save()
    assert ApiClient(raw).get("/orgs/T").status_code == 401


def test_revoking_needs_an_unambiguous_reference(county):
    user = county.users["county"]
    ApiToken.objects.create(user=user, key_hash="abcdef01" + "0" * 56)
    ApiToken.objects.create(user=user, key_hash="abcdef02" + "0" * 56)
    with pytest.raises(ValidationError, match="多个令牌"):
        tokens.revoke("abcdef")
    with pytest.raises(ValidationError, match="前6位"):
        tokens.revoke("abc")
    with pytest.raises(ValidationError, match="没有找到"):
        tokens.revoke("fedcba98")
    assert tokens.revoke("abcdef01").revoked_at is not None
    with pytest.raises(ValidationError, match="已于"):
        tokens.revoke("abcdef01")
    assert ApiToken.objects.get(key_hash__startswith="abcdef02").revoked_at is None


def test_token_command_prints_a_working_token_and_revokes_it(county):
    out, err = StringIO(), StringIO()
    call_command("token", "town_a", "--name", "统计对接", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("dj_") and "\n" not in raw
    assert "只显示这一次" in err.getvalue()
    token = ApiToken.objects.get(key_hash=tokens.hash_token(raw))
    assert token.name == "统计对接" and token.user == county.users["town_a"]
    assert ApiClient(raw).get("/orgs/TA").status_code == 200

    listing = StringIO()
    call_command("token", "town_a", "--list", stdout=listing)
    assert tokens.token_id(token) in listing.getvalue() and "有效" in listing.getvalue()

    out = StringIO()
    call_command("token", "--revoke", tokens.token_id(token), stdout=out)
    assert "已吊销" in out.getvalue()
    assert ApiClient(raw).get("/orgs/TA").status_code == 401


def test_token_command_revokes_by_the_whole_token_too(county):
    _, raw = tokens.create(county.users["county"])
    call_command("token", "--revoke", raw, stdout=StringIO())
    assert ApiClient(raw).get("/orgs/T").status_code == 401


def test_token_command_refuses_bad_arguments(county):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "ghost", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="请给出用户名"):
        call_command("token", stdout=StringIO())
    with pytest.raises(CommandError, match="没有找到"):
        call_command("token", "--revoke", "0123456789", stdout=StringIO())
    with pytest.raises(CommandError, match="60"):
        call_command("token", "county", "--name", "长" * 61, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_revoke_limited_to_a_user_leaves_other_users_tokens(county):
    other, raw = tokens.create(county.users["town_b"])
    with pytest.raises(CommandError, match="没有找到"):
        call_command("token", "town_a", "--revoke", tokens.token_id(other), stdout=StringIO())
    assert ApiClient(raw).get("/orgs/TB").status_code == 200


def test_token_creation_and_revocation_are_audited(county):
    from dangjian.core.models import AuditEvent

    token, _ = tokens.create(county.users["town_a"], name="x", actor=county.users["county"])
    tokens.revoke(tokens.token_id(token), actor=county.users["county"])
    actions = list(
        AuditEvent.objects.filter(target_type="accounts.apitoken").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "revoke"]


def test_the_logged_in_session_works_for_reading(county):
    client = Client()
    client.force_login(county.users["town_a"])
    assert client.get("/api/orgs/TA").status_code == 200
    assert client.get("/api/orgs/TB").status_code == 404


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    return client, secret


def test_session_writes_need_the_csrf_token(county):
    client, secret = csrf_client(county.users["town_a"])
    body = {"code": "TA03", "name": "甲三村党支部", "kind": "branch"}
    refused = client.post("/api/orgs/TA/children", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not county.town_a.children().filter(code="TA03").exists()
    accepted = client.post(
        "/api/orgs/TA/children",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert accepted.status_code == 201, accepted.content


def test_a_bearer_token_needs_no_csrf_even_beside_a_session_cookie(county):
    client, _ = csrf_client(county.users["town_b"])
    _, raw = tokens.create(county.users["town_a"])
    response = client.post(
        "/api/orgs/TA/children",
        {"code": "TA03", "name": "甲三村党支部", "kind": "branch"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content


def test_anonymous_write_is_401_not_a_csrf_error(county):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/orgs/TA/children", {}, content_type="application/json")
    assert response.status_code == 401
