"""A photo chosen on the phone meeting form survives a refused submit (core.staging): the
error summary is at the top, the photo still listed; fixing the field and saving attaches it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_life import PNG
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_photo_kept_after_a_refused_meeting_form_on_a_phone(
    phone_page, live_county, settings, tmp_path
):
    from dangjian.core.models import StagedFile
    from dangjian.life.models import Attachment, Meeting

    settings.MEDIA_ROOT = tmp_path
    county = live_county
    page = phone_page
    log_in(page, county, "branch_a1")
    page.goto(county.url + "/life/org/TA01/meetings/new/")
    page.get_by_label("地点").fill("村党群服务中心")
    page.get_by_label("照片或附件").set_input_files(
        files=[{"name": "合影.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="保存").click()  # no topic
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("会议主题")
    assert summary.bounding_box()["y"] < page.get_by_label("会议主题").bounding_box()["y"]
    staged = page.locator(".staged-files")
    expect(staged).to_contain_text("已选：")
    expect(staged).to_contain_text("合影.png")
    expect(staged.get_by_label("移除")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not Meeting.objects.exists()

    page.get_by_label("会议主题").fill("学习党章")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学习党章")
    meeting = Meeting.objects.get()
    assert list(Attachment.objects.filter(meeting=meeting).values_list("name", flat=True)) == [
        "合影.png"
    ]
    assert not StagedFile.objects.exists()
    expect(page.get_by_role("img", name=re.compile("合影"))).to_be_visible()
