"""Importing organizations and members from .xlsx.

A broken file is refused whole with every bad row and field named, and leaves the database
exactly as it was; a good file goes in whole, with roll-ups equal to a full rebuild.
"""

import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dangjian.core.models import AuditEvent
from dangjian.members import services as member_services
from dangjian.members.models import Member, Tag
from dangjian.members.rules import make_id_number
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.reports import io as ledger_io
from dangjian.reports import xlsx
from dangjian.rollups import services as rollup_services
from dangjian.rollups.models import Rollup
from dangjian.testing import member_data

pytestmark = pytest.mark.django_db

MEMBER_HEADERS = [c.header for c in xlsx.MEMBER_COLUMNS]
ORG_HEADERS = [c.header for c in xlsx.ORGANIZATION_COLUMNS]


# Helpers (also used by test_export.py) --------------------------------------------------------


def workbook_file(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "upload.xlsx"
    return buffer


def member_row(org_code, **overrides) -> list:
    """A valid member row (Chinese labels) in template column order."""
    tags = overrides.pop("tags", [])
    is_mobile = overrides.pop("is_mobile", False)
    data = member_data(**overrides)
    data.update(organization=org_code, tags=tags, is_mobile=is_mobile)
    return [c.to_cell(data.get(c.field)) for c in xlsx.MEMBER_COLUMNS]


def set_cell(row, header, value, headers=MEMBER_HEADERS):
    row[headers.index(header)] = value
    return row


def org_row(code, name, parent, kind="党支部", sector="农村", level="村") -> list:
    return [code, name, parent, kind, sector, level, datetime.date(2020, 7, 1), "", ""]


def state():
    """Everything an import may write, to compare before and after."""
    return {
        "members": Member.objects.count(),
        "organizations": Organization.objects.count(),
        "tags": Tag.objects.count(),
        "member_tags": Member.tags.through.objects.count(),
        "audit": AuditEvent.objects.count(),
        "rollups": {(r.organization_id, r.key): r.value for r in Rollup.objects.all()},
    }


def rollups():
    return {(r.organization_id, r.key): r.value for r in Rollup.objects.all() if r.value}


def assert_rollups_equal_rebuild():
    incremental = rollups()
    rollup_services.rebuild()
    assert rollups() == incremental


def run_import(kind, headers, rows, *, actor=None, organization=None):
    before = state()
    result = ledger_io.import_file(
        workbook_file(headers, rows), kind, actor=actor, organization=organization
    )
    return before, result


def refused(kind, headers, rows, *, actor=None, organization=None) -> list[str]:
    """Import a broken file; check nothing was written; return the messages."""
    before, result = run_import(kind, headers, rows, actor=actor, organization=organization)
    assert not result.ok
    assert result.created == 0
    assert state() == before
    return result.messages()


# Broken files ---------------------------------------------------------------------------------


def test_missing_columns_are_named(county):
    headers = [h for h in MEMBER_HEADERS if h not in ("姓名", "身份证号")]
    rows = [[v for h, v in zip(MEMBER_HEADERS, member_row("TA01"), strict=True) if h in headers]]
    messages = refused(
        "members", headers, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == ["缺少必需的列：“姓名”、“身份证号”"]


def test_unknown_and_duplicate_headers(county):
    headers = [*MEMBER_HEADERS, "备注", "姓名"]
    rows = [[*member_row("TA01"), "x", "y"]]
    messages = refused(
        "members", headers, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages[0].startswith("第1行“备注”：未知的列，允许的列有：姓名、性别")
    assert messages[1] == "第1行“姓名”：列重复（第1列和第18列）"


def test_headers_with_annotations_are_accepted(county):
    headers = ["*姓名" if h == "姓名" else h for h in MEMBER_HEADERS]
    headers = [f"{h}(是/否)" if h == "流动党员" else h for h in headers]
    result = ledger_io.import_file(
        workbook_file(headers, [member_row("TA01", is_mobile=True)]),
        "members",
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    assert result.ok, result.messages()
    assert Member.objects.filter(is_mobile=True).count() == 1


def test_empty_files(county):
    town = dict(actor=county.users["town_a"], organization=county.town_a)
    assert refused("members", MEMBER_HEADERS, [], **town) == [
        "文件中没有数据：第1行为表头，请从第2行起填写"
    ]
    assert refused("members", None, [], **town) == ["文件是空的：第1行应为表头，第2行起为数据"]
    # Blank rows are not data.
    assert refused("members", MEMBER_HEADERS, [[None] * 15, ["  "]], **town) == [
        "文件中没有数据：第1行为表头，请从第2行起填写"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        ("姓名,身份证号\n张三,1\n".encode(), "文件不是 Excel（.xlsx）文件，请使用下载的模板填写"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入",
        ),
        ("zip", "文件已损坏或不是有效的 .xlsx 文件，无法读取"),
        ("corrupt-sheet", "文件已损坏或不是有效的 .xlsx 文件，无法读取"),
    ],
)
def test_files_that_are_not_xlsx(county, content, message):
    if content == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("readme.txt", "not a spreadsheet")
        content = buffer.getvalue()
    elif content == "corrupt-sheet":
        good = workbook_file(MEMBER_HEADERS, [member_row("TA01")])
        buffer = io.BytesIO()
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]
                dst.writestr(item, data)
        content = buffer.getvalue()
    before = state()
    result = ledger_io.import_file(
        io.BytesIO(content), "members", actor=county.users["town_a"], organization=county.town_a
    )
    assert result.messages() == [message]
    assert state() == before


def test_a_wrong_dimension_in_the_file_is_ignored(county):
    """Some programs write <dimension ref="A1"/> whatever the sheet holds."""
    good = workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TA02")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:P3"' in data
                data = data.replace(b'<dimension ref="A1:P3"', b'<dimension ref="A1"')
            dst.writestr(item, data)
    buffer.seek(0)
    result = ledger_io.import_file(
        buffer, "members", actor=county.users["town_a"], organization=county.town_a
    )
    assert result.ok, result.messages()
    assert result.created == 2


def test_bad_id_numbers(county):
    good = member_row("TA01")
    bad_check = member_row("TA01")
    id_number = bad_check[MEMBER_HEADERS.index("身份证号")]
    wrong_last = "0" if id_number[-1] != "0" else "1"
    set_cell(bad_check, "身份证号", id_number[:-1] + wrong_last)
    short = set_cell(member_row("TA01"), "身份证号", "41142319900101")
    as_number = set_cell(member_row("TA01"), "身份证号", 4.11423196001011e17)
    masked = set_cell(member_row("TA01"), "身份证号", "411423********0011")
    messages = refused(
        "members",
        MEMBER_HEADERS,
        [good, bad_check, short, as_number, masked],
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    assert messages == [
        "第3行“身份证号”：身份证号校验位不正确，请核对",
        "第4行“身份证号”：身份证号应为18位，实际为14位",
        "第5行“身份证号”：身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为文本格式后重新填写",
        "第6行“身份证号”：身份证号已脱敏（含*），脱敏导出的文件不能重新导入",
    ]


def test_birth_date_must_match_the_id_number(county):
    row = set_cell(member_row("TA01"), "出生日期", datetime.date(1950, 1, 1))
    messages = refused(
        "members", MEMBER_HEADERS, [row], actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == ["第2行“出生日期”：出生日期与身份证号不一致"]


def test_unknown_organizations_and_organizations_out_of_scope(county):
    town_a = county.users["town_a"]
    rows = [
        member_row("TA01"),
        member_row("NOPE"),
        member_row("TB01"),  # exists, in the other township
        member_row("TA"),  # a committee: members belong in a branch
        member_row("ta02"),  # lower case is the same code
    ]
    messages = refused("members", MEMBER_HEADERS, rows, actor=town_a, organization=county.town_a)
    assert messages == [
        "第3行“所在组织编码”：组织编码不存在或不在您的管辖范围内：NOPE",
        "第4行“所在组织编码”：组织编码不存在或不在您的管辖范围内：TB01",
        "第5行“所在组织编码”：“甲镇党委”是基层党委，党员应编入党支部",
    ]


def test_a_branch_secretary_cannot_reach_a_sibling_branch(county):
    messages = refused(
        "members",
        MEMBER_HEADERS,
        [member_row("TA02")],
        actor=county.users["branch_a1"],
        organization=county.village_a1,
    )
    assert messages == ["第2行“所在组织编码”：组织编码不存在或不在您的管辖范围内：TA02"]


def test_duplicate_members_in_the_file_and_in_the_database(county):
    first = member_row("TA01")
    again = list(first)
    set_cell(again, "姓名", "另一人")
    existing = county.members["TB01"][0]  # on the roll, in another township even
    on_roll = set_cell(member_row("TA01"), "身份证号", existing.id_number)
    set_cell(on_roll, "出生日期", existing.birth_date)
    set_cell(on_roll, "性别", existing.get_gender_display())
    set_cell(on_roll, "入党日期", existing.joined_on)
    set_cell(on_roll, "转正日期", existing.full_on)
    messages = refused(
        "members",
        MEMBER_HEADERS,
        [first, again, on_roll],
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    masked = existing.id_number[:6] + "************"
    assert messages == [
        "第3行“身份证号”：与第2行的身份证号重复",
        f"第4行“身份证号”：身份证号{masked}的党员已经在册",
    ]


def test_bad_dates(county):
    rows = [
        set_cell(member_row("TA01"), "入党日期", "2024-13-01"),
        set_cell(member_row("TA01"), "入党日期", "去年七月"),
        set_cell(member_row("TA01"), "转正日期", "2024/2/30"),
    ]
    messages = refused(
        "members", MEMBER_HEADERS, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == [
        "第2行“入党日期”：日期“2024-13-01”不存在",
        "第3行“入党日期”：日期“去年七月”无法识别，请写成 2024-03-01、2024/3/1 或 2024年3月1日",
        "第4行“转正日期”：日期“2024/2/30”不存在",
    ]


def test_choice_values_not_in_the_list(county):
    rows = [
        set_cell(member_row("TA01"), "党员状态", "积极分子"),
        set_cell(member_row("TA01"), "流动党员", "也许"),
    ]
    messages = refused(
        "members", MEMBER_HEADERS, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == [
        "第2行“党员状态”：党员状态“积极分子”不在可选范围内（预备党员、正式党员）",
        "第3行“流动党员”：“也许”应填“是”或“否”",
    ]


def test_every_bad_row_and_field_is_listed(county):
    rows = [member_row("TA01") for _ in range(6)]
    set_cell(rows[0], "姓名", None)
    set_cell(rows[0], "学历", "博士后")  # two bad fields in one row
    set_cell(rows[2], "手机号", "12345")
    set_cell(rows[3], "党员状态", "预备党员")  # probationary with a date of full membership
    set_cell(rows[5], "性别", "女" if rows[5][1] == "男" else "男")
    messages = refused(
        "members", MEMBER_HEADERS, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == [
        "第2行“姓名”：姓名不能为空",
        "第2行“学历”：学历“博士后”不在可选范围内（研究生、大学本科、大学专科、中专、高中、中技、初中、小学及以下）",
        "第4行“手机号”：手机号“12345”格式不正确",
        "第5行“转正日期”：预备党员不应有转正日期",
        "第7行“性别”：性别与身份证号不一致",
    ]


def test_organization_file_errors(county):
    county_user = county.users["county"]
    rows = [
        org_row("TA09", "甲九村党支部", "TA"),
        org_row("TA0901", "甲九村第一党小组", "TA09", kind="党小组"),
        org_row("TA090101", "小组下的支部", "TA0901"),  # a group holds nothing
        org_row("TA01", "重复编码", "TA"),  # code already used
        org_row("TA09", "文件内重复", "TA"),
        org_row("TC01", "上级写在后面", "TC"),
        org_row("TC", "丙镇党委", "T", kind="基层党委"),
        org_row("TX01", "上级不存在", "NOPE"),
        org_row("TX02", "没有上级", None),
        org_row("TX03", "类别错", "TA", kind="党支队"),
    ]
    messages = refused(
        "organizations", ORG_HEADERS, rows, actor=county_user, organization=county.root
    )
    assert messages == [
        "第4行“组织类别”：党小组下不能再设组织",
        "第5行“组织编码”：组织编码“TA01”已被使用",
        "第6行“组织编码”：与第2行的组织编码重复",
        "第7行“上级组织编码”：上级组织“TC”须写在本行之前（第8行）",
        "第9行“上级组织编码”：组织编码不存在或不在您的管辖范围内：NOPE",
        "第10行“上级组织编码”：上级组织编码不能为空",
        "第11行“组织类别”：组织类别“党支队”不在可选范围内"
        "（基层党委、党工委、党总支、党支部、联合党支部、临时党组织、党小组）",
    ]


def test_organizations_outside_the_subtree_are_refused(county):
    rows = [org_row("TB09", "乙九村党支部", "TB")]
    messages = refused(
        "organizations", ORG_HEADERS, rows, actor=county.users["town_a"], organization=county.town_a
    )
    assert messages == ["第2行“上级组织编码”：组织编码不存在或不在您的管辖范围内：TB"]


def test_importing_into_an_organization_one_does_not_manage_is_refused(county):
    from django.core.exceptions import PermissionDenied

    before = state()
    with pytest.raises(PermissionDenied):
        ledger_io.import_file(
            workbook_file(MEMBER_HEADERS, [member_row("TB01")]),
            "members",
            actor=county.users["town_a"],
            organization=county.town_b,
        )
    assert state() == before


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2024, 3, 1),
        datetime.date(2024, 3, 1),
        45352,  # an Excel serial number
        "2024-03-01",
        "2024/3/1",
        "2024年3月1日",
        "2024.3.1",
        " 2024 年 3 月 1 日 ",
        "20240301",
        20240301,
        "2024-03-01 00:00:00",
    ],
)
def test_date_spellings(value):
    assert xlsx.MEMBER_COLUMNS[3].parse(value) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("value", ["2024", 2024, "3/1/2024", "2024-3", "明天"])
def test_dates_that_are_not_dates(value):
    with pytest.raises(xlsx.CellError, match="无法识别"):
        xlsx.MEMBER_COLUMNS[3].parse(value)


# Good files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rollups_by", ["adjust", "rebuild"])
def test_a_good_member_file_goes_in_whole(county, monkeypatch, rollups_by):
    # Small files into a small database take the rebuild path; force each path in turn.
    if rollups_by == "adjust":
        monkeypatch.setattr(member_services, "REBUILD_MEMBERS_PER_ORG", 0)
    else:
        monkeypatch.setattr(member_services, "BULK_REBUILD_ORGS", 0)
    rebuilds = []
    real_rebuild = rollup_services.rebuild
    monkeypatch.setattr(rollup_services, "rebuild", lambda: rebuilds.append(1) or real_rebuild())
    town_a = county.users["town_a"]
    rows = [
        member_row("TA01", tags=["双强", "致富能手"], is_mobile=True),
        member_row("TA02", status="probationary", full_on=None, category="student"),
        member_row("TA0101"),
    ]
    # Code values are accepted as well as labels; dates in any of the usual spellings.
    set_cell(rows[1], "党员状态", "probationary")
    set_cell(rows[1], "人员类别", "student")
    joined = rows[2][MEMBER_HEADERS.index("入党日期")]
    set_cell(rows[2], "入党日期", f"{joined.year}年{joined.month}月{joined.day}日")
    set_cell(
        rows[2],
        "转正日期",
        "{0.year}/{0.month}/{0.day}".format(rows[2][MEMBER_HEADERS.index("转正日期")]),
    )
    set_cell(rows[2], "民族", None)
    audit_before = AuditEvent.objects.count()
    result = ledger_io.import_file(
        workbook_file(MEMBER_HEADERS, rows), "members", actor=town_a, organization=county.town_a
    )
    assert result.ok, result.messages()
    assert result.created == 3
    assert len(rebuilds) == (1 if rollups_by == "rebuild" else 0)
    names = [r[0] for r in rows]
    imported = {m.name: m for m in Member.objects.filter(name__in=names)}
    first, second, third = (imported[n] for n in names)
    assert first.organization == county.village_a1
    assert first.is_mobile
    assert sorted(first.tags.values_list("name", flat=True)) == ["双强", "致富能手"]
    assert second.status == "probationary" and second.full_on is None
    assert second.category == "student"
    assert third.organization == county.group_a1
    assert third.ethnicity == "汉族"
    assert third.joined_on == joined
    events = AuditEvent.objects.filter(target_type="members.member", action="create")
    assert AuditEvent.objects.count() == audit_before + 3
    assert events.filter(target_id=str(first.pk), actor=town_a).exists()
    assert rollup_services.figures(county.root)["members"] == 12
    assert rollup_services.figures(county.town_a)["members.mobile"] == 1
    assert_rollups_equal_rebuild()


def test_a_good_organization_file_goes_in_whole(county):
    rows = [
        org_row("TC", "丙镇党委", "T", kind="基层党委", level="乡镇"),
        org_row("TC01", "丙一村党支部", "TC"),
        org_row("TC0101", "丙一村第一党小组", "TC01", kind="党小组"),
        org_row("TC02", "丙二村党支部", "TC", kind="branch", sector="rural", level="village"),
        org_row("TA03", "甲三村党支部", "TA"),
    ]
    result = ledger_io.import_file(
        workbook_file(ORG_HEADERS, rows),
        "organizations",
        actor=county.users["county"],
        organization=county.root,
    )
    assert result.ok, result.messages()
    assert result.created == 5
    tc = Organization.objects.get(code="TC")
    assert tc.parent() == county.root
    assert [o.code for o in tc.children()] == ["TC01", "TC02"]
    assert Organization.objects.get(code="TC0101").parent().code == "TC01"
    assert Organization.objects.get(code="TA03").parent() == county.town_a
    assert Organization.objects.get(code="TC02").founded_on == datetime.date(2020, 7, 1)
    # The tree stays consistent for treebeard: children counts and path order.
    assert Organization.objects.get(code="TC").numchild == 2
    assert Organization.objects.get(pk=county.town_a.pk).numchild == 3
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    # Ordinary services keep working on imported organizations.
    org_services.create_child(
        Organization.objects.get(code="TC"), code="TC03", name="丙三村党支部", kind="branch"
    )
    assert Organization.objects.get(code="TC03").path > Organization.objects.get(code="TC02").path
    member_services.create(Organization.objects.get(code="TC0101"), **member_data())
    assert rollup_services.figures(county.root)["organizations"] == 13
    assert rollup_services.figures(tc)["organizations.kind.branch"] == 3
    assert_rollups_equal_rebuild()


def test_a_larger_file_with_the_rebuild_path(county, monkeypatch):
    """~2,000 members into a few hundred new branches, then roll-ups by one rebuild."""
    monkeypatch.setattr(member_services, "REBUILD_MEMBERS_PER_ORG", 0)
    org_rows = [org_row("TD", "丁镇党委", "T", kind="基层党委", level="乡镇")]
    org_rows += [org_row(f"TD{i:03d}", f"丁{i}村党支部", "TD") for i in range(200)]
    result = ledger_io.import_file(
        workbook_file(ORG_HEADERS, org_rows),
        "organizations",
        actor=county.users["county"],
        organization=county.root,
    )
    assert result.ok, result.messages()
    monkeypatch.setattr(member_services, "BULK_REBUILD_ORGS", 50)
    rows = []
    for i in range(2000):
        gender = "m" if i % 3 else "f"
        birth = datetime.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
        rows.append(
            member_row(
                f"TD{i % 200:03d}",
                gender=gender,
                birth_date=birth,
                id_number=make_id_number(f"4199{i // 1000:02d}", birth, i % 500, gender),
                tags=["双强"] if i % 7 == 0 else [],
            )
        )
    result = ledger_io.import_file(
        workbook_file(MEMBER_HEADERS, rows),
        "members",
        actor=county.users["county"],
        organization=county.root,
    )
    assert result.ok, result.messages()[:5]
    assert result.created == 2000
    assert rollup_services.figures(Organization.objects.get(code="TD"))["members"] == 2000
    assert rollup_services.figures(county.root)["members"] == 2009
    assert Tag.objects.get(name="双强").members.count() == 286
    assert_rollups_equal_rebuild()


def test_the_system_creates_roots_in_an_empty_database(db):
    rows = [
        org_row("R", "中共新县委", None, kind="基层党委", sector="其他", level="县（区）"),
        org_row("R01", "一镇党委", "R", kind="基层党委"),
    ]
    result = ledger_io.import_file(workbook_file(ORG_HEADERS, rows), "organizations")
    assert result.ok, result.messages()
    assert Organization.objects.get(code="R").is_root()
    assert rollup_services.figures(Organization.objects.get(code="R"))["organizations"] == 2


# The command line -----------------------------------------------------------------------------


def test_the_command_imports_a_good_file(county, tmp_path, capsys):
    path = tmp_path / "members.xlsx"
    path.write_bytes(
        workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TA02")]).getvalue()
    )
    call_command("import_xlsx", "members", str(path), "--org", "ta")
    assert "导入成功：共导入2条党员记录" in capsys.readouterr().out
    assert rollup_services.figures(county.town_a)["members"] == 8


def test_the_command_refuses_a_bad_file_with_the_same_messages(county, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(
        workbook_file(MEMBER_HEADERS, [member_row("TA01"), member_row("TB01")]).getvalue()
    )
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：共1处错误，未导入任何数据"):
        call_command("import_xlsx", "members", str(path), "--org", "TA", stderr=err)
    assert err.getvalue().strip() == "第3行“所在组织编码”：组织编码不存在或不在您的管辖范围内：TB01"
    assert state() == before


def test_the_command_checks_its_arguments(county, tmp_path):
    with pytest.raises(CommandError, match="组织编码“ZZ”不存在"):
        call_command("import_xlsx", "members", str(tmp_path / "x.xlsx"), "--org", "ZZ")
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_xlsx", "members", str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match="您无权"):
        path = tmp_path / "m.xlsx"
        path.write_bytes(workbook_file(MEMBER_HEADERS, [member_row("TB01")]).getvalue())
        call_command("import_xlsx", "members", str(path), "--org", "TB", "--user", "town_a")
