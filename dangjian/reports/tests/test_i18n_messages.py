"""Import errors come out in the user's language; the column headers stay Chinese."""

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from dangjian.reports import io as ledger_io
from dangjian.reports import xlsx

from .test_import import MEMBER_HEADERS, member_row, set_cell, workbook_file

pytestmark = pytest.mark.django_db


def messages(rows, county, headers=MEMBER_HEADERS):
    result = ledger_io.import_file(
        workbook_file(headers, rows),
        xlsx.MEMBERS,
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    assert not result.ok
    return result.messages()


def test_bad_rows_in_english(county):
    rows = [
        member_row("TA01"),
        member_row("NOPE"),
        set_cell(member_row("TA01"), "出生日期", "1990-02-30"),
    ]
    with override("en"):
        english = messages(rows, county)
    assert english[0] == (
        "Row 3, “所在组织编码”: Organization code does not exist or is outside your "
        "jurisdiction: NOPE"
    )
    assert english[1].startswith("Row 4, “出生日期”: Date “1990-02-30” does not exist")
    assert messages(rows, county)[0] == (
        "第3行“所在组织编码”：组织编码不存在或不在您的管辖范围内：NOPE"
    )


def test_unknown_column_in_english_lists_the_chinese_headers(county):
    headers = [*MEMBER_HEADERS, "备注"]
    with override("en"):
        message = messages([member_row("TA01") + ["x"]], county, headers)[0]
    assert message.startswith("Row 1, “备注”: ")
    assert "姓名, 性别, 民族" in message


def test_import_command_errors_in_english(county, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(workbook_file(MEMBER_HEADERS, [member_row("TA01")]).getvalue())
    with override("en"), pytest.raises(CommandError) as e:
        call_command("import_xlsx", "members", str(path), "--org", "NOPE")
    assert str(e.value) == "Organization code “NOPE” does not exist"
    with pytest.raises(CommandError) as e:
        call_command("import_xlsx", "members", str(path), "--org", "NOPE")
    assert str(e.value) == "组织编码“NOPE”不存在"


def test_stats_command_bad_period_in_english(county):
    with override("en"), pytest.raises(CommandError) as e:
        call_command("stats", "--period", "2026-13")
    assert str(e.value).startswith("Unrecognized period “2026-13”")
