"""A notice (通报) as a branch secretary meets it: listed on the desk, opened as a document
in the official layout, printed from the browser on A4 with nothing but the document, and
downloaded as a PDF."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import log_in
from tests.browser.test_print import A4_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_branch_opens_prints_and_downloads_a_notice(page, live_county, shot):
    from dangjian.notices.services import issue_notice

    county = live_county
    notice = issue_notice(
        county.users["county"],
        issuer=county.root,
        kind="inspection",
        title="关于第四季度基层党建工作督查情况的通报",
        sections=[
            {"heading": "一、基本情况", "paragraphs": ["本季度共抽查村党支部12个。"]},
            {
                "heading": "二、存在的问题",
                "table": {
                    "columns": ["序号", "党组织", "问题"],
                    "rows": [["1", "甲一村党支部", "主题党日未按月开展"]],
                },
            },
        ],
    )
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.get_by_role(
        "link", name=f"{notice.issued_on:%m-%d} {notice.number} {notice.title}"
    ).click()
    expect(page.locator(".gw-number")).to_have_text(notice.number)
    expect(page.locator(".gw-title")).to_have_text(notice.title)
    # The issuing body's mark is red, as GB/T 9704 has it.
    assert page.locator(".gw-mark").evaluate("e => getComputedStyle(e).color") == "rgb(230, 0, 18)"
    shot(page, "notice")

    page.set_viewport_size({"width": A4_WIDTH, "height": 1100})
    button = page.get_by_role("button", name="打印")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    for hidden in (".site-header", ".actions", ".crumbs"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".gw-table")).to_contain_text("主题党日未按月开展")
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    page.emulate_media(media="screen")

    response = page.request.get(county.url + f"/notices/{notice.pk}/pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
