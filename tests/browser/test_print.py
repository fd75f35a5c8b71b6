"""Records print on A4 (issue 11, section 4): a meeting record, a member's page and a
report-back each have a 打印 button (js/print.js, no inline script) that opens the print
dialog; in print, the site's header, navigation, buttons and forms are gone and nothing is
wider than an A4 page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# An A4 page's printable width at CSS pixels (96 per inch): 210 mm less 27 mm of margins.
A4_WIDTH = round((210 - 27) / 25.4 * 96)


def records(county):
    from dangjian.life import services as life
    from dangjian.tasks import services as tasks

    today = timezone.localdate()
    a, b, c = county.members["TA01"]
    meeting = life.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=today,
        topic="学习党章，讨论村里今年的几件大事，" * 4,
        place="村委会",
        host=a,
        attendance=[(a.pk, "present", ""), (b.pk, "leave", "外出务工"), (c.pk, "absent", "")],
        minutes="会议纪要。" * 200,
    )
    assignment = tasks.issue(
        county.root,
        title="县委交办单",
        content="内容",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
    )
    report_back = assignment.report_backs.get(organization=county.village_a1)
    return {
        "meeting": f"/life/meetings/{meeting.pk}/",
        "member": f"/members/{a.pk}/",
        "report-back": f"/tasks/report-backs/{report_back.pk}/",
    }


def test_a_meeting_a_member_and_a_report_back_print_on_a4(page, live_county, shot):
    county = live_county
    paths = records(county)
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")  # login lands on the desk
    page.set_viewport_size({"width": A4_WIDTH, "height": 1100})
    for name, path in paths.items():
        page.emulate_media(media="screen")
        page.goto(county.url + path)
        button = page.get_by_role("button", name="打印")
        expect(button).to_be_visible()  # print.js ran (the policy allows no inline script)
        page.evaluate("window.print = () => { window.printed = true; }")
        button.click()
        assert page.evaluate("window.printed") is True, name

        page.emulate_media(media="print")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        for hidden in (".site-header", ".site-footer", ".actions", "form"):
            for element in page.locator(hidden).all():
                expect(element).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH, name
        shot(page, f"print-{name}")
    assert page.locator("main").inner_text()  # the report-back's own content is there
