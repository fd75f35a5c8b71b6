"""Small .xlsx files that unpack to a lot are refused before openpyxl reads them, with a
message (issue 10). The files are crafted part by part (tests/bombs.py); limits that would
need a large file are lowered for the test instead."""

import zipfile

import pytest

from dangjian.reports import io as ledger_io
from dangjian.reports.tests import bombs
from dangjian.reports.tests.test_import import MEMBER_HEADERS, member_row, workbook_file

pytestmark = pytest.mark.django_db


def messages(path):
    with open(path, "rb") as f:
        return ledger_io.import_file(f, "members").messages()


def test_a_long_run_of_spaces_is_refused_before_reading(tmp_path):
    path = bombs.whitespace(tmp_path / "spaces.xlsx", 3 * 1024 * 1024)
    assert path.stat().st_size < 50_000
    assert messages(path) == [
        "文件中有一段内容超过1.0\xa0MB，不像是 Excel 正常保存的表格，"
        "请在 Excel 中另存为新的 .xlsx 文件后再导入"
    ]


def test_spaces_cut_by_tags_are_read(tmp_path):
    """Many short runs are no run: the file gets to the rows (and their errors)."""
    path = bombs.whitespace(tmp_path / "spaces.xlsx", 0)
    bombs.write(
        path,
        [
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>',
            *[b"<!---->" + b" " * 100_000] * 30,
        ],
    )
    assert messages(path)[0].startswith("第2行")


def test_too_many_shared_strings(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_SHARED_STRINGS", 1000)
    assert messages(bombs.shared_strings(tmp_path / "s.xlsx", 1001)) == [
        "文件中不同的文字超过1000个，请分成几个文件导入"
    ]
    # Within the limit, the file is read (and its empty row 2 reported).
    assert messages(bombs.shared_strings(tmp_path / "s.xlsx", 999))[0].startswith("第2行")


def test_a_sheet_too_large_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_SHEET_BYTES", 1024 * 1024)
    rows = [b'<row r="%d"/>' % r for r in range(2, 100_000)]
    assert messages(bombs.write(tmp_path / "big.xlsx", rows)) == [
        "工作表解压后超过1.0\xa0MB，请删除多余的行、列和格式，或分成几个文件导入"
    ]


def test_too_large_shared_strings_and_other_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_STRINGS_BYTES", 100 * 1024)
    path = bombs.write(tmp_path / "s.xlsx", [], [b"<si><t>x</t></si>" * 10_000])
    assert messages(path) == ["文件中的文字解压后超过100.0\xa0KB，请分成几个文件导入"]
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("docProps/core.xml", b"<a/>" + b" " * (4 * 1024 * 1024))
    monkeypatch.setattr(ledger_io, "MAX_STRINGS_BYTES", 64 * 1024 * 1024)
    assert messages(path)[0].startswith("文件中有一部分解压后超过4.0\xa0MB")


def test_too_many_parts(tmp_path):
    path = bombs.write(tmp_path / "parts.xlsx", [])
    with zipfile.ZipFile(path, "a") as z:
        for i in range(1000):
            z.writestr(f"x/{i}.bin", b"")
    assert messages(path)[0].startswith("文件包含的部分过多")


def test_blank_rows_count_towards_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_ROWS", 100)
    path = bombs.empty_rows(tmp_path / "empty.xlsx", 100)
    assert messages(path) == ["文件中没有数据：第1行为表头，请从第2行起填写"]
    path = bombs.empty_rows(tmp_path / "empty.xlsx", 101)
    assert messages(path) == ["文件超过100行（空行也算在内），请删除多余的空行或分成几个文件导入"]


def test_a_file_at_the_row_limit_is_read(monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_ROWS", 3)
    rows = [member_row("T") for _ in range(3)]
    result, errors = ledger_io.read_rows(workbook_file(MEMBER_HEADERS, rows), "members")
    assert errors == [] and [n for n, _row in result] == [2, 3, 4]


def test_errors_listed_up_to_the_limit_then_checking_stops(tmp_path):
    result = ledger_io.import_file(
        open(bombs.invalid_rows(tmp_path / "bad.xlsx", 5000), "rb"), "members"
    )
    lines = result.messages()
    assert len(lines) == ledger_io.MAX_ERRORS + 1
    assert lines[0].startswith("第2行")
    assert lines[-1].startswith("错误过多，只列出前200处；第")
    assert lines[-1].endswith("行之后的行未检查。请改正后重新导入")
    # Checking stopped early, far from row 5,001.
    stopped = int(lines[-1].split("第")[1].split("行")[0])
    assert stopped < 100
    # Reading stopped there too: the rows after it were not read.
    assert result.rows == stopped - 1


def test_a_few_errors_are_all_listed(tmp_path):
    result = ledger_io.import_file(
        open(bombs.invalid_rows(tmp_path / "bad.xlsx", 3), "rb"), "members"
    )
    assert not any(line.startswith("错误过多") for line in result.messages())
    assert {line.split("行")[0] for line in result.messages()} == {"第2", "第3", "第4"}


def test_rows_are_counted_before_openpyxl_opens_the_file(tmp_path, monkeypatch):
    """openpyxl reads a sheet without <dimension> whole when it opens the file, so the rows
    are counted first (5 million blank rows took 28 s)."""
    monkeypatch.setattr(ledger_io, "MAX_ROWS", 100)
    path = bombs.empty_rows(tmp_path / "empty.xlsx", 200)
    with open(path, "rb") as f:
        assert ledger_io.check_archive(f) == (
            "文件超过100行（空行也算在内），请删除多余的空行或分成几个文件导入"
        )


def test_a_row_with_too_many_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_io, "MAX_COLUMNS", 1000)
    wide = b'<row r="2">' + b"<c/>" * 1001 + b"</row>"
    assert messages(bombs.write(tmp_path / "wide.xlsx", [wide])) == [
        "文件中有一行超过1000个单元格，不像是 Excel 正常保存的表格，"
        "请在 Excel 中另存为新的 .xlsx 文件后再导入"
    ]
    ok = b'<row r="2">' + b"<c/>" * 999 + b"</row>"
    assert not any("单元格" in m for m in messages(bombs.write(tmp_path / "ok.xlsx", [ok])))
