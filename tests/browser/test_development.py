"""Development on a phone: a branch secretary records an application, is refused a talk
dated before it (the rule named), records the talk, and sees the pipeline count it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.members.rules import make_id_number
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_application_and_its_talk(phone_page, live_county, shot):
    county = live_county
    page = phone_page
    today = timezone.localdate()
    applied = today - datetime.timedelta(days=3)
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/development/org/TA01/")
    page.get_by_role("link", name="登记入党申请").click()
    page.get_by_label("姓名").fill("周申请")
    page.get_by_label("身份证号").fill(make_id_number("411423", datetime.date(1999, 5, 1), 77, "m"))
    page.get_by_label("学历").select_option("college")
    page.get_by_label("申请入党日期").fill(applied.isoformat())
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", name="下一步：2. 党组织派人谈话")).to_be_visible()
    page.locator("#step-form").get_by_label("日期").fill(
        (applied - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#step-form .error").first).to_contain_text("不能早于上一步骤的日期")
    page.locator("#step-form").get_by_label("日期").fill(today.isoformat())
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#steps")).to_contain_text("党组织派人谈话")
    shot(page, "development-candidacy")
    page.goto(county.url + "/development/")
    expect(page.locator("#pipeline")).to_contain_text("1")
