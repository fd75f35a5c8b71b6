"""Planned meetings in real Chromium: a branch secretary plans next week's theme day on a
phone (every error at once at the top first), and the member's desk lists it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_desk import no_sideways_scroll
from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_secretary_plans_a_meeting_and_the_member_desk_shows_it(phone_page, page, live_county):
    county = live_county
    day = timezone.localdate() + datetime.timedelta(days=7)
    secretary = phone_page
    violations = []
    secretary.on("console", lambda m: violations.append(m.text) if "Content" in m.text else None)
    log_in(secretary, county, "branch_a1")
    secretary.goto(county.url + "/life/org/TA01/meetings/")
    plans = secretary.locator("#plans")
    expect(plans).to_contain_text("暂无会议计划")
    plans.get_by_role("link", name="新建计划").click()
    expect(secretary).to_have_url(re.compile(r"/life/org/TA01/plans/new/$"))
    secretary.get_by_role("button", name="保存").click()
    summary = secretary.locator("#error-summary")
    expect(summary).to_contain_text("请填写计划日期")
    expect(summary).to_contain_text("请填写会议主题")
    secretary.get_by_label("会议类型").select_option("theme_day")
    secretary.get_by_label("计划日期").fill(day.isoformat())
    secretary.get_by_label("计划时间").fill("15:30")
    secretary.get_by_label("地点").fill("村党群服务中心")
    secretary.get_by_label("会议主题").fill("学习二十届四中全会精神")
    no_sideways_scroll(secretary)
    secretary.get_by_role("button", name="保存").click()
    expect(secretary).to_have_url(re.compile(r"/life/org/TA01/meetings/#plans$"))
    expect(secretary.locator("#plan-list")).to_contain_text("学习二十届四中全会精神")
    no_sideways_scroll(secretary)
    assert not violations, violations

    log_in(page, county, "member_a1")
    expect(page).to_have_url(county.url + "/")
    item = page.locator(".desk-item", has_text="本支部近期会议")
    expect(item).to_contain_text(
        f"{day.isoformat()} 15:30 主题党日：学习二十届四中全会精神（地点：村党群服务中心）"
    )
