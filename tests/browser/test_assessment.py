"""An assessment in real Chromium: the county makes a scheme (a wrong total refused, then
right), opens the year's assessment, the job computes the scores, a township scores a
village by hand on a phone, the county recomputes, reads the ranking with its tie rule and
publishes the notice."""

import re

import pytest
from playwright.sync_api import expect

from dangjian.assessment.models import Assessment
from dangjian.testing import run_jobs
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def fill_row(page, i, code, name, method, weight, source=""):
    page.locator("input[name=ind_code]").nth(i).fill(code)
    page.locator("input[name=ind_name]").nth(i).fill(name)
    page.locator("select[name=ind_method]").nth(i).select_option(method)
    if source:
        page.locator("select[name=ind_source]").nth(i).select_option(source)
    page.locator("input[name=ind_weight]").nth(i).fill(weight)


def test_scheme_to_published_notice(page, browser, live_county, shot):
    county = live_county
    log_in(page, county, "county")
    page.wait_for_url(county.url + "/")
    page.get_by_role("link", name="考核", exact=True).click()
    page.get_by_role("link", name="制定考核方案").click()
    page.get_by_label("方案名称").fill("年度基层党建考核方案")
    page.get_by_label("考核周期").select_option("year")
    fill_row(page, 0, "meetings", "三会一课按期召开", "computed", "60", "life.meeting_compliance")
    fill_row(page, 1, "inspection", "督查评分", "hand", "30")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "各项指标分值之和为90，应等于方案满分100"
    )
    page.locator("input[name=ind_weight]").nth(1).fill("40")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="年度基层党建考核方案")).to_be_visible()
    page.get_by_label("考核期间").fill("2026")
    page.get_by_role("button", name="开启并计算得分").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    run_jobs()
    page.get_by_role("link", name="查看排名").click()
    expect(page.locator("#tie-rule")).to_contain_text("按组织编码排序")
    expect(page.locator("#ranking")).to_contain_text("甲一村党支部")
    shot(page, "assessment-ranking")
    assessment = Assessment.objects.get()

    # The township gives a village its hand score on a phone.
    phone = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, locale="zh-CN"
    )
    town = phone.new_page()
    log_in(town, county, "town_a")
    town.wait_for_url(county.url + "/")
    town.goto(f"{county.url}/assessment/{assessment.pk}/org/TA01/")
    town.get_by_label("得分").fill("45")
    town.get_by_label("评分理由").fill("督查：会议记录齐全")
    town.get_by_role("button", name="保存评分").click()
    expect(town.locator(".error-summary")).to_contain_text("得分应在0至40分之间")
    town.get_by_label("得分").fill("36")
    town.get_by_label("评分理由").fill("督查：会议记录齐全")
    town.get_by_role("button", name="保存评分").click()
    expect(town.locator("#reasons")).to_contain_text("督查：会议记录齐全")
    expect(town.locator("#reasons")).to_contain_text("评分人 town_a")
    shot(town, "assessment-card")
    phone.close()

    # Stale now: the county recomputes, then publishes.
    page.reload()
    expect(page.locator("body")).to_contain_text("排名需重新计算")
    page.get_by_role("button", name="重新计算得分").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    run_jobs()
    page.get_by_role("link", name="查看排名").click()
    page.get_by_role("button", name="发布结果并生成通报").click()
    expect(page.locator("body")).to_contain_text("关于2026年度基层党组织考核结果的通报")
    expect(page.locator("body")).to_contain_text("排名靠后的党组织")
    shot(page, "assessment-notice")
