"""Training on a phone: a branch secretary records a mobile Party school lecture with every
member ticked, unticks an absentee; the member then sees the hours on 我的学习."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_lecture_recorded_with_an_absentee_and_seen_by_the_member(phone_page, live_county, shot):
    county = live_county
    page = phone_page
    absent = county.members["TA01"][2]
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/training/sessions/")
    page.get_by_role("link", name="登记培训").click()
    page.get_by_label("培训主题").fill("学党章守党规")
    page.get_by_label("授课人").fill("县委党校讲师")
    page.get_by_label("培训层级").select_option("branch")
    page.get_by_label("培训地点").fill("村党群服务中心")
    page.get_by_label("培训日期").fill(timezone.localdate().isoformat())
    page.locator("input[name=hours]").fill("4")
    page.get_by_label(absent.name).uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="学党章守党规")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(absent.name)
    shot(page, "training-session")
    page.goto(county.url + "/training/hours/?below=1")
    expect(page.locator("table")).to_contain_text(absent.name)
