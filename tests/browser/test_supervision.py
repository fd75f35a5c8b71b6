"""An inspection on the pages: the township plans it, records a finding that goes onto the
rectification ledger, closes it and gets its notice; the village branch reports progress on
a phone; the township signs the item off."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_inspection_to_its_notice_and_the_item_signed_off(page, browser, live_county, shot):
    county = live_county
    today = timezone.localdate()
    log_in(page, county, "town_a")
    page.wait_for_url(county.url + "/")
    page.get_by_role("link", name="督查整改").click()
    expect(page.get_by_role("heading", name="整改台账")).to_be_visible()
    page.get_by_role("link", name="督查计划与记录").click()
    page.get_by_role("link", name="制定督查计划（甲镇党委）").click()
    page.get_by_label("督查方式").select_option("inspection")
    page.get_by_label("计划名称").fill("第四季度基层党建督查")
    page.get_by_label("开始日期").fill((today - datetime.timedelta(days=10)).isoformat())
    page.get_by_label("结束日期").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="第四季度基层党建督查")).to_be_visible()
    page.get_by_label("督查日期").fill(today.isoformat())
    page.get_by_label("督查人员").fill("钱组长、孙干事")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", name="督查 · ")).to_be_visible()

    page.get_by_label("被督查组织").fill("TA01")
    page.get_by_label("发现的问题").fill("三会一课记录不全")
    page.get_by_label("整改责任人").fill("张书记")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("table")).to_contain_text("三会一课记录不全")
    # Outside the township: refused with the reason, nothing recorded.
    page.get_by_label("被督查组织").fill("TB01")
    page.get_by_label("发现的问题").fill("越界")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".error").first).to_contain_text("不在您的管辖范围内")
    page.get_by_role("button", name="生成通报").click()
    expect(page.locator("body")).to_contain_text("关于第四季度基层党建督查情况的通报")
    expect(page.locator("body")).to_contain_text("三会一课记录不全")
    shot(page, "supervision-notice")

    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, county, "branch_a1")
    phone.wait_for_url(county.url + "/")
    phone.goto(county.url + "/supervision/")
    phone.get_by_role("link", name="三会一课记录不全").click()
    expect(phone.get_by_role("button", name="验收销号")).to_have_count(0)
    phone.get_by_label("整改进展").fill("已补齐会议记录，建立按月检查制度")
    phone.get_by_role("button", name="填报进展").click()
    expect(phone.locator(".timeline")).to_contain_text("已补齐会议记录")
    shot(phone, "supervision-item-phone")
    context.close()

    page.goto(county.url + "/supervision/?status=in_progress")
    page.get_by_role("link", name="三会一课记录不全").click()
    page.get_by_label("验收意见").fill("验收合格")
    page.get_by_role("button", name="验收销号").click()
    expect(page.locator(".badge").filter(has_text="已整改")).to_be_visible()
    expect(page.locator("body")).to_contain_text("由 town_a 验收销号")
