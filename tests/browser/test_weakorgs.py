"""Weak organizations in real Chromium: a township raises a situation by hand on a phone
(refused without a reason), the county runs the detection as a background job, reads the
candidates with their evidence, confirms one with its guarantors and finds it on the
year's list."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from dangjian.orgs.models import Organization
from dangjian.testing import run_jobs

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_hand_flag_detection_and_confirmation(phone_page, page, live_county, shot):
    county = live_county
    # TB01 has had no secretary since it was set up, half a year ago.
    Organization.objects.filter(pk=county.village_b1.pk).update(
        founded_on=datetime.date.today() - datetime.timedelta(days=200)
    )
    phone = phone_page
    log_in(phone, county, "town_a")
    phone.wait_for_url(county.url + "/")
    phone.goto(county.url + "/weak/org/TA01/flag/")
    phone.get_by_label("情形").select_option("team_divided")
    phone.get_by_label("理由").fill("   ")  # only blanks: the browser lets it through
    phone.get_by_role("button", name="提出").click()
    expect(phone.locator("#id_reason-error")).to_be_visible()  # a reason is required
    phone.get_by_label("理由").fill("村两委班子长期不和，重大事项议而不决")
    phone.get_by_role("button", name="提出").click()
    expect(phone.locator("#status")).to_have_text("待认定")
    expect(phone.locator(".findings")).to_contain_text("班子不团结、内耗严重")
    expect(phone.locator("#confirm")).to_have_count(0)  # only the county decides
    shot(phone, "weakorgs-hand-flag")

    log_in(page, county, "county")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/weak/")
    expect(page).to_have_url(re.compile(r"/weak/org/T/$"))
    page.get_by_role("button", name="按数据排查").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    run_jobs()
    page.get_by_role("link", name="查看候选名单").click(timeout=10_000)
    flags = page.locator("#flags")
    expect(flags.locator("li[data-code=TB01]")).to_contain_text("书记长期空缺")
    expect(flags.locator("li[data-code=TB01]")).to_contain_text("成立以来未登记书记")
    expect(flags.locator("li[data-code=TA01]")).to_contain_text("村两委班子长期不和")
    shot(page, "weakorgs-candidates")

    flags.locator("li[data-code=TA01] a").first.click()
    page.get_by_label("认定意见").fill("经实地核查，情况属实")
    page.get_by_label("整改措施").fill("县级领导包村，乡镇党委书记蹲点")
    page.locator("#id_g1_name").fill("王建国")
    page.locator("#id_g1_post").fill("副县长")
    page.get_by_role("button", name="认定", exact=True).click()
    expect(page.locator("#status")).to_have_text("已认定")
    page.goto(county.url + "/weak/org/T/list/")
    expect(page.locator("#list")).to_contain_text("甲一村党支部")
    expect(page.locator("#list")).not_to_contain_text("乙一村党支部")  # still pending
    shot(page, "weakorgs-list")
