"""Rosters from elsewhere: suggested mappings, kept mappings, the import through one (whole
file checked, errors in the source's rows and headers) and the export in its columns."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from dangjian.members.models import Member
from dangjian.members.rules import make_id_number
from dangjian.reports import mapping, mappings
from dangjian.reports.models import ImportMapping

NATIONAL = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "民族",
    "出生年月",
    "学历",
    "人员类别",
    "党员类别",
    "入党时间",
    "转为正式党员时间",
    "手机号码",
    "所在党支部",
]


def national_row(n, org_name, **over):
    birth = datetime.date(1980 + n % 15, 1 + n % 12, 3 + n % 20)
    row = {
        "序号": n,
        "姓名": f"外来{n}",
        "性别": "男",
        "公民身份号码": make_id_number("411423", birth, 300 + n, "m"),
        "民族": "汉族",
        "出生年月": f"{birth.year}.{birth.month:02d}",
        "学历": "大专",
        "人员类别": "正式党员",
        "党员类别": "农牧渔民",
        "入党时间": "2010年7月",
        "转为正式党员时间": "2011.07",
        "手机号码": f"1390000{n:04d}",
        "所在党支部": org_name,
    }
    row.update(over)
    return [row[h] for h in NATIONAL]


def xlsx_file(headers, rows, title_rows=()) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for t in title_rows:
        ws.append(t)
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


# ---- pure --------------------------------------------------------------------------------------


def test_suggestions_from_synonyms_and_values():
    samples = {"人员类别": ["正式党员", "预备党员"]}
    s = mapping.suggest(NATIONAL, samples)
    assert s["公民身份号码"] == "id_number"
    assert s["出生年月"] == "birth_date"
    assert s["入党时间"] == "joined_on"
    assert s["转为正式党员时间"] == "full_on"
    assert s["人员类别"] == "status"  # by its values
    assert s["党员类别"] == "category"
    assert s["手机号码"] == "phone"
    assert s["所在党支部"] == "organization_name"
    assert "序号" not in s
    assert mapping.suggest(["人员类别"], {"人员类别": ["农牧渔民"]}) == {"人员类别": "category"}
    # The template's own headers map to themselves.
    assert mapping.suggest(["*身份证号", "所在组织编码"]) == {
        "*身份证号": "id_number",
        "所在组织编码": "organization",
    }


def test_value_translations():
    assert mapping.translate("status", "正式") == "full"
    assert mapping.translate("education", "大专") == "college"
    assert mapping.translate("gender", "女性") == "f"
    d = mapping.translate("joined_on", "1985年7月")
    assert (d.year, d.month, d.day) == (1985, 7, 1)
    assert mapping.translate("joined_on", "1985.07.15") == "1985.07.15"  # read by the column


def test_mapping_errors_name_the_problem():
    errors = mapping.mapping_errors({"姓名": "name", "名字": "name"})
    assert "同一个字段" in errors["名字"]
    assert "身份证号" in errors["mapping"]


def test_header_row_below_a_title():
    rows = [("党员花名册",), (), tuple(NATIONAL)]
    assert mapping.find_header_row(rows) == 3


# ---- with the database -------------------------------------------------------------------------


@pytest.fixture
def saved(county):
    user = county.users["town_a"]
    return mappings.save_mapping(
        user,
        county.town_a,
        name="全国系统导出",
        columns=mapping.suggest(NATIONAL, {"人员类别": ["正式党员"]}),
        headers=NATIONAL,
        header_row=2,
    )


def test_import_through_mapping(county, saved):
    user = county.users["town_a"]
    f = xlsx_file(
        NATIONAL,
        [national_row(1, "甲一村党支部"), national_row(2, "甲二村党支部")],
        title_rows=[("甲镇党员花名册",)],
    )
    result = mappings.import_with_mapping(f, saved, actor=user, organization=county.town_a)
    assert result.ok, result.messages()
    m = Member.objects.get(name="外来1")
    assert m.organization == county.village_a1 and m.education == "college"
    assert m.status == "full" and m.joined_on == datetime.date(2010, 7, 1)
    assert m.birth_date.month == 1 + 1 % 12  # the day from the ID number


def test_bad_file_is_refused_whole_with_source_rows_and_headers(county, saved):
    user = county.users["town_a"]
    before = Member.objects.count()
    f = xlsx_file(
        NATIONAL,
        [
            national_row(3, "甲一村党支部"),
            national_row(4, "乙一村党支部"),  # outside the township
            national_row(5, "甲一村党支部", 学历="博士后", 公民身份号码="411423"),
        ],
        title_rows=[("甲镇党员花名册",)],
    )
    result = mappings.import_with_mapping(f, saved, actor=user, organization=county.town_a)
    assert not result.ok
    lines = result.messages()
    assert any(line.startswith("第4行“所在党支部”") for line in lines), lines
    assert any(line.startswith("第5行“学历”") for line in lines), lines
    assert any(line.startswith("第5行“公民身份号码”") for line in lines), lines
    assert Member.objects.count() == before


def test_saved_mapping_is_preselected_and_scoped(county, saved):
    assert mappings.preselected(county.users["branch_a1"], NATIONAL) == saved  # from above
    assert mappings.preselected(county.users["county"], list(reversed(NATIONAL))) == saved
    assert mappings.preselected(county.users["branch_b1"], NATIONAL) is None  # other township
    with pytest.raises(ValidationError) as e:
        mappings.save_mapping(
            county.users["town_a"], county.town_a, name="", columns={}, headers=NATIONAL
        )
    assert {"name", "mapping"} <= set(e.value.message_dict)
    # Saving again by name updates the one kept.
    mappings.save_mapping(
        county.users["town_a"],
        county.town_a,
        name="全国系统导出",
        columns={**saved.mapping, "序号": ""},
        headers=NATIONAL,
    )
    assert ImportMapping.objects.count() == 1


def test_export_in_mapping_columns_imports_again(county, saved):
    user = county.users["county"]
    qs = Member.objects.filter(organization=county.village_a1)
    out = mappings.export_members(user, qs, saved)
    ws = load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [h for h, f in saved.mapping.items() if f]
    assert len(rows) == 1 + qs.count()
    names = {r[0] for r in rows[1:]}
    assert names == set(qs.values_list("name", flat=True))


def test_upload_map_and_import_through_pages(client, county):
    from django.urls import reverse

    from dangjian.core.models import Job
    from dangjian.testing import run_jobs

    client.force_login(county.users["town_a"])
    f = xlsx_file(NATIONAL, [national_row(7, "甲二村党支部")], title_rows=[("花名册",)])
    f.name = "全国系统.xlsx"
    r = client.post(reverse("reports:map_upload") + "?org=TA", {"org": "TA", "file": f})
    assert r.status_code == 302, r.content.decode()[:3000]
    page = client.get(r["Location"]).content.decode()
    assert "公民身份号码" in page and 'value="id_number" selected' in page
    form = {"name": "全国系统"}
    suggested = mapping.suggest(NATIONAL, {"人员类别": ["正式党员"]})
    for i, h in enumerate(NATIONAL):
        form[f"col_{i}"] = suggested.get(h, "")
    bad = dict(form, col_1="")  # 姓名 not mapped
    assert "姓名" in client.post(r["Location"], bad).content.decode()
    done = client.post(r["Location"], form)
    assert done.status_code == 302
    run_jobs()
    job = Job.objects.get()
    assert job.status == "done", job.result
    assert Member.objects.get(name="外来7").organization == county.village_a2
    # The kept mapping is listed and exports the members in its columns.
    saved = ImportMapping.objects.get()
    assert "全国系统" in client.get(reverse("reports:mappings")).content.decode()
    out = client.get(reverse("reports:mapped_export", args=[saved.pk]) + "?org=TA02")
    assert out.status_code == 200
    # Another township's user does not see it.
    client.force_login(county.users["town_b"])
    assert client.get(reverse("reports:mapped_export", args=[saved.pk])).status_code == 404
