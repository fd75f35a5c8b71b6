"""Exports: the template's columns, the user's subtree only, masking, and the round trip."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role, RoleName
from dangjian.core.models import AuditEvent
from dangjian.members import services as member_services
from dangjian.members.models import Member, MemberMove, Tag
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.reports import io as ledger_io
from dangjian.reports.tests.test_import import MEMBER_HEADERS, ORG_HEADERS, rollups
from dangjian.rollups import services as rollup_services
from dangjian.rollups.models import Rollup
from dangjian.testing import run_jobs

pytestmark = pytest.mark.django_db


def export(client, kind, **params):
    response = client.get(reverse("reports:export", args=[kind]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def sheet_rows(content):
    wb = load_workbook(io.BytesIO(content))
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    return wb, rows[0], rows[1:]


def by_header(header, rows, name):
    i = header.index(name)
    return [r[i] for r in rows]


def member_tuple(m):
    return (
        m.name,
        m.gender,
        m.ethnicity,
        m.birth_date,
        m.education,
        m.id_number,
        m.phone,
        m.joined_on,
        m.full_on,
        m.status,
        m.category,
        m.is_mobile,
        m.organization.code,
        m.posts,
        tuple(sorted(m.tags.values_list("name", flat=True))),
    )


def enrich(county):
    """Give the county's members the variety a round trip must carry."""
    a, b, c = county.members["TA01"]
    member_services.update(a, tags=["双强", "致富能手"], posts="党员示范岗", is_mobile=True)
    member_services.update(
        b, status="probationary", full_on=None, category="student", ethnicity="回族", phone=""
    )
    member_services.update(c, education="university")


def test_member_export_has_the_template_columns_and_every_visible_member(client, county):
    enrich(county)
    client.force_login(county.users["county"])
    wb, header, rows = sheet_rows(export(client, "members"))
    # The template's columns, then the organization's name for the reader.
    assert header == [*MEMBER_HEADERS, "所在党组织名称（仅供查看，导入时不读）"]
    assert len(rows) == 9
    assert set(by_header(header, rows, "身份证号")) == set(
        Member.objects.values_list("id_number", flat=True)
    )
    first = rows[by_header(header, rows, "姓名").index(county.members["TA01"][0].name)]
    assert first[header.index("标签")] == "双强、致富能手"
    assert first[header.index("流动党员")] == "是"
    assert first[header.index("性别")] in ("男", "女")
    assert first[header.index("人员类别")] == "农牧渔民"
    assert first[header.index("所在组织编码")] == "TA01"
    assert first[-1] == "甲一村党支部"
    assert isinstance(first[header.index("出生日期")], datetime.datetime)
    assert "说明" in wb.sheetnames and "填写说明" in wb.sheetnames
    assert not any("脱敏" in (r[0] or "") for r in wb["说明"].iter_rows(values_only=True))


def test_member_export_uses_the_list_filters(client, county):
    enrich(county)
    client.force_login(county.users["county"])
    _wb, header, rows = sheet_rows(export(client, "members", status="probationary"))
    assert by_header(header, rows, "姓名") == [county.members["TA01"][1].name]
    _wb, header, rows = sheet_rows(export(client, "members", org="TB01"))
    assert set(by_header(header, rows, "所在组织编码")) == {"TB01"}
    _wb, header, rows = sheet_rows(export(client, "members", tag="双强"))
    assert len(rows) == 1


def test_a_branch_secretary_exports_only_their_branch_masked(client, county):
    client.force_login(county.users["branch_a1"])
    wb, header, rows = sheet_rows(export(client, "members"))
    own = {m.id_number for m in county.members["TA01"]}
    assert set(by_header(header, rows, "所在组织编码")) == {"TA01"}
    assert len(rows) == 3
    exported = by_header(header, rows, "身份证号")
    assert all("*" in i for i in exported)
    assert {i[:6] for i in exported} == {i[:6] for i in own}
    assert "脱敏" in wb.sheetnames[0]
    notes = " ".join(r[0] or "" for r in wb["说明"].iter_rows(values_only=True))
    assert "脱敏导出的文件不能重新导入" in notes
    # Asking for another branch gives nothing, not the other branch.
    _wb, _header, rows = sheet_rows(export(client, "members", org="TB01"))
    assert rows == []
    # A masked export is refused by the importer, with the reason.
    result = ledger_io.import_file(
        io.BytesIO(export(client, "members")),
        "members",
        actor=county.users["county"],
        organization=county.root,
    )
    # (Each row also says its birth date, a year only when masked, is not a date.)
    assert any("身份证号已脱敏（含*），脱敏导出的文件不能重新导入" in m for m in result.messages())


