"""Login hardening: lockout, password rules and hashing, idle sessions, the CSP header,
two-step login for administrators, the admin's login and the API document behind login."""

import time
from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

import dangjian.settings as project_settings
from dangjian.accounts import two_step
from dangjian.accounts.middleware import RENEWED_KEY

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password, *, ip="10.0.0.1", code=""):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "code": code},
        REMOTE_ADDR=ip,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


# -- lockout (django-axes) ----------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_from_that_address(client, county):
    for _ in range(4):
        assert attempt(client, "town_a", "wrong").status_code == 200
    locked = attempt(client, "town_a", "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "15分钟" in locked.content.decode()
    # Even the right password is refused from that address now…
    again = attempt(client, "town_a", "pass12345")
    assert again.status_code == 429 and not logged_in(client)
    # …but not from another address: nobody can lock a user out from elsewhere.
    assert attempt(client, "town_a", "pass12345", ip="10.0.0.2").status_code == 302
    assert logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client, county):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "town_a", "wrong")
    assert attempt(client, "town_a", "pass12345").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - project_settings.AXES_COOLOFF_TIME
        - project_settings.SESSION_RENEW_EVERY
    )
    assert attempt(client, "town_a", "pass12345").status_code == 302


def test_unlock_command_lifts_the_lockout(client, county):
    for _ in range(5):
        attempt(client, "county", "wrong")
    assert attempt(client, "county", "pass12345").status_code == 429
    out = StringIO()
    call_command("unlock", "county", stdout=out)
    assert "已清除 county 的" in out.getvalue()
    assert attempt(client, "county", "pass12345").status_code == 302


def test_client_address_behind_a_proxy_is_the_one_the_proxy_appended(rf, settings):
    from dangjian.accounts.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.PROXY_HOPS = 1
    assert client_ip(request) == "203.0.113.9"  # not the client-supplied 6.6.6.6
    settings.PROXY_HOPS = 0
    assert client_ip(request) == "127.0.0.1"


# -- passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "new, reason",
    [
        ("83920174650193", "只包含数字"),
        ("password123", "太常见"),
        ("chun-47", "至少 10 个字符"),
        ("town_a_2026", "太相似"),
    ],
)
def test_password_change_rejects_weak_passwords(client, county, new, reason):
    user = county.users["town_a"]
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pass12345", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pass12345")


def test_password_change_validators_speak_chinese(client, county):
    client.force_login(county.users["town_a"])
    html = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pass12345", "new_password1": "1234567890", "new_password2": "1234567890"},
    ).content.decode()
    assert "密码只包含数字" in html
    assert "这个密码太常见了" in html


def test_password_change_accepts_a_good_password(client, county):
    user = county.users["town_a"]
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass12345",
            "new_password1": "河堤春柳-rotates-47",
            "new_password2": "河堤春柳-rotates-47",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("河堤春柳-rotates-47")
    assert logged_in(client)  # the session survives its own password change


def test_new_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("河堤春柳-rotates-47").startswith("argon2$argon2id$")


# -- sessions ---------------------------------------------------------------------------


def test_a_session_lasts_a_working_day_after_the_last_request(client, county):
    assert project_settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(county.users["town_a"])
    renewed = client.session[RENEWED_KEY]  # the login counts as the first renewal
    # A request soon after does not write the session again…
    assert "sessionid" not in client.get(reverse("accounts:account")).cookies
    # …one after the renewal interval does, pushing the expiry a working day ahead.
    session = client.session
    session[RENEWED_KEY] = renewed - int(project_settings.SESSION_RENEW_EVERY.total_seconds())
    session.save()
    later = client.get(reverse("accounts:account"))
    assert later.cookies["sessionid"]["max-age"] == 8 * 3600
    assert client.session[RENEWED_KEY] >= renewed


# -- Content-Security-Policy ------------------------------------------------------------


def test_pages_carry_a_csp_without_unsafe_inline(client, county):
    client.force_login(county.users["county"])
    for url in (LOGIN, reverse("orgs:detail", args=["T"])):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# -- two-step login (TOTP) --------------------------------------------------------------


def code_for(device, *, ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def enrol(client, user):
    client.force_login(user)
    assert client.post(reverse("accounts:two_step_start")).status_code == 302
    device = two_step.pending_device(user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "otpauth://totp/dangjian%3A" in page
    qr = client.get(reverse("accounts:two_step_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    response = client.post(reverse("accounts:two_step_confirm"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("accounts:logout"))
    return device


def test_an_administrator_enrols_and_then_logs_in_with_a_code(client, county):
    device = enrol(client, county.users["county"])
    no_code = attempt(client, "county", "pass12345")
    assert "该账号已启用两步验证" in no_code.content.decode() and not logged_in(client)
    wrong = attempt(client, "county", "pass12345", code="000000")
    assert "动态验证码不正确" in wrong.content.decode() and not logged_in(client)
    device.throttling_failure_count = 0  # the wrong code above made the device wait a second
    device.save()
    ok = attempt(client, "county", "pass12345", code=code_for(device, ahead=device.step))
    assert ok.status_code == 302 and logged_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    assert "本次登录已通过两步验证" in client.get(reverse("accounts:account")).content.decode()


def test_wrong_codes_count_towards_the_lockout(client, county):
    enrol(client, county.users["county"])
    for _ in range(5):
        response = attempt(client, "county", "pass12345", code="000000")
    assert response.status_code == 429


def test_a_wrong_code_does_not_enable_two_step_login(client, county):
    client.force_login(county.users["county"])
    client.post(reverse("accounts:two_step_start"))
    response = client.post(reverse("accounts:two_step_confirm"), {"code": "12ab"})
    assert response.status_code == 400
    assert "动态验证码应为验证器上显示的6位数字" in response.content.decode()
    assert two_step.confirmed_device(county.users["county"]) is None


def test_only_administrators_may_enrol(client, county):
    client.force_login(county.users["branch_a1"])
    assert "两步验证" not in client.get(reverse("accounts:account")).content.decode()
    response = client.post(reverse("accounts:two_step_start"), follow=True)
    assert "只有管理员可以启用两步验证" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_unlock_totp_removes_a_lost_device(client, county):
    enrol(client, county.users["county"])
    out = StringIO()
    call_command("unlock", "county", "--totp", stdout=out)
    assert "已撤销 county 的两步验证" in out.getvalue()
    assert attempt(client, "county", "pass12345").status_code == 302


def test_admin_login_is_the_site_login(client, county):
    response = client.get("/admin/login/?next=/admin/members/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/members/"


# -- the OpenAPI document ---------------------------------------------------------------


def test_api_docs_behind_login_when_the_setting_says_so(client, county, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "API_DOCS_LOGIN": True}
    for url in ("/api/openapi.json", "/api/docs"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(county.users["branch_a1"])
    assert client.get("/api/openapi.json").status_code == 200


def test_api_docs_open_by_default(client, settings):
    settings.DANGJIAN = {**settings.DANGJIAN, "API_DOCS_LOGIN": False}
    assert client.get("/api/openapi.json").status_code == 200


def test_disabling_two_step_login_needs_a_current_code(client, county):
    user = county.users["county"]
    device = enrol(client, user)
    client.force_login(user)
    wrong = client.post(reverse("accounts:two_step_disable"), {"code": "123"})
    assert wrong.status_code == 400
    assert "动态验证码应为验证器上显示的6位数字" in wrong.content.decode()
    assert two_step.confirmed_device(user) is not None
    done = client.post(
        reverse("accounts:two_step_disable"), {"code": code_for(device, ahead=device.step)}
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert attempt(client, "county", "pass12345").status_code == 302
