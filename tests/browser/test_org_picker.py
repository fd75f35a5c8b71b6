"""The organization picker in real Chromium: typing pinyin initials lists the organization,
choosing it fills the code, and the form saves with it."""

import re

import pytest
from playwright.sync_api import expect

from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_type_zgz_choose_zhanggong_and_move_a_branch(page, live_county, shot):
    county = live_county
    org_services.create_child(
        county.root, code="TZ", name="张弓镇党委", kind="committee", level="township"
    )
    log_in(page, county, "county")
    page.goto(county.url + "/org/TB01/move/")
    box = page.get_by_role("combobox", name=re.compile("新的上级组织"))
    box.fill("")
    box.press_sequentially("zgz")
    option = page.get_by_role("option", name=re.compile("张弓镇党委"))
    expect(option).to_be_visible()
    expect(page.get_by_role("option")).to_have_count(1)
    shot(page, "org-picker")
    option.click()
    expect(box).to_have_value("TZ")
    page.get_by_role("button", name=re.compile("保存|确定|调整")).click()
    expect(page).to_have_url(re.compile(r"/org/TB01/$"))
    assert Organization.objects.get(code="TB01").parent().code == "TZ"


def test_picker_lists_nothing_outside_the_subtree(page, live_county):
    county = live_county
    log_in(page, county, "town_b")
    page.goto(county.url + "/org/TB01/move/")
    box = page.get_by_role("combobox", name=re.compile("新的上级组织"))
    box.fill("")
    with page.expect_response(re.compile(r"/orgs/pick/\?q=")) as response:
        box.press_sequentially("甲")
    assert response.value.json() == {"results": []}
    expect(page.get_by_role("option")).to_have_count(0)


def test_assignment_receivers_picked_one_by_one_by_initials(page, live_county):
    county = live_county
    log_in(page, county, "county")
    page.goto(county.url + "/tasks/")
    page.get_by_role("link", name="下发交办单").first.click()
    page.get_by_label("逐个指定组织").check()
    box = page.get_by_role("combobox", name=re.compile("接收组织"))
    box.press_sequentially("jyc")  # 甲一村党支部 and 甲一村第一党小组 (jycdydxz)
    page.get_by_role("option", name=re.compile("甲一村党支部")).click()
    expect(box).to_have_value("TA01 ")
    box.press_sequentially("乙一")
    page.get_by_role("option", name=re.compile("乙一村党支部")).click()
    expect(box).to_have_value("TA01 TB01 ")
    expect(page.locator("#receivers-preview")).to_contain_text("将下发给 2 个组织")


def test_import_target_picked_by_initials(page, live_county):
    """The import page's target is the organization picker: 张弓镇 by "zgz"; the upload then
    goes to that organization."""
    from dangjian.core.models import Job
    from dangjian.reports.tests.test_import import MEMBER_HEADERS, member_row, workbook_file

    county = live_county
    org_services.create_child(
        county.root, code="TZ", name="张弓镇党委", kind="committee", level="township"
    )
    log_in(page, county, "county")
    page.goto(county.url + "/io/members/import/")
    box = page.get_by_role("combobox", name=re.compile("导入到"))
    box.fill("")
    box.press_sequentially("zgz")
    page.get_by_role("option", name=re.compile("张弓镇党委")).click()
    expect(box).to_have_value("TZ")
    upload = workbook_file(MEMBER_HEADERS, [member_row("TZ")])
    page.get_by_label(re.compile("Excel 文件")).set_input_files(
        files=[{"name": "m.xlsx", "mimeType": "application/octet-stream", "buffer": upload.read()}]
    )
    page.get_by_role("button", name="上传并导入").click()
    expect(page).to_have_url(re.compile(r"/jobs/[^/]+/$"))
    assert Job.objects.get().organization.code == "TZ"
