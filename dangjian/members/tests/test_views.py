"""Member pages: list and search stay in the subtree, masking, forms and their errors."""

import datetime

import pytest
from django.urls import reverse

from dangjian.core.services import version_of
from dangjian.members.models import Member, MemberMove
from dangjian.members.views import PAGE_SIZE
from dangjian.orgs import services as org_services
from dangjian.testing import add_member, member_data

pytestmark = pytest.mark.django_db


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def listed(client, **params):
    response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    return response, {m.pk for m in response.context["members"]}


def ids(county, *codes):
    return {m.pk for code in codes for m in county.members[code]}


def test_list_shows_the_subtree_only(client, county):
    login(client, county, "town_a")
    response, found = listed(client)
    assert found == ids(county, "TA01", "TA02")
    assert response.context["total"] == 6


def test_search_never_leaves_the_subtree(client, county):
    login(client, county, "branch_a1")
    outsider = county.members["TB01"][0]
    for params in (
        {"q": outsider.name},
        {"q": outsider.id_number[:10]},
        {"q": outsider.phone},
        {"q": "党员"},
        {"org": "TB01"},
        {"org": "T"},
        {"org": "TB"},
        {"status": "full"},
    ):
        _response, found = listed(client, **params)
        assert found <= ids(county, "TA01"), params
        assert outsider.pk not in found
    # The county root as a filter gives only the branch's members, and their count (not the
    # county's total).
    response, found = listed(client, org="T")
    assert found == ids(county, "TA01")
    assert response.context["total"] == 3


def test_search_by_name_prefix_and_by_whole_id_or_phone(client, county):
    login(client, county, "county")
    target = county.members["TB01"][1]
    add_member(county.village_a2, name="王小明")
    add_member(county.village_a2, name="王大明")
    _r, found = listed(client, q="王")
    assert {Member.objects.get(pk=pk).name for pk in found} == {"王小明", "王大明"}
    _r, found = listed(client, q=target.id_number)
    assert found == {target.pk}
    _r, found = listed(client, q=target.phone)
    assert found == {target.pk}
    # A prefix of a number finds nobody: it would read hidden digits back one by one.
    for prefix in (target.id_number[:17], target.id_number[:6], target.phone[:7]):
        _r, found = listed(client, q=prefix)
        assert found == set(), prefix


def test_filters_and_roll_up_totals(client, county):
    login(client, county, "county")
    add_member(
        county.village_b1,
        status="probationary",
        full_on=None,
        category="retired",
        gender="f",
        is_mobile=True,
    )
    response, found = listed(client, status="probationary")
    assert len(found) == 1 and response.context["total"] == 1
    response, found = listed(client, org="TB", category="retired")
    assert len(found) == 1 and response.context["total"] == 1
    response, found = listed(client, mobile="1")
    assert len(found) == 1 and response.context["total"] == 1
    # Two filters at once: not in the roll-ups, so counted (issue 11: a search shows its total).
    response, found = listed(client, gender="f", category="retired")
    assert len(found) == 1 and response.context["total"] == 1


def test_pagination_of_a_search(client, county):
    for _ in range(PAGE_SIZE - 5):
        add_member(county.village_a2)
    login(client, county, "town_a")
    response, first = listed(client, q="党员")
    assert len(first) == PAGE_SIZE and response.context["has_next"]
    assert response.context["total"] == 3 + 3 + PAGE_SIZE - 5
    assert "下一页" in response.content.decode()
    response, second = listed(client, q="党员", page=2)
    assert not (first & second)
    assert len(first | second) == 3 + 3 + PAGE_SIZE - 5
    assert not response.context["has_next"]
    _r, found = listed(client, page="junk")
    assert found


def test_list_query_count_does_not_grow_with_rows(client, county, django_assert_max_num_queries):
    login(client, county, "county")
    with django_assert_max_num_queries(8):
        client.get(reverse("members:list"))


def test_member_page_404_outside_subtree(client, county):
    login(client, county, "branch_a1")
    other = county.members["TB01"][0]
    for url in (
        reverse("members:detail", args=[other.pk]),
        reverse("members:edit", args=[other.pk]),
        reverse("members:move", args=[other.pk]),
        reverse("members:remove", args=[other.pk]),
        reverse("members:create", args=["TB01"]),
        reverse("members:detail", args=[999999]),
    ):
        assert client.get(url).status_code == 404, url


def test_id_number_masked_for_branch_secretary_full_for_county_admin(client, county):
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert member.id_number not in html
    assert member.id_number[:6] + "************" in html
    assert member.id_number[-4:] not in html
    assert member.phone not in html
    client.force_login(county.users["county"])
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert member.id_number in html and member.phone in html


def test_member_sees_own_page_only(client, county):
    login(client, county, "member_a1")
    own = county.members["TA01"][0]
    html = client.get(reverse("members:detail", args=[own.pk])).content.decode()
    assert own.id_number in html
    assert (
        client.get(reverse("members:detail", args=[county.members["TA01"][1].pk])).status_code
        == 404
    )
    _r, found = listed(client)
    assert found == {own.pk}


