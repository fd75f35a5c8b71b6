"""A transfer on a phone: the sending branch issues a letter from the member page, the
receiving branch sends one back without a reason (refused, says why), then confirms it; the
member is then in the receiving branch."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.members.models import Member
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_letter_issued_and_confirmed(phone_page, live_county, shot):
    county = live_county
    member = county.members["TA01"][1]
    page = phone_page
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(f"{county.url}/members/{member.pk}/")
    page.get_by_role("link", name="开具介绍信").click()
    page.get_by_label("转入组织编码").fill("TB01")
    page.get_by_label("介绍信编号").fill("甲组转〔2026〕1号")
    page.get_by_label("开具日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table")).to_contain_text("甲组转〔2026〕1号")
    page.context.clear_cookies()

    log_in(page, county, "branch_b1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/members/transfers/TB01/")
    page.get_by_role("link", name=member.name).click()
    page.get_by_role("button", name="退回转出组织").click()
    # The browser refuses the empty required field itself; the page then still offers it.
    expect(page.get_by_role("button", name="确认转入")).to_be_visible()
    page.get_by_role("button", name="确认转入").click()
    expect(page.locator("dl")).to_contain_text("已转接")
    shot(page, "members-transfer")
    assert Member.objects.get(pk=member.pk).organization == county.village_b1
