"""The import page and the template download: login, scoping, messages on the page."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import Job
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.reports import xlsx
from dangjian.reports.tests.test_import import (
    MEMBER_HEADERS,
    member_row,
    state,
    workbook_file,
)
from dangjian.testing import run_jobs

pytestmark = pytest.mark.django_db


def upload(client, kind, org_code, file):
    return client.post(reverse("reports:import", args=[kind]), {"org": org_code, "file": file})


def imported(client, kind, org_code, file):
    """Upload, see the request send the user to the job's page, let the worker run the
    job, and return that page."""
    response = upload(client, kind, org_code, file)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.QUEUED
    run_jobs()
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def downloaded(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "reports:import"),
        ("post", "reports:import"),
        ("get", "reports:template"),
        ("get", "reports:export"),
    ],
)
def test_anonymous_users_are_sent_to_login(client, county, method, name):
    before = state()
    url = reverse(name, args=["members"])
    data = {"org": "TA01", "file": workbook_file(MEMBER_HEADERS, [member_row("TA01")])}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert state() == before


def test_unknown_kind_is_404(client, county):
    client.force_login(county.users["county"])
    assert client.get(reverse("reports:template", args=["dues"])).status_code == 404
    assert client.get(reverse("reports:import", args=["dues"])).status_code == 404
    assert client.get(reverse("reports:export", args=["dues"])).status_code == 404


@pytest.mark.parametrize("kind", xlsx.KINDS)
def test_template_has_header_example_instructions_and_dropdowns(client, county, kind):
    client.force_login(county.users["branch_a1"])
    wb = downloaded(client.get(reverse("reports:template", args=[kind])))
    assert wb.sheetnames == [xlsx.SHEET_TITLES[kind], "填写说明"]
    ws = wb.worksheets[0]
    columns = xlsx.COLUMNS[kind]
    assert [c.value for c in ws[1]] == [c.header for c in columns]
    assert ws.max_row == 2  # one example row
    instructions = [
        [c.value for c in row] for row in wb["填写说明"].iter_rows(max_row=len(columns) + 1)
    ]
    assert instructions[0] == ["列名", "是否必填", "可填写的值", "说明"]
    assert [r[0] for r in instructions[1:]] == [c.header for c in columns]
    choice_columns = [c for c in columns if c.cell_type == xlsx.CHOICE]
    for column in choice_columns:
        row = instructions[1 + columns.index(column)]
        assert row[2] == "、".join(column.labels.values())
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    for column in choice_columns:
        assert '"' + ",".join(column.labels.values()) + '"' in lists


def test_the_template_example_row_imports_once_its_organization_is_filled_in(client, county):
    client.force_login(county.users["branch_a1"])
    wb = downloaded(client.get(reverse("reports:template", args=["members"])))
    ws = wb.worksheets[0]
    ws.cell(row=2, column=MEMBER_HEADERS.index("所在组织编码") + 1, value="TA01")
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "filled.xlsx"
    response = imported(client, "members", "TA01", buffer)
    assert "导入成功：共导入 1 条党员记录。" in response.content.decode()
    member = Member.objects.get(name="张三")
    assert member.organization == county.village_a1
    assert sorted(member.tags.values_list("name", flat=True)) == ["双强", "致富能手"]


def test_the_organization_template_example_row_imports_under_a_real_parent(client, county):
    client.force_login(county.users["town_a"])
    wb = downloaded(client.get(reverse("reports:template", args=["organizations"])))
    ws = wb.worksheets[0]
    ws.cell(row=2, column=3, value="TA")  # 上级组织编码
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "filled.xlsx"
    response = imported(client, "organizations", "TA", buffer)
    assert "导入成功：共导入 1 条党组织记录。" in response.content.decode()
    org = Organization.objects.get(name="示例村党支部")
    assert (org.kind, org.sector, org.level) == ("branch", "rural", "village")
    assert org.parent() == county.town_a


def test_import_page_shows_the_organization_and_links(client, county):
    client.force_login(county.users["town_a"])
    response = client.get(reverse("reports:import", args=["members"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲镇党委" in page
    assert reverse("reports:template", args=["members"]) in page
    response = client.get(reverse("reports:import", args=["organizations"]), {"org": "TA01"})
    assert "甲一村党支部" in response.content.decode()


def test_a_good_upload_is_imported(client, county, settings):
    client.force_login(county.users["town_a"])
    file = workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TA02")])
    before = Member.objects.count()
    response = upload(client, "members", "TA", file)
    assert Member.objects.count() == before  # the request only queued the job
    job = Job.objects.get()
    assert (job.user, job.organization, job.kind) == (
        county.users["town_a"],
        county.town_a,
        "import",
    )
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "导入成功：共导入 2 条党员记录。" in page
    assert reverse("orgs:detail", args=["TA"]) in page
    assert Member.objects.count() == 11
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result["created"]) == (Job.DONE, 4, 4, 2)
    assert not list((settings.JOBS_UPLOAD_DIR).glob(f"*{job.pk}*"))


def test_a_bad_upload_lists_every_error_and_writes_nothing(client, county):
    client.force_login(county.users["town_a"])
    rows = [member_row("TA01"), member_row("TB01"), member_row("TA02")]
    id_number = rows[2][MEMBER_HEADERS.index("身份证号")]
    rows[2][MEMBER_HEADERS.index("身份证号")] = id_number[:-1] + (
        "1" if id_number[-1] != "1" else "2"
    )
    before = state()
    page = imported(client, "members", "TA", workbook_file(MEMBER_HEADERS, rows)).content
    page = page.decode()
    assert "文件有 2 处错误，未导入任何数据" in page
    assert "第3行“所在组织编码”：组织编码不存在或不在您的管辖范围内：TB01" in page
    assert "第4行“身份证号”：身份证号校验位不正确，请核对" in page
    assert f"{reverse('reports:import', args=['members'])}?org=TA" in page  # upload again
    assert state() == before
    assert Job.objects.get().status == Job.FAILED


def test_a_file_failing_while_written_writes_nothing_and_shows_why(client, county, monkeypatch):
    """A file that passes validation but fails while it is written (the members are
    inserted, then someone else's edit is found) leaves nothing behind."""
    from django.core.exceptions import ValidationError

    from dangjian.members import services as member_services

    real_bulk_create = member_services.bulk_create

    def write_then_refuse(items, **kwargs):
        real_bulk_create(items, **kwargs)
        assert Member.objects.count() == 11  # written, for now
        raise ValidationError("第2行：身份证号已被他人登记")

    monkeypatch.setattr(member_services, "bulk_create", write_then_refuse)
    client.force_login(county.users["town_a"])
    before = state()
    file = workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TA02")])
    page = imported(client, "members", "TA", file).content.decode()
    assert "第2行：身份证号已被他人登记" in page
    assert state() == before
    assert Job.objects.get().status == Job.FAILED


def test_a_non_xlsx_upload_is_refused(client, county):
    client.force_login(county.users["town_a"])
    file = io.BytesIO("姓名,身份证号\n".encode())
    file.name = "members.csv"
    before = state()
    response = upload(client, "members", "TA", file)
    assert "文件不是 Excel（.xlsx）文件" in response.content.decode()
    assert state() == before


def test_importing_into_an_organization_outside_the_subtree_is_refused(client, county):
    """The page of an outside organization is a 404; picking one as the target reads as an
    organization that does not exist, naming only what was typed; nothing is queued."""
    client.force_login(county.users["branch_a1"])
    before = state()
    assert (
        client.get(reverse("reports:import", args=["members"]), {"org": "TB01"}).status_code == 404
    )
    for kind, typed in (("members", "TB01"), ("organizations", "TA"), ("members", "乙镇党委")):
        response = upload(client, kind, typed, workbook_file(MEMBER_HEADERS, [member_row("TA01")]))
        assert response.status_code == 200
        assert response.context["form"].errors["org"] == [
            f"党组织“{typed}”不存在，或不在您的管辖范围内"
        ]
    assert not Job.objects.exists()
    assert state() == before


def test_the_import_target_is_picked_by_name_within_the_subtree(client, county):
    client.force_login(county.users["town_a"])
    page = client.get(reverse("reports:import", args=["members"])).content.decode()
    assert 'data-org-picker="/orgs/pick/"' in page
    upload(client, "members", "甲一村党支部", workbook_file(MEMBER_HEADERS, [member_row("TA01")]))
    assert Job.objects.get().organization == county.village_a1


def test_a_member_without_a_managing_role_cannot_import(client, county):
    client.force_login(county.users["member_a1"])
    assert client.get(reverse("reports:import", args=["members"])).status_code == 403
    before = state()
    response = upload(
        client, "members", "TA01", workbook_file(MEMBER_HEADERS, [member_row("TA01")])
    )
    assert response.status_code == 403
    assert state() == before
    client.force_login(county.users["nobody"])
    assert client.get(reverse("reports:import", args=["members"])).status_code == 404
