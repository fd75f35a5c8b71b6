"""One read path per record: for every role of the test county, the HTML page, the API list
and the .xlsx export show the same organizations, members, election rows and units."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts import tokens
from dangjian.health import services as health
from dangjian.orgs.selectors import home_organization

pytestmark = pytest.mark.django_db

ROLES = ("county", "town_a", "town_b", "branch_a1", "branch_b1", "member_a1", "nobody")


def _client(county, role):
    client = Client()
    client.force_login(county.users[role])
    return client


def _api(county, role, path, **params):
    _token, raw = tokens.create(county.users[role])
    response = Client().get(
        f"/api{path}", {"limit": 1000, **params}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200, response.content
    return response.json()["items"]


def _xlsx_column(response, header_name):
    if response.status_code == 404:
        return set()
    assert response.status_code == 200, response.status_code
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    i = list(rows[0]).index(header_name)
    return {r[i] for r in rows[1:] if r[i] is not None}


def _page_orgs(client, user):
    """The organizations the tree browser shows: the home organization and, unfolding every
    node, the children fragments below it."""
    home = home_organization(user)
    if home is None:
        return set()
    assert client.get(reverse("orgs:detail", args=[home.code])).status_code == 200
    seen, todo = {home.code}, [home.code]
    while todo:
        response = client.get(reverse("orgs:children", args=[todo.pop()]))
        assert response.status_code == 200
        for node in response.context["nodes"]:
            if node.code not in seen:
                seen.add(node.code)
                todo.append(node.code)
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_organizations_page_api_and_export_agree(county, role):
    client = _client(county, role)
    page = _page_orgs(client, county.users[role])
    api = {o["code"] for o in _api(county, role, "/orgs/")}
    export = _xlsx_column(client.get(reverse("reports:export", args=["organizations"])), "组织编码")
    assert page == api == export
    if role == "county":
        assert len(page) == 7


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("params", [{}, {"org": "TA"}, {"status": "full"}, {"q": "党员"}])
def test_members_page_api_and_export_agree(county, role, params):
    client = _client(county, role)
    response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    page = {m.name for m in response.context["members"]}
    api = {m["name"] for m in _api(county, role, "/members/", **params)}
    export = _xlsx_column(client.get(reverse("reports:export", args=["members"]), params), "姓名")
    assert page == api == export
    if role == "county" and not params:
        assert len(page) == 9


def _units(county):
    actor = county.users["county"]
    for area, name in ((county.town_a, "甲镇企业"), (county.village_a1, "甲一村合作社")):
        health.save_unit(
            area,
            name=name,
            sector="private_enterprise",
            employees=10,
            full_members=0,
            coverage="none",
            instructor="",
            actor=actor,
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", ["T", "TA", "TA01"])
def test_health_pages_and_exports_agree(county, role, code):
    _units(county)
    client = _client(county, role)
    response = client.get(reverse("health:elections", args=[code]), {"status": "all"})
    if response.status_code == 404:
        assert client.get(reverse("health:elections_export", args=[code])).status_code == 404
        assert client.get(reverse("health:coverage_export", args=[code])).status_code == 404
        return
    page = {r["organization"].code for r in response.context["rows"]}
    export = _xlsx_column(
        client.get(reverse("health:elections_export", args=[code]), {"status": "all"}), "组织编码"
    )
    assert page == export
    response = client.get(reverse("health:coverage", args=[code]))
    page = {u.name for u in response.context["units"]}
    export = _xlsx_column(client.get(reverse("health:coverage_export", args=[code])), "单位名称")
    assert page == export
