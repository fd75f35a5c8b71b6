"""延期 in real Chromium: a township extends one village's deadline from its desk's line of
report-backs not in, and that village's report-back page shows the new date."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.tasks import services as task_services

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_township_extends_one_receivers_deadline_from_the_desk(page, live_county):
    county = live_county
    today = timezone.localdate()
    a = task_services.issue(
        county.town_a,
        title="秋收互助晒账",
        content="内容",
        starts_on=today,
        deadline=today + datetime.timedelta(days=3),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
    )
    new = today + datetime.timedelta(days=12)
    log_in(page, county, "town_a")
    line = page.locator(".desk-item", has_text="下级未报的晒账单").locator(
        "li", has_text="秋收互助晒账"
    )
    line.locator("summary", has_text="延期").click()
    form = line.locator("form.extend-form")
    form.locator("select[name=report_back]").select_option(
        label=f"甲一村党支部（{(today + datetime.timedelta(days=3)).isoformat()}）"
    )
    form.locator("input[name=deadline]").fill(new.isoformat())
    form.locator("input[name=reason]").fill("秋收农忙")
    form.get_by_role("button", name="确认延期").click()
    expect(page).to_have_url(county.url + "/")
    expect(page.locator("main")).to_contain_text(f"已延期至{new.isoformat()}")
    rb = a.report_backs.get(organization=county.village_a1)
    page.context.clear_cookies()
    log_in(page, county, "branch_a1")
    page.goto(f"{county.url}/tasks/report-backs/{rb.pk}/")
    expect(page.locator(f'[data-own-deadline="{new.isoformat()}"]')).to_be_visible()
    other = a.report_backs.get(organization=county.village_a2)
    assert other.deadline is None
