"""A village's major matter walked through the four deliberations and two disclosures on a
phone, step by step, then seen by anyone on the village's public board."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_matter_through_six_steps_to_the_public_board(phone_page, live_county, shot):
    county = live_county
    page = phone_page
    today = timezone.localdate().isoformat()
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/governance/org/TA01/matters/new/")
    page.get_by_label("事项名称").fill("村东坑塘承包")
    page.get_by_label("类别").select_option("contract")
    page.get_by_label("事项内容").fill("村东坑塘12亩对外承包五年，公开竞价。")
    page.get_by_label("涉及金额（元）").fill("36000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="第 1 步：村党组织提议")).to_be_visible()

    def step(heading, text, **counts):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        page.get_by_label("日期").fill(today)
        for label, value in counts.items():
            if label == "会议形式":
                page.get_by_label(label).select_option(value)
            else:
                page.get_by_label(label, exact=True).fill(str(value))
        page.locator("textarea[name=text]").fill(text)
        page.get_by_role("button", name="登记").click()

    step("第 1 步：村党组织提议", "村党支部提议对外承包")
    step("第 2 步：村“两委”联席会议商议", "两委商议同意", 应到人数=7, 实到人数=6, 赞成=6)
    # A members' assembly without quorum is refused, and says why.
    step("第 3 步：党员大会审议", "党员大会审议", 应到人数=30, 实到人数=19, 赞成=18)
    expect(page.locator(".error").first).to_contain_text("到会人数不足")
    step("第 3 步：党员大会审议", "党员大会审议", 应到人数=30, 实到人数=24, 赞成=22)
    step(
        "第 4 步：村民会议或村民代表会议决议",
        "村民代表会议决议",
        会议形式="representatives",
        应到人数=45,
        实到人数=38,
        赞成=35,
    )
    step("第 5 步：决议公开", "承包给李某，年租金7200元")
    step("第 6 步：实施结果公开", "合同已签订，首年租金已入账")
    expect(page.locator(".badge").filter(has_text="已办结")).to_be_visible()
    shot(page, "governance-matter")

    # A resident's phone, not logged in, in Chinese.
    public = page.context.browser.new_page(locale="zh-CN")
    public.goto(county.url + "/v/TA01/")
    expect(public.get_by_role("heading", name="甲一村党支部 村务公开栏")).to_be_visible()
    expect(public.locator(".disclosure")).to_contain_text("承包给李某，年租金7200元")
    expect(public.locator(".disclosure")).to_contain_text("合同已签订，首年租金已入账")
    expect(public.locator(".site-header nav")).to_have_count(0)  # nobody is logged in
    shot(public, "governance-public")
    public.close()
