"""The occupation column of the member template: read by label or code, derived from the
category when left empty, written back as its label."""

import pytest

from dangjian.members.models import Member
from dangjian.reports import io as ledger_io
from dangjian.reports.tests.test_import import MEMBER_HEADERS, member_row, set_cell, workbook_file

pytestmark = pytest.mark.django_db


def test_occupation_column_is_read_and_written(county):
    rows = [
        member_row("TA01", category="enterprise"),
        member_row("TA01", category="rural"),
        member_row("TA02", category="enterprise"),
    ]
    set_cell(rows[0], "职业", "企事业单位、社会组织管理人员")
    set_cell(rows[2], "职业", "professional")
    result = ledger_io.import_file(
        workbook_file(MEMBER_HEADERS, rows),
        "members",
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    assert result.ok, result.messages()
    names = [r[0] for r in rows]
    got = dict(Member.objects.filter(name__in=names).values_list("name", "occupation"))
    assert [got[n] for n in names] == ["manager", "farmer", "professional"]

    set_cell(rows[0], "职业", "宇航员")
    result = ledger_io.import_file(
        workbook_file(MEMBER_HEADERS, rows[:1]),
        "members",
        actor=county.users["town_a"],
        organization=county.town_a,
    )
    assert not result.ok
    assert any("“职业”" in m and "宇航员" in m for m in result.messages())


def test_export_writes_the_occupation_label(client, county):
    from dangjian.reports.tests.test_export import by_header, export, sheet_rows

    client.force_login(county.users["county"])
    _wb, header, rows = sheet_rows(export(client, "members"))
    assert set(by_header(header, rows, "职业")) == {"农牧渔民"}
