"""The work desk in real Chromium, per role: login lands on it, and one item leads to its
record. On a phone the desk needs no sideways scrolling."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.life import services as life_services
from dangjian.tasks import services as task_services

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def issue(county):
    today = timezone.localdate()
    return task_services.issue(
        county.root,
        title="乡村振兴晒账",
        content="内容",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
    )


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), width


def test_county_follows_a_report_back_not_in_to_its_board_and_urges(page, live_county):
    county = live_county
    assignment = issue(county)
    log_in(page, county, "county")
    expect(page).to_have_url(county.url + "/")
    item = page.locator(".desk-item", has_text="下级未报的晒账单")
    expect(item).to_contain_text("3个组织未报")
    item.get_by_role("button", name="催报").click()
    expect(page.locator(".messages")).to_contain_text("已向3个未报组织发出催报提醒")
    page.locator(".desk-item", has_text="下级未报的晒账单").get_by_role(
        "link", name=re.compile("乡村振兴晒账")
    ).click()
    expect(page).to_have_url(f"{county.url}/tasks/assignments/{assignment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("乡村振兴晒账")


def test_township_drills_down_to_a_branch_missing_meetings(page, live_county):
    county = live_county
    log_in(page, county, "town_a")
    item = page.locator(".desk-item", has_text="缺开会议的下级组织")
    item.get_by_role("link", name=re.compile("甲二村党支部")).click()
    expect(page).to_have_url(re.compile(r"/life/org/TA02/meetings/$"))
    expect(page.locator("main")).to_contain_text("甲二村党支部")


def test_branch_secretary_on_a_phone_records_a_meeting_from_the_desk(phone_page, live_county):
    county = live_county
    issue(county)
    page = phone_page
    log_in(page, county, "branch_a1")
    expect(page).to_have_url(county.url + "/")
    # The desk comes first, without sideways scrolling.
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(page.locator(".desk-item", has_text="待报送的晒账单")).to_contain_text("乡村振兴晒账")
    no_sideways_scroll(page)
    page.locator(".desk-item", has_text="本月、本季度待开的会议").get_by_role(
        "link", name="记录会议"
    ).click()
    expect(page).to_have_url(re.compile(r"/life/org/TA01/meetings/new/$"))
    no_sideways_scroll(page)


def test_member_opens_a_meeting_they_attended(phone_page, live_county):
    county = live_county
    a, _b, _c = county.members["TA01"]  # member_a1's own record
    meeting = life_services.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=timezone.localdate(),
        topic="学习党章",
        attendance=[(a.pk, "present", "")],
    )
    page = phone_page
    log_in(page, county, "member_a1")
    item = page.locator(".desk-item", has_text="今年参加的组织生活")
    no_sideways_scroll(page)
    item.get_by_role("link", name=re.compile("学习党章")).click()
    expect(page).to_have_url(f"{county.url}/life/meetings/{meeting.pk}/")
    expect(page.locator("main")).to_contain_text("学习党章")


def test_branch_marks_a_reminder_read_and_finds_it_among_all_current(page, live_county):
    from dangjian.core.models import Reminder

    county = live_county
    due = timezone.localdate() + datetime.timedelta(days=5)
    for key in ("x", "y"):
        Reminder.objects.create(
            organization=county.village_a1, key=f"t:{key}", text=f"本月主题党日{key}", due_on=due
        )
    log_in(page, county, "branch_a1")
    item = page.locator(".desk-item", has_text="未读提醒")
    expect(item.locator(".desk-count")).to_have_text("2")
    item.locator("li", has_text="本月主题党日x").get_by_role("button", name="标为已读").click()
    expect(page.locator(".messages")).to_contain_text("已标为已读：本月主题党日x")
    item = page.locator(".desk-item", has_text="未读提醒")
    expect(item.locator(".desk-count")).to_have_text("1")
    expect(item).not_to_contain_text("本月主题党日x")
    item.get_by_role("link", name="查看全部").click()
    expect(page).to_have_url(f"{county.url}/reminders/")
    expect(page.locator("li", has_text="本月主题党日x")).to_contain_text("已读")
    expect(
        page.locator("li", has_text="本月主题党日y").get_by_role("button", name="标为已读")
    ).to_be_visible()
