"""Pages in real Chromium: log in, browse the tree, open a member, switch language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, county, username, password="pass12345"):
    page.goto(county.url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_log_in_browse_tree_open_member(page, live_county, shot):
    county = live_county
    log_in(page, county, "county")
    # Login lands on the desk; the organization page is one click away.
    expect(page).to_have_url(county.url + "/")
    page.get_by_role("link", name="本组织概况").click()
    expect(page).to_have_url(re.compile(r"/org/T/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("中共测试县委")
    shot(page, "org-desktop")
    # The ECharts script loaded and drew the charts (the tables are there regardless).
    expect(page.locator(".chart.drawn").first).to_be_visible()

    tree = page.locator(".tree-panel")
    town = tree.locator('li[data-code="TA"]')
    expect(town).to_contain_text("6人")
    # Opening a node fetches its children from orgs:children with htmx.
    expect(town.locator('li[data-code="TA01"]')).to_have_count(0)
    with page.expect_response(re.compile(r"/org/TA/children/")) as response:
        town.locator("summary .caret").first.click()
    assert response.value.request.headers.get("hx-request") == "true"
    village = town.locator('li[data-code="TA01"]')
    expect(village).to_contain_text("甲一村党支部")
    expect(village).to_contain_text("3人")
    shot(page, "tree-expanded")

    village.get_by_role("link", name="甲一村党支部").click()
    expect(page).to_have_url(re.compile(r"/org/TA01/$"))
    member = county.members["TA01"][1]
    page.get_by_role("link", name="党员名册").click()
    expect(page).to_have_url(re.compile(r"/members/\?org=TA01"))
    page.get_by_role("link", name=member.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(member.name)
    # The county admin sees the full ID number.
    expect(page.locator(".id-number")).to_have_text(member.id_number)
    shot(page, "member-desktop")


def test_search_and_branch_secretary_sees_masked_id(page, live_county):
    county = live_county
    log_in(page, county, "branch_a1")
    expect(page).to_have_url(county.url + "/")
    page.get_by_role("link", name="党员", exact=True).click()
    outsider = county.members["TB01"][0]
    page.get_by_role("searchbox").fill(outsider.name)
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("text=没有符合条件的党员")).to_be_visible()
    member = county.members["TA01"][1]
    page.get_by_role("searchbox").fill(member.name)
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name=member.name, exact=True).click()
    masked = member.id_number[:6] + "************"
    expect(page.locator(".id-number")).to_have_text(masked)
    expect(page.locator(".birth")).to_have_text(str(member.birth_date.year))
    response = page.goto(county.url + f"/members/{outsider.pk}/")
    assert response.status == 404


def test_switch_language_to_traditional_and_english(page, live_county, shot):
    county = live_county
    log_in(page, county, "town_a")
    page.get_by_role("link", name="本组织概况").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("甲镇党委")
    page.get_by_role("button", name="繁體").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    # Records (an organization's name) read as stored; the interface is converted.
    expect(page.get_by_role("heading", level=1)).to_have_text("甲镇党委")
    expect(page.locator("body")).to_contain_text("黨組織")
    expect(page.locator("body")).to_contain_text("黨員")
    shot(page, "org-traditional")
    # The tree fragment loaded by htmx: its names as stored, its words converted.
    town_node = page.locator('.tree-panel li[data-code="TA01"]')
    expect(town_node).to_contain_text("甲一村党支部")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("body")).to_contain_text("党组织")


def test_phone_screen_is_readable(phone_page, live_county, shot):
    page = phone_page
    county = live_county
    log_in(page, county, "county")
    # The desk comes first on a phone, then the organization page.
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="本组织概况").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("中共测试县委")
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    shot(page, "org-phone", full_page=False)
    page.goto(county.url + "/members/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    shot(page, "members-phone", full_page=False)
    member = county.members["TA01"][1]
    page.goto(county.url + f"/members/{member.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(member.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "member-phone", full_page=False)


def test_form_error_is_shown_beside_the_field(page, live_county, shot):
    county = live_county
    page.goto(county.url + "/accounts/login/")
    shot(page, "login")
    log_in(page, county, "branch_a1")
    page.get_by_role("link", name="本组织概况").click()
    page.get_by_role("link", name="登记党员").click()
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("性别").select_option("m")
    page.get_by_label("出生日期").fill("1980-05-06")
    page.get_by_label("身份证号").fill("411423198005060012")
    page.get_by_label("学历").select_option("college")
    page.get_by_label("入党日期").fill("2005-07-01")
    page.get_by_label("党员状态").select_option("probationary")
    page.get_by_label("人员类别").select_option("rural")
    page.get_by_role("button", name="保存").click()
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("身份证号")
    expect(error).to_contain_text("校验位")
    shot(page, "member-form-error")
