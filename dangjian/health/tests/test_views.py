"""Organization-health pages: setup flags, election board and form, coverage board and the
unit form; scoping (404 outside the subtree), errors beside fields, scoped exports."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.health import services as health
from dangjian.health.models import Election, Unit
from dangjian.members import services as members
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Officer
from dangjian.testing import add_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def login(client, county, name):
    client.force_login(county.users[name])
    return client


def sheet_rows(response):
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "name",
    ["health:setup", "health:elections", "health:coverage"],
)
def test_boards_render_in_scope_and_404_outside(client, county, name):
    login(client, county, "town_a")
    assert client.get(reverse(name, args=["TA"])).status_code == 200
    assert client.get(reverse(name, args=["TB"])).status_code == 404
    assert client.get(reverse(name + "_export", args=["TB"])).status_code == 404


def test_setup_flags_with_links_and_export(client, county):
    members.remove(county.members["TA02"][0], reason="去世")
    members.remove(county.members["TB01"][0], reason="去世")
    login(client, county, "town_a")
    response = client.get(reverse("health:setup", args=["TA"]))
    flags = response.context["flags"]
    assert [(f["organization"].code, f["code"]) for f in flags] == [("TA02", "branch_too_small")]
    html = response.content.decode()
    assert "联合党支部" in html
    assert reverse("orgs:edit", args=["TA02"]) in html
    assert reverse("orgs:move", args=["TA02"]) in html
    rows = sheet_rows(client.get(reverse("health:setup_export", args=["TA"])))
    assert rows[0][:3] == ["所属下级组织", "党组织", "组织编码"]
    assert [r[2] for r in rows[1:-1]] == ["TA02"]
    assert rows[1][0] == "甲二村党支部" and rows[-1][0] == "合计（1行）"


def set_term(org, started):
    org.term_started_on = started
    org.save(update_fields=["term_started_on"])


def test_election_board_lists_due_overdue_unknown(client, county):
    set_term(county.village_a1, TODAY.replace(year=TODAY.year - 6))  # village: 5 years
    set_term(county.village_a2, TODAY.replace(year=TODAY.year - 5) + datetime.timedelta(days=30))
    set_term(county.village_b1, TODAY.replace(year=TODAY.year - 6))
    set_term(county.town_a, TODAY.replace(year=TODAY.year - 1))
    login(client, county, "town_a")
    response = client.get(reverse("health:elections", args=["TA"]))
    status = {r["organization"].code: r["status"] for r in response.context["rows"]}
    assert status == {"TA01": "overdue", "TA02": "due"}
    response = client.get(reverse("health:elections", args=["TA"]) + "?status=all")
    assert {r["organization"].code for r in response.context["rows"]} == {"TA", "TA01", "TA02"}
    rows = sheet_rows(client.get(reverse("health:elections_export", args=["TA"])))
    assert [(r[2], r[7]) for r in rows[1:-1]] == [("TA01", "已超期"), ("TA02", "6个月内到期")]
    assert rows[-1][0] == "合计（2行）"


def election_post(county, **overrides):
    # 7 full members: a branch committee (3–5 seats) is elected.
    m = [add_member(county.village_a2) for _ in range(4)] + county.members["TA02"]
    data = {
        "held_on": TODAY.isoformat(),
        "seats": "3",
        "voters": "5",
        "present": "5",
        "cand_1": m[0].name,
        "votes_1": "5",
        "cand_2": m[1].name,
        "votes_2": "4",
        "cand_3": m[2].name,
        "votes_3": "4",
        "cand_4": m[3].name,
        "votes_4": "1",
        "secretary": m[0].name,
        "deputy": m[1].name,
    }
    data.update(overrides)
    return data, m


def test_record_election_starts_the_new_term(client, county):
    data, m = election_post(county)
    login(client, county, "town_a")
    response = client.post(reverse("health:election_new", args=["TA02"]), data)
    assert response.status_code == 302
    election = Election.objects.get()
    assert election.candidates == 4 and election.present == 5
    county.village_a2.refresh_from_db()
    assert county.village_a2.term_started_on == TODAY
    roles = dict(Officer.objects.current().values_list("member_id", "role"))
    assert roles == {m[0].pk: "secretary", m[1].pk: "deputy_secretary", m[2].pk: "member"}


@pytest.mark.parametrize(
    "overrides, where, text",
    [
        ({"present": "4"}, "present", "五分之四"),
        ({"cand_4": "", "votes_4": ""}, "candidates", "120%"),
        ({"votes_2": "many"}, "candidates", "得票数应为"),
        ({"secretary": "不存在的人"}, "secretary", "没有名为"),
        ({"held_on": (TODAY + datetime.timedelta(days=2)).isoformat()}, "held_on", "晚于今天"),
    ],
)
def test_bad_election_shows_errors_and_saves_nothing(client, county, overrides, where, text):
    data, _m = election_post(county, **overrides)
    login(client, county, "town_a")
    response = client.post(reverse("health:election_new", args=["TA02"]), data)
    assert response.status_code == 200
    if where == "candidates":
        messages = response.context["candidate_errors"]
    else:
        messages = response.context["form"].errors[where]
    assert text in " ".join(messages)
    assert not Election.objects.exists() and not Officer.objects.exists()


def test_election_form_refuses_committee_seats_under_seven_full_members(client, county):
    data, m = election_post(county)
    for member in m[5:]:
        members.remove(member, reason="去世")  # 5 full members left
    login(client, county, "town_a")
    response = client.post(reverse("health:election_new", args=["TA02"]), data)
    assert response.status_code == 200
    assert "只选举书记" in " ".join(response.context["form"].errors["seats"])
    assert not Election.objects.exists()


def test_approve_setup_exception_from_the_setup_page(client, county):
    for _ in range(50):
        add_member(county.village_a1)
    login(client, county, "town_a")
    url = reverse("health:setup_approve", args=["TA01", "branch_too_large"])
    assert url in client.get(reverse("health:setup", args=["TA"])).content.decode()
    response = client.post(url, {"approved_on": TODAY.isoformat(), "reason": "集中居住"})
    assert response.status_code == 302
    html = client.get(reverse("health:setup", args=["TA"])).content.decode()
    assert "已批准" in html and "集中居住" in html and url not in html
    # The export says the same: approved, by whom and why, and no suggested change.
    rows = sheet_rows(client.get(reverse("health:setup_export", args=["TA"])))
    header, row = rows[0], next(r for r in rows if r[2] == "TA01")
    approval = row[header.index("上级批准的例外")]
    assert "已批准" in approval and "甲镇党委" in approval and "集中居住" in approval
    assert not row[header.index("建议")]
    login(client, county, "branch_a1")
    assert client.post(url, {"approved_on": TODAY.isoformat(), "reason": "x"}).status_code == 403


def test_election_form_outside_scope(client, county):
    login(client, county, "town_a")
    assert client.get(reverse("health:election_new", args=["TB01"])).status_code == 404
    login(client, county, "member_a1")
    assert client.get(reverse("health:election_new", args=["TA01"])).status_code == 403


def test_coverage_board_register_unit_and_export(client, county):
    joint = org_services.create_child(
        county.town_a, code="TAJ", name="甲镇非公企业联合党支部", kind="joint_branch"
    )
    health.save_unit(county.town_b, name="乙镇中学", sector="school", coverage="none")
    login(client, county, "town_a")
    url = reverse("health:unit_new", args=["TA"])
    data = {
        "name": "甲镇机械厂",
        "sector": "private_enterprise",
        "employees": "40",
        "full_members": "2",
        "coverage": "joint",
        "covering_organization": "",
        "instructor": "",
    }
    response = client.post(url, data)
    assert "请选择覆盖的党组织" in response.context["form"].errors["covering_organization"][0]
    response = client.post(url, data | {"covering_organization": "TB01"})
    assert "不在您的管辖范围内" in response.context["form"].errors["covering_organization"][0]
    response = client.post(url, data | {"covering_organization": "TA01"})
    assert "联合党支部" in response.context["form"].errors["covering_organization"][0]
    response = client.post(url, data | {"name": ""})
    assert "请填写单位名称" in response.context["form"].errors["name"][0]
    assert Unit.objects.count() == 1
    assert client.post(url, data | {"covering_organization": joint.code}).status_code == 302
    client.post(
        url,
        data
        | {
            "name": "甲镇小学",
            "sector": "school",
            "coverage": "instructor",
            "instructor": "王老师",
        },
    )
    response = client.get(reverse("health:coverage", args=["TA"]))
    by_sector = {r["sector"]: r for r in response.context["rows"]}
    assert by_sector["private_enterprise"]["rate_text"] == "100.0%"
    assert by_sector["school"]["instructor"] == 1 and by_sector["school"]["rate_text"] == "0.0%"
    assert response.context["instructors"] == 1
    assert {u.name for u in response.context["units"]} == {"甲镇机械厂", "甲镇小学"}
    rows = sheet_rows(client.get(reverse("health:coverage_export", args=["TA"])))
    assert rows[0][:4] == ["所属下级组织", "单位名称", "领域", "所在地区党组织"]
    assert sorted(r[1] for r in rows[1:-1]) == ["甲镇小学", "甲镇机械厂"]
    assert rows[-1][0] == "合计（2行）"
    # Editing an outsider's unit through this subtree is a 404.
    outsider = Unit.objects.get(name="乙镇中学")
    assert client.get(reverse("health:unit_edit", args=["TA", outsider.pk])).status_code == 404
    unit = Unit.objects.get(name="甲镇小学")
    edit = reverse("health:unit_edit", args=["TA", unit.pk])
    assert client.get(edit).context["form"].initial["instructor"] == "王老师"
    client.post(edit, data | {"name": "甲镇小学", "sector": "school", "coverage": "none"})
    unit.refresh_from_db()
    assert unit.coverage == "none"


def test_org_page_links_to_life_and_health(client, county):
    login(client, county, "branch_a1")
    html = client.get(reverse("orgs:detail", args=["TA01"])).content.decode()
    for url in (
        reverse("life:meeting_new", args=["TA01"]),
        reverse("life:calendar", args=["TA01"]),
        reverse("health:elections", args=["TA01"]),
        reverse("health:coverage", args=["TA01"]),
    ):
        assert url in html


def test_the_level_above_extends_a_term_from_the_election_board(client, county):
    county.village_a2.term_started_on = datetime.date(2021, 12, 1)  # due 2026-12-01
    county.village_a2.save()
    login(client, county, "town_a")
    url = reverse("health:term_change", args=["TA02"])
    assert (
        url in client.get(reverse("health:elections", args=["TA"]) + "?status=all").content.decode()
    )
    response = client.post(url, {"months": "13", "approved_on": TODAY.isoformat(), "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["months"]
    response = client.post(
        url, {"months": "6", "approved_on": TODAY.isoformat(), "reason": "村两委换届统一安排"}
    )
    assert response.status_code == 302
    html = client.get(reverse("health:elections", args=["TA"]) + "?status=all").content.decode()
    assert "2027-06-01" in html
    # The branch itself may not extend its own term.
    login(client, county, "branch_a1")
    assert client.post(
        url, {"months": "6", "approved_on": TODAY.isoformat(), "reason": "x"}
    ).status_code in (403, 404)


def test_health_exports_a_township_can_file(client, county):
    """Setup flags, elections and coverage exported by the county: 所属乡镇（街道） column, a
    合计 row (the units' counts summed) and, with ?by=level, a sheet per township."""
    members.remove(county.members["TA02"][0], reason="去世")
    members.remove(county.members["TB01"][0], reason="去世")
    set_term(county.village_a1, TODAY.replace(year=TODAY.year - 6))
    set_term(county.village_b1, TODAY.replace(year=TODAY.year - 6))
    for area, name, employees, full in (
        (county.village_a1, "甲镇机械厂", 40, 3),
        (county.village_a2, "甲镇小学", 30, 2),
        (county.village_b1, "乙镇中学", 50, 4),
    ):
        Unit.objects.create(
            area=area,
            name=name,
            sector="school",
            employees=employees,
            full_members=full,
            coverage="none",
        )
    login(client, county, "county")
    rows = sheet_rows(client.get(reverse("health:coverage_export", args=["T"])))
    assert rows[0][0] == "所属乡镇（街道）"
    assert sorted((r[0], r[1]) for r in rows[1:-1]) == [
        ("乙镇党委", "乙镇中学"),
        ("甲镇党委", "甲镇小学"),
        ("甲镇党委", "甲镇机械厂"),
    ]
    assert rows[-1][0] == "合计（3行）" and (rows[-1][4], rows[-1][5]) == (120, 9)
    for name in ("health:setup_export", "health:elections_export", "health:coverage_export"):
        response = client.get(reverse(name, args=["T"]), {"by": "level"})
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        assert wb.sheetnames[1:] == ["甲镇党委", "乙镇党委", "说明"], name
        town_b = [list(r) for r in wb["乙镇党委"].iter_rows(values_only=True)]
        assert {r[0] for r in town_b[1:-1]} == {"乙镇党委"}, name
        assert town_b[-1][0] == f"合计（{len(town_b) - 2}行）" and len(town_b) > 2, name
    town_a = [list(r) for r in wb["甲镇党委"].iter_rows(values_only=True)]
    assert (town_a[-1][4], town_a[-1][5]) == (70, 5)
    html = client.get(reverse("health:coverage", args=["T"])).content.decode()
    assert "by=level" in html
