"""Dues by month: a branch secretary opens the year's ledger, enters a month's payments on
one form (the due amounts prefilled), a bad amount is refused with the member named and
nothing written, then the grid shows who paid."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.dues.models import DuesMonth
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_branch_secretary_records_a_month_of_dues(page, live_county, shot):
    county = live_county
    today = timezone.localdate()
    a, b, d = county.members["TA01"]
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(f"{county.url}/dues/org/{county.village_a1.code}/grid/?year={today.year}")
    page.get_by_role("button", name=f"建立{today.year}年党费台账").click()
    expect(page.locator(".msg.success")).to_contain_text("条党费记录")
    page.get_by_role("link", name=f"{today.month}月", exact=True).click()
    expect(page.get_by_role("heading", name="党费登记")).to_be_visible()
    page.get_by_label("收缴人").fill("王书记")
    expect(page.get_by_label(a.name, exact=True)).not_to_have_value("")  # due prefilled
    page.get_by_label(b.name, exact=True).fill("两毛")
    page.get_by_label(d.name, exact=True).fill("")
    page.get_by_role("button", name="保存本月").click()
    expect(page.locator(".msg.error")).to_contain_text(f"{b.name}：实交金额“两毛”")
    expect(page.get_by_label(b.name, exact=True)).to_have_value("两毛")  # input kept
    assert not DuesMonth.objects.filter(paid_fen__gt=0).exists()  # nothing half-written
    page.get_by_label(b.name, exact=True).fill("0.20")
    page.get_by_role("button", name="保存本月").click()
    expect(page.locator(".msg.success")).to_contain_text("已登记 2 人的党费")
    row_a = page.get_by_role("row").filter(has_text=a.name)
    row_d = page.get_by_role("row").filter(has_text=d.name)
    expect(row_a.locator("td").nth(today.month)).to_have_text("0.20")
    expect(row_d.locator("td").nth(today.month)).to_have_text("未交")
    shot(page, "dues-grid")
    assert DuesMonth.objects.filter(paid_fen__gt=0, collector="王书记").count() == 2
