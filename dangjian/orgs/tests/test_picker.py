"""The organization picker: names, pinyin initials and codes, only inside the user's subtree;
organization fields accept an exact name for a code."""

import pytest
from django import forms
from django.urls import reverse

from dangjian.orgs import selectors
from dangjian.orgs import services as org_services
from dangjian.orgs.forms import MoveForm
from dangjian.orgs.models import Organization
from dangjian.orgs.pinyin import name_initials

pytestmark = pytest.mark.django_db


def test_initials_of_chinese_names_letters_and_digits():
    assert name_initials("张弓镇党委") == "zgzdw"
    assert name_initials("甲一村第2党小组") == "jycd2dxz"
    assert name_initials("ABC公司党支部") == "abcgsdzb"


@pytest.fixture
def zhanggong(county):
    return org_services.create_child(
        county.town_a, code="TA09", name="张弓镇党委", kind="branch", level="village"
    )


def test_initials_are_stored_and_follow_a_rename(county, zhanggong):
    assert Organization.objects.get(code="TA09").name_initials == "zgzdw"
    org_services.update(zhanggong, actor=county.users["county"], name="柳河镇党委")
    assert Organization.objects.get(code="TA09").name_initials == "lhzdw"


def test_bulk_created_organizations_get_initials(county):
    org_services.bulk_create(
        [{"parent": county.town_b, "code": "TB09", "name": "张弓镇党委", "kind": "branch"}],
        actor=county.users["county"],
    )
    assert Organization.objects.get(code="TB09").name_initials == "zgzdw"


def pick(client, county, user, q):
    client.force_login(county.users[user])
    response = client.get(reverse("orgs:pick"), {"q": q})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_picker_finds_by_name_initials_and_code(client, county, zhanggong):
    assert pick(client, county, "town_a", "张弓") == ["张弓镇党委"]
    assert pick(client, county, "town_a", "zgz") == ["张弓镇党委"]
    assert pick(client, county, "town_a", "ZGZ") == ["张弓镇党委"]
    assert pick(client, county, "town_a", "ta09") == ["张弓镇党委"]
    # A code prefix lists the subtree's codes, the exact one first.
    assert pick(client, county, "town_a", "TA0")[:3] == [
        "甲一村党支部",
        "甲二村党支部",
        "张弓镇党委",
    ]


def test_picker_never_suggests_outside_the_subtree(client, county, zhanggong):
    assert pick(client, county, "town_b", "张弓") == []
    assert pick(client, county, "town_b", "zgz") == []
    assert pick(client, county, "town_b", "TA") == []
    assert pick(client, county, "town_b", "镇党委") == ["乙镇党委"]
    names = pick(client, county, "branch_a1", "甲")
    assert "甲一村党支部" in names and "甲镇党委" not in names and "甲二村党支部" not in names


def test_picker_leaves_out_dissolved_and_caps_results(county, zhanggong):
    org_services.dissolve(zhanggong, reason="合并", actor=county.users["county"])
    assert selectors.pick(county.users["county"], "zgz") == []
    assert len(selectors.pick(county.users["county"], "T", limit=3)) == 3


def test_picker_needs_login(client):
    response = client.get(reverse("orgs:pick"), {"q": "zgz"})
    assert response.status_code == 302


def test_org_field_takes_an_exact_name_or_a_code(county, zhanggong):
    form = MoveForm({"parent": "张弓镇党委"}, user=county.users["county"])
    assert form.is_valid()
    assert form.cleaned_data["parent"] == "TA09"
    form = MoveForm({"parent": " ta09 "}, user=county.users["county"])
    assert form.is_valid()
    assert form.cleaned_data["parent"] == "TA09"


def test_org_field_resolves_only_within_the_users_subtree(county, zhanggong):
    """A name or code outside the subtree reads as one that does not exist, and the message
    repeats only what was typed (never the code a name stands for)."""
    user = county.users["town_b"]
    errors = {}
    for typed in ("张弓镇党委", "TA09", "无此组织", "TZ99"):
        form = MoveForm({"parent": typed}, user=user)
        assert not form.is_valid()
        errors[typed] = form.errors["parent"]
    assert errors["张弓镇党委"] == ["党组织“张弓镇党委”不存在，或不在您的管辖范围内"]
    assert errors["TA09"] == ["党组织“TA09”不存在，或不在您的管辖范围内"]
    assert errors["无此组织"] == ["党组织“无此组织”不存在，或不在您的管辖范围内"]
    assert errors["TZ99"] == ["党组织“TZ99”不存在，或不在您的管辖范围内"]
    form = MoveForm({"parent": "乙一村党支部"}, user=user)
    assert form.is_valid() and form.cleaned_data["parent"] == "TB01"


def test_org_field_without_the_user_is_a_programming_error(county, zhanggong):
    from django.core.exceptions import ImproperlyConfigured

    from dangjian.core.forms import OrgCodeField

    class Unscoped(forms.Form):
        org = OrgCodeField()

    with pytest.raises(ImproperlyConfigured):
        Unscoped({"org": "TA09"}).is_valid()


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        ("orgs:move", "parent", {}),
        ("members:move", "organization", {"moved_on": "2026-01-05"}),
        ("health:unit_new", "covering_organization", {"sector": "nonpublic", "coverage": "own"}),
    ],
)
def test_pages_refuse_an_outside_name_without_naming_its_code(
    client, county, zhanggong, url, field, data
):
    client.force_login(county.users["town_b"])
    if url == "orgs:move":
        path = reverse(url, kwargs={"code": "TB01"})
    elif url == "members:move":
        path = reverse(url, kwargs={"pk": county.members["TB01"][0].pk})
    else:
        path = reverse(url, kwargs={"code": "TB"})
    response = client.post(path, {field: "张弓镇党委", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert "党组织“张弓镇党委”不存在，或不在您的管辖范围内" in html
    assert "TA09" not in html


def test_org_field_renders_the_picker_input(county):
    html = str(MoveForm(user=county.users["county"])["parent"])
    assert 'data-org-picker="/orgs/pick/"' in html
    assert 'autocomplete="off"' in html
