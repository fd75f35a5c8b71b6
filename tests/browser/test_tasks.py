"""Assignments in real Chromium: the county issues, a branch reports back, the county sees
the roll-up change."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.tasks import services

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_issue_report_back_and_see_the_roll_up(
    browser, page, live_county, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the uploaded photo stays out of var/
    county = live_county
    log_in(page, county, "county")
    page.goto(county.url + "/tasks/")
    page.get_by_role("link", name="下发交办单").first.click()
    page.get_by_label("标题").fill("乡村振兴主题党日")
    page.get_by_label("工作内容").fill("每个村党支部召开一次主题党日，报送参加人数和照片")
    deadline = page.evaluate("new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10)")
    page.get_by_label("截止日期").fill(deadline)
    page.get_by_label("按层级、领域、类别或所属范围筛选").check()
    page.locator("#id_levels").get_by_label("村", exact=True).check()
    page.locator("#id_kinds").get_by_label("党支部", exact=True).check()
    # The receivers preview (htmx) counts the village branches.
    expect(page.locator("#receivers-preview")).to_contain_text("将下发给 3 个组织")
    page.locator("#id_fields-0-label").fill("参加人数")
    page.locator("#id_fields-0-unit").fill("人")
    page.get_by_label("至少上传附件（照片）数").fill("1")
    shot(page, "tasks-issue-desktop")
    page.get_by_role("button", name="下发", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("交办单已下发给3个组织")
    board_url = page.url
    assert re.search(r"/tasks/assignments/\d+/$", board_url)
    expect(page.locator('[data-stat="reported"]')).to_have_text("0")

    branch = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    phone = branch.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, county, "branch_a1")
    phone.goto(county.url + "/tasks/")
    phone.locator(".todo").get_by_role("link", name="乡村振兴主题党日").click()
    phone.get_by_label("参加人数（人）").fill("二十")
    phone.get_by_role("button", name="报送").click()
    # Errors beside the fields: not a number, and the required photo is missing.
    expect(phone.locator("#id_v_f1-error")).to_contain_text("不是数字")
    expect(phone.locator("#id_files-error")).to_contain_text("至少需要上传1个附件")
    phone.get_by_label("参加人数（人）").fill("25")
    phone.get_by_label("附件（照片或文件）").set_input_files(
        {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0jpeg"}
    )
    phone.get_by_role("button", name="报送").click()
    expect(phone.locator(".messages")).to_contain_text("晒账单已报送")
    expect(phone.locator(".state")).to_contain_text("已报送")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "tasks-report-phone")
    branch.close()

    page.goto(board_url)
    expect(page.locator('[data-stat="reported"]')).to_have_text("1")
    expect(page.locator('[data-sum="f1"]')).to_have_text("25")
    town = page.locator('.progress-table tr[data-code="TA"]')
    expect(town.locator("td").nth(2)).to_have_text("1")
    page.locator(".board").get_by_role("link", name="甲一村党支部").click()
    page.get_by_role("button", name="通过").click()
    expect(page.locator(".messages")).to_contain_text("已通过该晒账单")
    page.goto(board_url + "?org=TA")
    expect(page.locator('[data-stat="accepted"]')).to_have_text("1")
    shot(page, "tasks-board-desktop")


def test_township_relays_from_the_board(page, live_county):
    """A township opens the county's assignment, relays it to its villages from the board
    with a note, and lands on the relayed board with the chain shown."""
    county = live_county
    today = timezone.localdate()
    assignment = services.issue(
        county.root,
        title="冬季走访",
        content="走访困难党员并报送人数",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["township"]},
        fields=[{"key": "people", "label": "走访人数", "type": "integer"}],
        actor=county.users["county"],
    )
    log_in(page, county, "town_a")
    page.goto(f"{county.url}/tasks/assignments/{assignment.pk}/")
    page.get_by_role("link", name="甲镇党委转办给下级").click()
    expect(page.get_by_label("甲一村党支部（TA01）")).to_be_checked()
    expect(page.get_by_label("甲二村党支部（TA02）")).to_be_checked()
    page.get_by_label("甲二村党支部（TA02）").uncheck()
    page.get_by_label("补充要求").fill("每村至少走访5户")
    page.get_by_role("button", name="转办", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已转办给1个组织")
    expect(page.locator("[data-chain]")).to_contain_text("中共测试县委 → 甲镇党委")
    expect(page.locator(".relay-note")).to_contain_text("每村至少走访5户")
    expect(page.locator('[data-stat="receivers"]')).to_have_text("1")
    page.get_by_role("link", name="查看原交办单").click()
    expect(page.locator('.board tr[data-code="TA"]')).to_contain_text("已转办1个")
