"""Login and logout pages, the header and the language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_shows_demo_accounts_in_demo_mode(client, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "DEMO": True}
    html = client.get(reverse("accounts:login")).content.decode()
    assert "用户名" in html and "密码" in html
    for username in ("county", "township", "branch", "member", "dangjian2026"):
        assert f"<code>{username}</code>" in html


def test_login_page_hides_demo_accounts_otherwise(client, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "DEMO": False}
    html = client.get(reverse("accounts:login")).content.decode()
    assert "dangjian2026" not in html


def test_login_logs_in_and_lands_on_the_desk(client, county):
    response = client.post(
        reverse("accounts:login"), {"username": "town_a", "password": "pass12345"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("desk:home")
    html = response.content.decode()
    # Header: the home organization, the navigation, the language switch and logout.
    assert "甲镇党委" in html
    for text in ("组织", "党员", "简体", "繁體", "English", "退出"):
        assert text in html


def test_wrong_password_shows_a_chinese_error(client, county):
    response = client.post(reverse("accounts:login"), {"username": "town_a", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, county):
    client.force_login(county.users["county"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("orgs:home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_language_switch_to_traditional_and_english(client, county):
    client.force_login(county.users["county"])
    url = reverse("orgs:detail", args=["T"])
    client.post(reverse("set_language"), {"language": "zh-hant", "next": url})
    html = client.get(url).content.decode()
    assert 'lang="zh-hant"' in html
    assert "黨員" in html and "党员" not in html
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert 'lang="en"' in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "党员" in client.get(url).content.decode()
