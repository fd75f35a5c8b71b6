"""Serving the public on a phone: a cadre records a household visit with a concern and follows
it until it is solved (refused first without an outcome); a member claims a community post
and records an hour of service, which the desk then shows."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.orgs import services as org_services
from dangjian.service import services
from tests.browser.test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_visit_with_a_concern_followed_to_solved(phone_page, live_county, shot):
    county = live_county
    page = phone_page
    today = timezone.localdate().isoformat()
    log_in(page, county, "branch_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/service/visits/")
    page.get_by_role("link", name="登记走访").click()
    page.get_by_label("走访人").fill("王书记")
    page.get_by_label("走访对象（户主或单位）").fill("李大爷家")
    page.get_by_label("走访日期").fill(today)
    page.get_by_label("走访情况").fill("老人独居，房屋漏雨")
    page.get_by_label("反映的民情：类别（没有可不填）").select_option("practical")
    page.get_by_label("反映的问题").fill("屋顶漏雨需修缮")
    page.get_by_label("责任人").fill("村委会")
    page.get_by_label("办理期限").fill(today)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="李大爷家")).to_be_visible()
    page.get_by_role("link", name="实事难事：屋顶漏雨需修缮").click()

    page.locator("#follow-form").get_by_label("办理情况").fill("已联系施工队")
    page.get_by_role("button", name="登记进展").click()
    expect(page.locator(".badge.status")).to_have_text("办理中")
    # Closing without an outcome is refused, and says why.
    page.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator("#close-form .error").first).to_contain_text("没有结果的民情事项不能办结")
    page.locator("#close-form").get_by_label("办理结果").fill("屋顶已修缮，老人满意")
    page.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator(".badge.status")).to_have_text("已解决")
    expect(page.locator(".outcome")).to_contain_text("屋顶已修缮，老人满意")
    shot(page, "service-concern")
    page.goto(county.url + "/service/concerns/?status=solved")
    expect(page.locator("table")).to_contain_text("屋顶漏雨需修缮")


def test_a_member_claims_a_post_and_records_service(phone_page, live_county, shot):
    county = live_county
    street = org_services.create_child(
        county.root,
        code="TS",
        name="城关街道党工委",
        kind="working_committee",
        level="street",
        sector="community",
    )
    community = org_services.create_child(
        street,
        code="TS01",
        name="东关社区党支部",
        kind="branch",
        level="community",
        sector="community",
    )
    services.publish_post(None, community, title="楼栋联络员", duties="联系本楼栋住户", places=3)
    page = phone_page
    log_in(page, county, "member_a1")
    page.wait_for_url(county.url + "/")
    page.goto(county.url + "/service/posts/")
    page.get_by_role("link", name="楼栋联络员").click()
    page.get_by_role("button", name="认领这个岗位").click()
    expect(page.get_by_role("heading", name="楼栋联络员")).to_be_visible()
    page.get_by_label("服务日期").fill(timezone.localdate().isoformat())
    page.get_by_label("服务时长（小时）").fill("2")
    page.get_by_label("服务群众人数").fill("12")
    page.get_by_label("服务内容").fill("走访住户，宣传政策")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("table")).to_contain_text("走访住户，宣传政策")
    expect(page.get_by_role("heading", name="服务记录（1 人次）")).to_be_visible()
    shot(page, "service-claim")
    page.goto(county.url + "/")
    expect(page.get_by_text("楼栋联络员（东关社区党支部），已服务 1 次")).to_be_visible()
