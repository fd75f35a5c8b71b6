"""The Content-Security-Policy in real Chromium (nothing the site needs is blocked) and an
administrator's two-step login from enrolment to the next login."""

import base64
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def csp_violations(page):
    """Messages Chromium prints when the policy blocks something, collected as they come."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_the_policy_blocks_nothing_the_site_uses(page, live_county):
    violations = csp_violations(page)
    log_in(page, live_county, "county")
    expect(page).to_have_url(live_county.url + "/")
    page.get_by_role("link", name="本组织概况").click()
    expect(page).to_have_url(re.compile(r"/org/T/$"))
    # ECharts (vendor/echarts.min.js + js/charts.js) drew the charts…
    expect(page.locator(".chart.drawn").first).to_be_visible()
    # …and htmx (vendor/htmx.min.js) still fetches the tree's children.
    town = page.locator('.tree-panel li[data-code="TA"]')
    town.locator("summary .caret").first.click()
    expect(town.locator('li[data-code="TA01"]')).to_contain_text("甲一村党支部")
    response = page.goto(live_county.url + "/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的账号")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert violations == []


def totp_code(otpauth_uri, ahead=0):
    secret = parse_qs(urlparse(otpauth_uri).query)["secret"][0]
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), 30, 0, 6, 0)
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def test_an_administrator_enrols_two_step_login_and_logs_in_with_a_code(page, live_county, shot):
    violations = csp_violations(page)
    log_in(page, live_county, "county")
    page.get_by_role("link", name="county").click()
    page.get_by_role("button", name="启用两步验证").click()
    qr = page.get_by_role("img", name="两步验证二维码")
    expect(qr).to_be_visible()
    # The server-drawn SVG loaded (an image the policy or the server refused has no width).
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    shot(page, "two-step-enrol")
    uri = page.locator(".otpauth").inner_text()
    page.get_by_label("动态验证码").fill(totp_code(uri))
    page.get_by_role("button", name="完成启用").click()
    expect(page.locator(".msg")).to_contain_text("两步验证已启用")

    page.get_by_role("button", name="退出").click()
    log_in(page, live_county, "county")
    expect(page.locator(".error")).to_contain_text("该账号已启用两步验证")
    page.get_by_label("密码").fill("pass12345")
    page.get_by_label("动态验证码").fill(totp_code(uri, ahead=30))
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_county.url + "/")
    assert violations == []