def test_a_member_sees_their_own_full_id_number_only(client, county):
    client.force_login(county.users["member_a1"])
    _wb, header, rows = sheet_rows(export(client, "members"))
    assert by_header(header, rows, "身份证号") == [county.members["TA01"][0].id_number]


def test_organization_export_is_the_subtree_in_parent_order(client, county):
    org_services.dissolve(county.group_a1, reason="并入支部")
    client.force_login(county.users["town_a"])
    _wb, header, rows = sheet_rows(export(client, "organizations"))
    assert header == ORG_HEADERS
    assert [(r[0], r[2]) for r in rows] == [("TA", "T"), ("TA01", "TA"), ("TA02", "TA")]
    assert rows[1][header.index("组织类别")] == "党支部"
    assert rows[1][header.index("领域")] == "农村"
    assert rows[1][header.index("层级")] == "村"
    _wb, header, rows = sheet_rows(export(client, "organizations", org="TA01"))
    assert [r[0] for r in rows] == ["TA01"]
    response = client.get(reverse("reports:export", args=["organizations"]), {"org": "TB"})
    assert response.status_code == 404


def wipe():
    """An empty database (the tables an export touches)."""
    Role.objects.all().delete()
    MemberMove.objects.all().delete()
    Member.tags.through.objects.all().delete()
    Member.objects.all().delete()
    Tag.objects.all().delete()
    AuditEvent.objects.all().delete()
    Rollup.objects.all().delete()
    Organization.objects.all().delete()


def test_round_trip_into_an_empty_database(client, county):
    enrich(county)
    client.force_login(county.users["county"])
    org_file = export(client, "organizations")
    member_file = export(client, "members")
    orgs_before = list(
        Organization.objects.values_list("code", "name", "kind", "sector", "level", "depth")
    )
    members_before = sorted(member_tuple(m) for m in Member.objects.all())
    figures_before = rollup_services.figures(county.root)
    wipe()
    assert Organization.objects.count() == 0
    result = ledger_io.import_file(io.BytesIO(org_file), "organizations")
    assert result.ok, result.messages()
    result = ledger_io.import_file(io.BytesIO(member_file), "members")
    assert result.ok, result.messages()
    assert (
        list(Organization.objects.values_list("code", "name", "kind", "sector", "level", "depth"))
        == orgs_before
    )
    assert sorted(member_tuple(m) for m in Member.objects.all()) == members_before
    assert rollup_services.figures(Organization.objects.get(code="T")) == figures_before
    incremental = rollups()
    rollup_services.rebuild()
    assert rollups() == incremental


def test_round_trip_into_a_fresh_subtree_through_the_pages(client, county):
    enrich(county)
    admin = county.users["county"]
    client.force_login(admin)
    org_file = export(client, "organizations", org="TA")
    member_file = export(client, "members", org="TA")
    members_before = sorted(
        member_tuple(m)
        for m in Member.objects.filter(organization__path__startswith=county.town_a.path)
    )
    wipe()
    root = org_services.create_root(code="T", name="中共新建县委", kind="committee")
    Role.objects.create(user=admin, organization=root, name=RoleName.COUNTY_ADMIN)
    client.force_login(admin)
    for kind, content in (("organizations", org_file), ("members", member_file)):
        upload = io.BytesIO(content)
        upload.name = f"{kind}.xlsx"
        response = client.post(reverse("reports:import", args=[kind]), {"org": "T", "file": upload})
        run_jobs()  # the import runs as a background job; its page shows the outcome
        page = client.get(response["Location"]).content.decode()
        assert "导入成功" in page, page
    assert sorted(member_tuple(m) for m in Member.objects.all()) == members_before
    assert [o.code for o in Organization.objects.all()] == ["T", "TA", "TA01", "TA0101", "TA02"]
    assert rollup_services.figures(root)["members"] == 6
    incremental = rollups()
    rollup_services.rebuild()
    assert rollups() == incremental


def test_export_of_many_members_streams_in_chunks(client, county, django_assert_max_num_queries):
    """The query count does not grow with the number of members (select/prefetch in chunks)."""
    import datetime as dt

    from dangjian.members.rules import make_id_number

    items = []
    for i in range(300):
        birth = dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 28)
        items.append(
            (
                county.village_a2,
                {
                    "name": f"批量{i}",
                    "gender": "m",
                    "birth_date": birth,
                    "education": "junior",
                    "id_number": make_id_number("419900", birth, i % 500, "m"),
                    "joined_on": dt.date(birth.year + 25, 7, 1),
                    "full_on": dt.date(birth.year + 26, 7, 1),
                    "status": "full",
                    "category": "rural",
                },
                ["双强"],
            )
        )
    member_services.bulk_create(items)
    client.force_login(county.users["county"])
    with django_assert_max_num_queries(12):
        _wb, _header, rows = sheet_rows(export(client, "members"))
    assert len(rows) == 309
