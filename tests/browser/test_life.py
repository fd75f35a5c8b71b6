"""A branch secretary records a meeting from a phone and sees the compliance page update."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)


def test_secretary_records_a_meeting_and_compliance_turns_done(
    phone_page, live_county, settings, tmp_path, shot
):
    from dangjian.core import config

    settings.MEDIA_ROOT = tmp_path
    county = live_county
    # Last month's theme day is over, so it is "missing"; recorded today it counts as on time
    # when the county allows recording up to two months after the period (a local setting).
    config.set_rule(county.root, "life.late_entry_days", 62)  # on time, without approval
    today = timezone.localdate()
    held_on = today.replace(day=1) - datetime.timedelta(days=1)
    slot = f"{held_on:%Y-%m}"
    a, b, c = county.members["TA01"]
    page = phone_page

    log_in(page, county, "branch_a1")
    expect(page).to_have_url(county.url + "/")
    page.get_by_role("link", name="组织生活", exact=True).click()
    page.get_by_role("link", name="上月").click()
    expect(page).to_have_url(re.compile(rf"period={slot}"))
    own = page.locator('#by-child tr[data-code="TA01"]')
    expect(own.locator(".st-missing")).to_have_text("1")
    shot(page, "life-overview-before-phone")

    own.get_by_role("link", name="甲一村党支部").click()  # the branch's calendar of that year
    cell = page.locator(f'#calendar td[data-slot="{slot}"]').first
    expect(cell).to_have_attribute("data-status", "missing")
    expect(cell).to_contain_text("未开")

    page.get_by_role("link", name="登记会议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记会议")
    expect(page.get_by_label("会议类型")).to_have_value("theme_day")
    page.get_by_label("召开日期").fill(held_on.isoformat())
    page.get_by_label("会议主题").fill("学习新修订的党章")
    page.get_by_label("地点").fill("村党群服务中心")
    # The theme day is also the quarter's Party lecture, given by the secretary.
    page.get_by_label("党课", exact=True).check()
    page.get_by_label("授课党员").select_option(label=a.name)
    # Everyone is present by default; one tap changes a member to leave or absent.
    row_b = page.locator(f'li[data-member="{b.pk}"]')
    row_b.get_by_text("请假", exact=True).click()
    row_b.get_by_placeholder("原因（请假必填，缺席可不填）").fill("外出务工")
    row_c = page.locator(f'li[data-member="{c.pk}"]')
    expect(row_c.get_by_placeholder("原因（请假必填，缺席可不填）")).to_be_hidden()
    row_c.get_by_text("缺席", exact=True).click()
    # An absence may be explained too (optional); 民主评议 counts those without a reason.
    expect(row_c.get_by_placeholder("原因（请假必填，缺席可不填）")).to_be_visible()
    page.get_by_label("照片或附件").set_input_files(
        files=[{"name": "合影.png", "mimeType": "image/png", "buffer": PNG}]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "meeting-form-phone")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("学习新修订的党章")
    expect(page.get_by_test_id("kinds")).to_contain_text("主题党日党课")
    expect(page.get_by_test_id("lecturer")).to_have_text(a.name)
    expect(page.get_by_test_id("rate")).to_have_text("33.3%")
    expect(page.locator("#attendance")).to_contain_text("外出务工")
    expect(page.locator(".files img")).to_have_count(1)
    shot(page, "meeting-detail-phone")

    page.get_by_role("link", name="完成情况").click()
    page.get_by_role("link", name="上月").click()
    own = page.locator('#by-child tr[data-code="TA01"]')
    expect(own.locator(".st-missing")).to_have_count(0)
    expect(own).to_contain_text("100.0%")
    shot(page, "life-overview-after-phone")
    own.get_by_role("link", name="甲一村党支部").click()
    cell = page.locator(f'#calendar td[data-slot="{slot}"]').first
    expect(cell).to_have_attribute("data-status", "done")
    expect(cell).to_contain_text("已开")