def form_data(**overrides):
    data = member_data(**overrides)
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    data["tags"] = "双强，致富能手"
    return data


def test_create_member(client, county):
    login(client, county, "branch_a1")
    url = reverse("members:create", args=["TA01"])
    assert client.get(url).status_code == 200
    data = form_data(name="李四")
    response = client.post(url, data)
    assert response.status_code == 302
    member = Member.objects.get(name="李四")
    assert member.organization == county.village_a1
    assert sorted(member.tags.values_list("name", flat=True)) == ["双强", "致富能手"]
    html = client.get(response["Location"]).content.decode()
    assert "致富能手" in html


def test_create_member_errors_are_shown_and_nothing_saved(client, county):
    login(client, county, "branch_a1")
    url = reverse("members:create", args=["TA01"])
    data = form_data(name="张三")
    bad_id = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    response = client.post(url, {**data, "id_number": bad_id})
    assert response.status_code == 200
    assert "校验位" in " ".join(response.context["form"].errors["id_number"])
    assert "校验位" in response.content.decode()
    response = client.post(url, {**data, "full_on": ""})
    assert "转正日期" in " ".join(response.context["form"].errors["full_on"])
    response = client.post(url, {**data, "phone": "12"})
    assert response.context["form"].errors["phone"]
    assert not Member.objects.filter(name="张三").exists()
    # A committee does not hold members directly.
    client.force_login(county.users["town_a"])
    response = client.post(reverse("members:create", args=["TA"]), data)
    assert response.status_code == 200
    assert "党支部" in " ".join(response.context["form"].non_field_errors())
    assert not Member.objects.filter(name="张三").exists()


def test_edit_member_keeps_masked_id_when_left_blank(client, county):
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    url = reverse("members:edit", args=[member.pk])
    form = client.get(url).context["form"]
    assert form.initial["id_number"] == ""
    data = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in form.initial.items()
        if v not in (None, False)
    }
    data["category"] = "retired"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert member.category == "retired"
    data["version"] = version_of(member)
    response = client.post(url, {**data, "joined_on": "2099-01-01"})
    assert response.context["form"].errors["joined_on"]


def test_a_second_editor_is_told_and_overwrites_nothing(client, county):
    """Two people open the same member; the first saves; the second's save is refused with a
    message, and the first one's change stays."""
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    url = reverse("members:edit", args=[member.pk])
    opened = client.get(url).context["form"].initial
    data = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in opened.items()
        if v not in (None, False)
    }
    assert client.post(url, {**data, "posts": "第一位的修改"}).status_code == 302
    response = client.post(url, {**data, "posts": "第二位的修改"})
    assert response.status_code == 200
    assert "已被修改" in " ".join(response.context["form"].non_field_errors())
    member.refresh_from_db()
    assert member.posts == "第一位的修改"


def test_move_member(client, county):
    member = county.members["TA01"][1]
    login(client, county, "town_a")
    url = reverse("members:move", args=[member.pk])
    response = client.post(url, {"organization": "TB01", "moved_on": "2026-01-01", "reason": "x"})
    assert "不存在，或不在您的管辖范围内" in " ".join(
        response.context["form"].errors["organization"]
    )
    response = client.post(url, {"organization": "TA", "moved_on": "2026-01-01"})
    assert response.context["form"].errors["organization"]
    response = client.post(
        url, {"organization": "ta02", "moved_on": "2026-01-01", "reason": "搬家"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == county.village_a2
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "搬家" in html and "甲一村党支部" in html
    assert MemberMove.objects.filter(member=member).count() == 1


def test_branch_secretary_cannot_move_member_out_of_branch(client, county):
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    response = client.post(
        reverse("members:move", args=[member.pk]),
        {"organization": "TA02", "moved_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    member.refresh_from_db()
    assert member.organization == county.village_a1


def test_remove_member(client, county):
    member = county.members["TA01"][1]
    login(client, county, "branch_a1")
    url = reverse("members:remove", args=[member.pk])
    response = client.post(url, {"removed_on": "2026-02-01", "removed_reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["removed_reason"]
    response = client.post(url, {"removed_on": "2026-02-01", "removed_reason": "去世"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.removed_on == datetime.date(2026, 2, 1)
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "去世" in html
    assert client.get(url).status_code == 403


def test_offices_are_listed_on_member_page(client, county):
    member = county.members["TA01"][1]
    org_services.appoint_officer(
        county.village_a1, member, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    login(client, county, "county")
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "书记" in html and "2024-01-01" in html


def test_export_link_keeps_the_filters(client, county):
    login(client, county, "county")
    response = client.get(reverse("members:list"), {"q": "党员", "status": "full", "page": "2"})
    html = response.content.decode()
    export = reverse("reports:export", args=["members"])
    assert f'href="{export}?q=%E5%85%9A%E5%91%98&amp;status=full"' in html
