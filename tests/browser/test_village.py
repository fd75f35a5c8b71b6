"""Cadre pay on a phone: the village's secretary prepares this year's pay sheet from the
county's rule (seed 004's 1.92 × 8,437.50), adds the director, is refused 13 months with the
reason, and submits; the township's secretary confirms it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.village import services
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_pay_sheet_prepared_submitted_and_confirmed(phone_page, live_county, shot):
    county = live_county
    year = timezone.localdate().year
    services.save_pay_rule(
        None,
        county.root,
        year=year,
        income_year=year - 2,
        income="8437.50",
        multiple="1.92",
        posts=[
            {"post": "secretary", "ratio": "1.00"},
            {"post": "director", "ratio": "0.80"},
            {"post": "member", "ratio": "0.60"},
        ],
    )
    page = phone_page
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/village/sheets/")
    page.get_by_role("link", name="填报甲一村党支部的发放表").click()
    page.get_by_role("button", name="生成").click()
    page.locator("#line-form").get_by_label("姓名", exact=True).fill("张主任")
    page.locator("#line-form").get_by_label("岗位").select_option("director")
    page.locator("#line-form").get_by_label("任职月数").fill("13")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("#line-form .error").first).to_contain_text("任职月数应为1到12之间的整数")
    page.locator("#line-form").get_by_label("任职月数").fill("12")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("table")).to_contain_text("张主任")
    expect(page.locator("table")).to_contain_text("1,080")
    page.get_by_role("button", name="报送乡镇确认").click()
    expect(page.get_by_text("状态：待确认")).to_be_visible()
    shot(page, "village-sheet")
    page.context.clear_cookies()
    log_in(page, county, "town_a")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/village/sheets/?status=submitted")
    page.get_by_role("link", name="甲一村党支部").click()
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_text("状态：已确认")).to_be_visible()
