"""繁體 converts the interface, not the records (issue 11, section 2.3): people's names and
addresses are shown as stored, the search box keeps what was typed, and a search in either
script finds both (张 / 張)."""

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.testing import add_member

pytestmark = pytest.mark.django_db


def traditional(county, user="county"):
    client = Client()
    client.force_login(county.users[user])
    client.post(reverse("set_language"), {"language": "zh-hant"})
    return client


def test_names_are_shown_as_stored_and_the_interface_is_converted(county):
    member = add_member(county.village_a1, name="余淑菊")
    client = traditional(county)
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "余淑菊" in html and "餘淑菊" not in html
    assert "黨員" in html  # the interface still reads in traditional characters
    html = client.get(reverse("members:list") + "?q=范").content.decode()
    assert 'value="范"' in html and 'value="範"' not in html


def test_a_search_in_either_script_finds_both(county):
    add_member(county.village_a1, name="张三")
    add_member(county.village_a1, name="張四")
    client = traditional(county)
    for term in ("张", "張"):
        html = client.get(reverse("members:list") + f"?q={term}").content.decode()
        assert "张三" in html and "張四" in html, term


def test_organizations_are_found_in_either_script(county):
    client = traditional(county)
    names = [o["name"] for o in client.get("/api/orgs/", {"q": "甲鎮"}).json()["items"]]
    assert names == ["甲镇党委"]
