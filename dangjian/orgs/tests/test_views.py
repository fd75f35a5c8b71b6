"""Organization pages: rendering, scoping (404 outside the subtree), forms and their errors."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.members.rules import AGE_BANDS_10, age_band_counts
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups.services import figures

pytestmark = pytest.mark.django_db


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def test_home_redirects_to_home_organization(client, county):
    login(client, county, "town_a")
    response = client.get(reverse("orgs:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=["TA"])


def test_home_without_role_is_a_friendly_page(client, county):
    login(client, county, "nobody")
    response = client.get(reverse("orgs:home"))
    assert response.status_code == 200
    assert "还没有分配党组织" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, county):
    response = client.get(reverse("orgs:detail", args=["T"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_org_page_shows_rolled_up_figures_and_children(client, county):
    login(client, county, "county")
    response = client.get(reverse("orgs:detail", args=["T"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中共测试县委" in html
    assert "基层党委" in html and "县（区）" in html
    # 9 members in the county, 6 under 甲镇 (the children table) and 3 under 乙镇.
    stats = response.context["total"], response.context["full"], response.context["org_total"]
    assert stats == (9, 9, 7)
    # The Party's own statistics: grassroots organizations leave out the root and groups.
    assert (response.context["grassroots_total"], response.context["group_total"]) == (5, 1)
    assert "基层党组织" in html
    children = {c.code: (c.member_count, c.org_count) for c in response.context["children"]}
    assert children == {"TA": (6, 4), "TB": (3, 2)}
    assert "甲镇党委" in html and "乙镇党委" in html
    # Chart data for the category pie is on the page for ECharts, tables are there without it.
    assert 'id="chart-category"' in html
    assert "农牧渔民" in html
    # Under the hashed names of the manifest, cached for a year (dangjian/core/tests/test_static.py).
    assert re.search(r"/static/vendor/echarts\.min\.[0-9a-f]{12}\.js", html)
    assert re.search(r"/static/vendor/htmx\.min\.[0-9a-f]{12}\.js", html)
    # No asset from another host (a CDN): every script and stylesheet is served by us.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_age_bands_come_from_birth_years():
    figs = {
        "members": 4,
        "members.birth_year.2000": 1,
        "members.birth_year.1990": 2,
        "members.birth_year.1950": 1,
    }
    rows = dict(age_band_counts(figs, 2026))
    assert rows["26–30岁"] == 1
    assert rows["36–40岁"] == 2
    assert rows["76–80岁"] == 1
    assert sum(rows.values()) == 4
    rows = dict(age_band_counts(figs, 2026, AGE_BANDS_10))
    assert (rows["≤30岁"], rows["31–40岁"], rows["71岁以上"]) == (1, 2, 1)


def test_breadcrumb_shows_only_visible_ancestors(client, county):
    login(client, county, "branch_a1")
    response = client.get(reverse("orgs:detail", args=["TA0101"]))
    assert response.status_code == 200
    assert [a.code for a in response.context["ancestors"]] == ["TA01"]
    html = response.content.decode()
    assert "甲镇党委" not in html.split('class="crumbs"')[1].split("</nav>")[0]


def test_branch_secretary_gets_404_for_other_branch(client, county):
    login(client, county, "branch_a1")
    for url in (
        reverse("orgs:detail", args=["TB01"]),
        reverse("orgs:children", args=["TB"]),
        reverse("orgs:detail", args=["TA"]),
        reverse("orgs:edit", args=["TB01"]),
        reverse("orgs:add_child", args=["TB01"]),
    ):
        assert client.get(url).status_code == 404, url


def test_children_fragment_lists_visible_children_with_counts_in_few_queries(client, county):
    login(client, county, "county")
    url = reverse("orgs:children", args=["TA"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲一村党支部" in html and "甲二村党支部" in html and "乙一村" not in html
    assert "3人" in html
    # Children that have children load theirs on demand.
    assert f'hx-get="{reverse("orgs:children", args=["TA01"])}"' in html
    assert "<html" not in html
    # session + user + roles + org + children + one roll-up query: no query per child.
    few = len(queries)
    for i in range(5):
        org_services.create_child(
            county.town_a, code=f"TA9{i}", name=f"新村{i}党支部", kind="branch"
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HX_REQUEST="true")
    assert len(queries) == few


def test_dissolved_organization_is_marked(client, county):
    org_services.dissolve(county.group_a1, on=datetime.date(2025, 3, 1), reason="合并到村支部")
    login(client, county, "county")
    html = client.get(reverse("orgs:detail", args=["TA0101"])).content.decode()
    assert "2025-03-01" in html and "合并到村支部" in html
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert "已撤销" in html


def test_add_child_saves_and_shows_errors(client, county):
    login(client, county, "town_a")
    url = reverse("orgs:add_child", args=["TA"])
    assert client.get(url).status_code == 200
    data = {
        "code": "TA03",
        "name": "甲三村党支部",
        "kind": "branch",
        "sector": "rural",
        "level": "village",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    new = Organization.objects.get(code="TA03")
    assert new.parent().code == "TA"
    assert figures(county.town_a)["organizations"] == 5
    # A duplicate code: the service's message next to the code field, nothing saved.
    response = client.post(url, {**data, "name": "重复"})
    assert response.status_code == 200
    assert "已被使用" in " ".join(response.context["form"].errors["code"])
    assert not Organization.objects.filter(name="重复").exists()
    # A group cannot sit under a committee? It can't hold a committee: rule error on kind.
    response = client.post(
        reverse("orgs:add_child", args=["TA0101"]), {**data, "code": "X1", "kind": "committee"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Organization.objects.filter(code="X1").exists()


def test_edit_move_dissolve_need_a_role_above(client, county):
    login(client, county, "branch_a1")
    # A branch secretary can see but not restructure the branch that grants their role.
    assert client.get(reverse("orgs:edit", args=["TA01"])).status_code == 403
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert reverse("orgs:edit", args=["TA01"]) not in html
    assert reverse("orgs:add_child", args=["TA01"]) in html


def test_edit_renames(client, county):
    login(client, county, "town_a")
    url = reverse("orgs:edit", args=["TA01"])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["name"] = "甲一社区党支部"
    assert client.post(url, data).status_code == 302
    county.village_a1.refresh_from_db()
    assert county.village_a1.name == "甲一社区党支部"
    assert AuditEvent.objects.filter(action="update", target_id=str(county.village_a1.pk)).exists()
    response = client.post(url, {**data, "name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_an_organization_edited_by_two_keeps_the_first_save(client, county):
    login(client, county, "town_a")
    url = reverse("orgs:edit", args=["TA01"])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    assert client.post(url, {**data, "phone": "0394-1111111"}).status_code == 302
    response = client.post(url, {**data, "address": "二号的改动"})
    assert "已被修改" in " ".join(response.context["form"].non_field_errors())
    county.village_a1.refresh_from_db()
    assert county.village_a1.phone == "0394-1111111" and county.village_a1.address != "二号的改动"


def test_move_by_code(client, county):
    login(client, county, "county")
    url = reverse("orgs:move", args=["TA02"])
    response = client.post(url, {"parent": "tb"})
    assert response.status_code == 302
    assert Organization.objects.get(code="TA02").parent().code == "TB"
    # Into its own subtree: refused with the rule's message on the field.
    response = client.post(reverse("orgs:move", args=["TA"]), {"parent": "TA01"})
    assert response.status_code == 200
    assert "下级" in " ".join(response.context["form"].errors["parent"])
    response = client.post(reverse("orgs:move", args=["TA01"]), {"parent": "NOPE"})
    assert "不存在，或不在您的管辖范围内" in " ".join(response.context["form"].errors["parent"])


def test_move_target_outside_subtree_is_not_found(client, county):
    login(client, county, "town_a")
    response = client.post(reverse("orgs:move", args=["TA01"]), {"parent": "TB"})
    assert response.status_code == 200
    assert "不存在，或不在您的管辖范围内" in " ".join(response.context["form"].errors["parent"])
    assert Organization.objects.get(code="TA01").parent().code == "TA"


def test_dissolve_needs_reason_and_an_empty_organization(client, county):
    login(client, county, "town_a")
    url = reverse("orgs:dissolve", args=["TA01"])
    response = client.post(url, {"dissolved_on": "2026-01-05", "reason": "撤并"})
    assert response.status_code == 200
    assert "下级组织" in " ".join(response.context["form"].errors["dissolved_on"])
    assert Organization.objects.get(code="TA01").dissolved_on is None
    response = client.post(
        reverse("orgs:dissolve", args=["TA0101"]), {"dissolved_on": "2026-01-05"}
    )
    assert response.context["form"].errors["reason"]
    response = client.post(
        reverse("orgs:dissolve", args=["TA0101"]), {"dissolved_on": "2026-01-05", "reason": "撤并"}
    )
    assert response.status_code == 302
    assert Organization.objects.get(code="TA0101").dissolved_on == datetime.date(2026, 1, 5)


def test_appoint_officer(client, county):
    login(client, county, "branch_a1")
    member = county.members["TA01"][1]
    url = reverse("members:appoint", args=["TA01"])
    response = client.post(
        url,
        {
            "member": member.name,
            "role": "secretary",
            "term_start": "2024-01-01",
            "term_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert Officer.objects.get(organization=county.village_a1).member == member
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    assert member.name in html and "书记" in html
    # A member of another branch is not found; a term ending before it starts is refused.
    other = county.members["TB01"][0]
    response = client.post(
        url, {"member": other.id_number, "role": "member", "term_start": "2024-01-01"}
    )
    assert response.context["form"].errors["member"]
    response = client.post(
        url,
        {
            "member": member.name,
            "role": "member",
            "term_start": "2024-01-01",
            "term_end": "2023-01-01",
        },
    )
    assert response.context["form"].errors["term_end"]
    assert Officer.objects.count() == 1


def test_chart_data_is_converted_to_traditional_with_the_page(client, county):
    login(client, county, "county")
    client.post(reverse("set_language"), {"language": "zh-hant"})
    html = client.get(reverse("orgs:detail", args=["T"])).content.decode()
    script = html.split('id="chart-category"')[1].split("</script>")[0]
    assert "農牧漁民" in script


def test_json_data_escapes_markup():
    from dangjian.core.templatetags.dangjian_ui import json_data

    out = str(json_data([{"name": "</script><b>&"}], "x"))
    assert out.count("</script>") == 1
    assert "\\u003C/script\\u003E" in out and "\\u0026" in out


def test_org_page_links_to_export_and_import_of_its_subtree(client, county):
    login(client, county, "town_a")
    html = client.get(reverse("orgs:detail", args=["TA"])).content.decode()
    assert reverse("reports:export", args=["organizations"]) + "?org=TA" in html
    assert reverse("reports:export", args=["members"]) + "?org=TA" in html
    assert reverse("reports:import", args=["members"]) + "?org=TA" in html


def test_add_child_names_every_service_error_at_once(client, county):
    """A taken code, a kind the parent cannot hold and a control character in the name come
    back together, each beside its field, in one submit (and in one API 422)."""
    login(client, county, "town_a")
    data = {
        "code": "TA01",  # taken
        "name": "甲\u202e村",
        "kind": "committee",  # a branch cannot hold a committee
        "sector": "rural",
        "level": "village",
    }
    response = client.post(reverse("orgs:add_child", args=["TA01"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"code", "name", "kind"}
    assert "已被使用" in errors["code"][0]
    assert "不能设" in errors["kind"][0]
    assert "不可见" in errors["name"][0]
    assert not Organization.objects.filter(name__startswith="甲\u202e").exists()
