"""404, 403 and 500 pages are the site's own pages in the user's language (简/繁/English)
with a way back; no link or menu leads a user to a page they cannot open (issue 11,
defect 4)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

WORDS = {
    "zh-hans": ("页面不存在", "无权访问", "出错了", "回到首页"),
    "zh-hant": ("頁面不存在", "無權訪問", "出錯了", "回到首頁"),
    "en": ("Page not found", "Not allowed", "Something went wrong", "Home"),
}


def as_user(client, user, language):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language})


@pytest.mark.parametrize("language", WORDS)
def test_404_in_the_users_language_with_a_way_back(client, county, language):
    as_user(client, county.users["branch_a1"], language)
    referer = "http://testserver" + reverse("members:list")
    response = client.get(reverse("orgs:detail", args=["TB"]), HTTP_REFERER=referer)
    assert response.status_code == 404
    html = response.content.decode()
    not_found, _, _, home = WORDS[language]
    assert f'lang="{language}"' in html
    assert not_found in html and home in html
    assert 'class="site-header"' in html  # the site's frame, not bare text
    assert f'href="{referer}"' in html  # back to where the user came from


def test_no_way_back_to_another_site(client, county):
    as_user(client, county.users["branch_a1"], "zh-hans")
    response = client.get(reverse("orgs:detail", args=["TB"]), HTTP_REFERER="https://evil.example/")
    assert response.status_code == 404
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("language", WORDS)
def test_403_in_the_users_language(client, county, language):
    as_user(client, county.users["member_a1"], language)
    response = client.get(reverse("reports:import", args=["members"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert WORDS[language][1] in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize("language", WORDS)
def test_500_in_the_users_language(county, language, monkeypatch):
    client = Client(raise_request_exception=False)
    as_user(client, county.users["county"], language)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("dangjian.orgs.views.figures", broken)
    response = client.get(reverse("orgs:detail", args=["T"]))
    assert response.status_code == 500
    html = response.content.decode()
    assert WORDS[language][2] in html
    assert WORDS[language][3] in html


def test_members_see_no_import_menu_and_no_link_they_cannot_follow(client, county):
    from dangjian.orgs import services as orgs

    secretary = county.members["TA01"][1]
    orgs.appoint_officer(
        county.village_a1, secretary, "secretary", term_start=datetime.date(2025, 1, 1)
    )
    member_page = reverse("members:detail", args=[secretary.pk])
    as_user(client, county.users["member_a1"], "zh-hans")
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert secretary.name in html
    assert member_page not in html
    assert reverse("reports:import", args=["members"]) not in html
    # The branch secretary manages the branch: the name links, the menu is there.
    client.force_login(county.users["branch_a1"])
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert member_page in html
    assert reverse("reports:import", args=["members"]) in html
