"""A background job in real Chromium: the import page hands the file to the worker, the job
page polls its progress with htmx and shows the result when the worker has run it."""

import re

import pytest
from playwright.sync_api import expect

from dangjian.core.models import Job
from dangjian.members.models import Member
from dangjian.reports.tests.test_import import MEMBER_HEADERS, member_row, workbook_file
from dangjian.testing import run_jobs

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_import_runs_in_the_background_and_the_page_shows_the_result(
    page, live_county, tmp_path, shot
):
    county = live_county
    file = tmp_path / "members.xlsx"
    file.write_bytes(workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TA02")]).read())
    before = Member.objects.count()
    log_in(page, county, "town_a")
    page.goto(county.url + "/io/members/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(file))
    page.get_by_role("button", name="上传并导入").click()

    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    status = page.locator("#job-status")
    expect(status).to_contain_text("排队中")
    expect(page.locator("progress.job-bar")).to_be_visible()
    shot(page, "job-queued")
    assert Member.objects.count() == before

    run_jobs()  # the worker, here in the test's thread; the page finds out by polling

    expect(status).to_contain_text("导入成功：共导入 2 条党员记录。", timeout=10_000)
    expect(page.locator("progress.job-bar")).to_have_count(0)
    expect(page.get_by_role("link", name="查看甲镇党委")).to_be_visible()
    shot(page, "job-done")
    assert Member.objects.count() == before + 2
    assert Job.objects.get().status == Job.DONE
