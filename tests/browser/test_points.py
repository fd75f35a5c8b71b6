"""A member logs in on a phone and sees their points, and the record behind each point
(capped records show +0); the county administrator's scheme form says what is wrong with
bad input and, once right, recomputes in the background."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.life import services as life
from dangjian.points import services as points
from dangjian.testing import run_jobs
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

THEME = "life.attendance.theme_day"


def theme_day(county, held_on, topic, present):
    life.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=held_on,
        topic=topic,
        attendance=[(m.pk, "present", "") for m in present],
        today=held_on,
    )


def test_a_member_sees_their_points_and_the_records_behind_them(phone_page, live_county, shot):
    county = live_county
    me = county.members["TA01"][0]
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (2, 1, 0)]
    for n, held_on in enumerate(days, 1):
        theme_day(county, held_on, f"第{n}次主题党日", [me])
    points.save_scheme(
        county.users["county"], county.root, today.year, [{"source": THEME, "points": 2, "cap": 5}]
    )
    points.compute_year(county.root, today.year)

    page = phone_page
    log_in(page, county, "member_a1")
    page.wait_for_url(county.url + "/")
    desk_line = page.get_by_role("link", name=f"{today.year}年：5分")
    expect(desk_line).to_be_visible()
    desk_line.click()
    expect(page.get_by_role("heading", name="我的积分")).to_be_visible()
    expect(page.locator(".points-total")).to_contain_text("5")
    item = page.locator(".points-item").filter(has_text="参加主题党日")
    expect(item.get_by_role("heading")).to_contain_text("5 分")
    rows = item.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("第1次主题党日")
    expect(rows.nth(0)).to_contain_text("+2")
    expect(rows.nth(1)).to_contain_text("+2")
    expect(rows.nth(2)).to_contain_text("+1")
    expect(page.get_by_text(days[0].isoformat())).to_be_visible()
    shot(page, "points-mine")
    # Another member's points are not theirs to see.
    other = county.members["TA01"][1]
    response = page.goto(f"{county.url}/points/members/{other.pk}/")
    assert response.status == 404


def test_the_county_fixes_its_scheme_form_and_recomputes(page, live_county, shot):
    county = live_county
    me = county.members["TA01"][0]
    theme_day(county, timezone.localdate(), "学习党章", [me])
    log_in(page, county, "county")
    page.wait_for_url(county.url + "/")
    page.get_by_role("link", name="积分", exact=True).click()
    page.get_by_role("link", name="中共测试县委积分办法").click()
    page.get_by_label("参加主题党日：每次分值").fill("-1")
    page.get_by_label("参加党课：每次分值").fill("3")
    page.get_by_label("参加党课：年度上限").fill("2")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-summary")).to_contain_text("“参加主题党日”的分值应为正整数")
    expect(page.locator(".error-summary")).to_contain_text("不能小于每条记录的分值（3分）")
    shot(page, "points-scheme-errors")
    page.get_by_label("参加主题党日：每次分值").fill("4")
    page.get_by_label("参加党课：年度上限").fill("")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/jobs/**")
    run_jobs()
    expect(page.get_by_text("积分已计算")).to_be_visible(timeout=15_000)
    page.goto(county.url + "/points/org/TA01/members/")
    row = page.locator("tbody tr").filter(has_text=me.name)
    expect(row).to_contain_text("4")
    shot(page, "points-members")
