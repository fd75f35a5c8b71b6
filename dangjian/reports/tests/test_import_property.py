"""Property tests of the .xlsx import (hypothesis): whatever the cells hold, the import
never crashes, and it either writes the whole file (every row, roll-ups equal to a
rebuild) or writes nothing and names each bad row within the file."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.members.models import Member
from dangjian.reports import io as ledger_io
from dangjian.reports import xlsx

from .test_import import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    assert_rollups_equal_rebuild,
    member_row,
    org_row,
    state,
    workbook_file,
)

pytestmark = pytest.mark.django_db

NASTY = st.sampled_from(
    [
        "",
        " ",
        "=1+1",
        '=HYPERLINK("http://x")',
        "+1",
        "-1",
        "@SUM(A1)",
        "\u202e反转",
        "４１１４２３",
        "TA01",
        "ta01",
        "T",
        "NOPE",
        "党支部",
        "男",
        "预备党员",
        "99999999999999999999",
        "2026-02-30",
        "1900-01-01",
    ]
)
CELLS = st.one_of(
    NASTY,
    st.none(),
    # Any text a cell can hold (a spreadsheet cannot hold control characters).
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.booleans(),
)


def mutated(rows, headers, edits):
    """Rows with some cells replaced: edits are (row index, column index, value)."""
    rows = [list(r) for r in rows]
    for r, c, value in edits:
        if rows:
            rows[r % len(rows)][c % len(headers)] = value
    return rows


def check(kind, headers, rows, county):
    before = state()
    result = ledger_io.import_file(
        workbook_file(headers, rows), kind, actor=county.users["county"], organization=county.root
    )
    if result.ok:
        assert result.created == len(rows)
        assert_rollups_equal_rebuild()
    else:
        assert result.created == 0
        assert state() == before
        for error in result.errors:
            assert error.row is None or 2 <= error.row <= len(rows) + 1, error
            assert str(error)
    return result


EDITS = st.lists(st.tuples(st.integers(0, 10), st.integers(0, 30), CELLS), min_size=0, max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(n=st.integers(1, 4), edits=EDITS, data=st.data())
def test_member_files_go_in_whole_or_not_at_all(county, n, edits, data):
    codes = data.draw(
        st.lists(st.sampled_from(["TA01", "TA02", "TB01", "TA0101"]), min_size=n, max_size=n)
    )
    rows = mutated([member_row(code) for code in codes], MEMBER_HEADERS, edits)
    result = check(xlsx.MEMBERS, MEMBER_HEADERS, rows, county)
    if result.ok:
        stored = {m.id_number for m in Member.objects.all()}
        ids = [row[MEMBER_HEADERS.index("身份证号")] for row in rows]
        assert all(str(i).strip().upper() in stored for i in ids)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(n=st.integers(1, 4), edits=EDITS)
def test_organization_files_go_in_whole_or_not_at_all(county, n, edits):
    rows = [org_row(f"TA01X{i}", f"新支部{i}", "TA") for i in range(n)]
    check(xlsx.ORGANIZATIONS, ORG_HEADERS, mutated(rows, ORG_HEADERS, edits), county)
