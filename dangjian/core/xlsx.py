"""Writing .xlsx exports, the same way for every app: a bold header row, then the rows, and
a second sheet "说明" saying what was exported, by whom and when. Files are always in
simplified Chinese (they are ledgers passed on to others), whatever the page's language.

Every exported cell goes through `cell()`: text stays text whatever it starts with. openpyxl
writes a string starting with "=" as a live formula (and "#N/A" and the like as an error),
so a member named "=HYPERLINK(...)" would run in the reader's Excel; `cell()` stores such text
as a string and marks text starting with = + - @ "quote prefixed", so that Excel does not turn
it into a formula when the cell is edited either.
"""

import datetime
import tempfile
from decimal import Decimal

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFE9E4")


def label(choices, value):
    """The simplified-Chinese label of a choice value (files are always 简体)."""
    if not value:
        return ""
    with translation.override("zh-hans"):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


def percent(value):
    """A rate (0–1) as a percentage with one decimal, for a cell."""
    return None if value is None else round(value * 100, 1)


# What a spreadsheet program may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBERS = frozenset({int, float, Decimal})


def cell(ws, value):
    """`value` as a cell of the write-only sheet `ws`: dates formatted, text kept as text."""
    if value is None or type(value) in PLAIN_NUMBERS:  # the most cells of a big ledger
        return value
    if isinstance(value, datetime.datetime):
        out = WriteOnlyCell(ws, value=value)
        out.number_format = "yyyy-mm-dd hh:mm"
        return out
    if isinstance(value, datetime.date):
        out = WriteOnlyCell(ws, value=value)
        out.number_format = "yyyy-mm-dd"
        return out
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in ERROR_CODES):
        out = WriteOnlyCell(ws, value=value)
        out.data_type = "s"  # openpyxl made it a formula ("f") or an error ("e")
        out.quotePrefix = True
        return out
    return value


def append(ws, values):
    """One row of exported values (see `cell`) at the end of the write-only sheet `ws`."""
    ws.append([cell(ws, value) for value in values])


def header(ws, titles):
    """The bold header row of the write-only sheet `ws`."""
    cells = []
    for title in titles:
        out = WriteOnlyCell(ws, value=title)
        out.font, out.fill = HEADER_FONT, HEADER_FILL
        cells.append(out)
    ws.append(cells)


def save(wb):
    """The workbook as a file object, at its start (in memory up to 32 MB, then on disk)."""
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    wb.save(out)
    out.seek(0)
    return out


def _sheet(wb, title, headers):
    ws = wb.create_sheet(title[:31])
    for i, (_header, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header(ws, [title for title, _width in headers])
    return ws


def _totals_row(rows, width, totals, count=None):
    """The 合计 row of `rows` (`count` of them if given): the sums of the `totals` columns
    (blank if none is a number)."""
    sums = {i: 0 for i in totals}
    for row in rows:
        for i in totals:
            if isinstance(row[i], (int, float)) and not isinstance(row[i], bool):
                sums[i] += row[i]
    line = [""] * width
    line[0] = f"合计（{len(rows) if count is None else count}行）"
    for i, total in sums.items():
        line[i] = round(total, 1) if isinstance(total, float) else total
    return line


def workbook(
    title: str,
    headers: list[tuple[str, int]],
    rows,
    notes=(),
    *,
    user=None,
    totals: tuple | None = None,
    sheets_by: int | None = None,
    sheet_order=(),
):
    """A workbook: a sheet `title` with a bold header row, then `rows`; notes on the "说明"
    sheet. `totals`: indexes of columns summed in a 合计 row at the end (an empty tuple: a
    合计 row with the row count only; None: no 合计 row). `sheets_by`: the
    index of a column (the township or the level below the exporting organization) whose
    values each get a sheet of their own too, each with its own 合计 row — so a township
    can file its part as it is; `sheet_order`: those values in the order their sheets come
    (the tree's), others after them."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, title, headers)
    count = 0
    # Rows are kept only when a sum or a sheet per value needs them (a count does not).
    keep = bool(totals) or sheets_by is not None
    kept = []
    for row in rows:
        append(ws, row)
        count += 1
        if keep:
            kept.append(list(row))
    if totals is not None:
        append(ws, _totals_row(kept if keep else (), len(headers), totals, count))
    if sheets_by is not None:
        groups = {}
        for row in kept:
            groups.setdefault(str(row[sheets_by] or "—"), []).append(row)
        used = {"说明", title[:31]}
        rank = {name: i for i, name in enumerate(sheet_order)}
        for name, group in sorted(groups.items(), key=lambda g: rank.get(g[0], len(rank))):
            sheet_title = _free_title(name, used)
            part = _sheet(wb, sheet_title, headers)
            for row in group:
                append(part, row)
            if totals is not None:
                append(part, _totals_row(group, len(headers), totals))
    info = wb.create_sheet("说明")
    now = timezone.localtime()
    for note in (
        f"{title}：共{count}行",
        f"导出时间：{now:%Y-%m-%d %H:%M}",
        f"导出人：{getattr(user, 'username', '') or '系统'}",
        *(
            ["另按“" + headers[sheets_by][0] + "”分表，每个一张工作表"]
            if sheets_by is not None
            else []
        ),
        *notes,
    ):
        append(info, [note])
    info.column_dimensions["A"].width = 80
    return save(wb)


INVALID_TITLE_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _free_title(name: str, used: set) -> str:
    """A sheet title for `name`: without the characters Excel refuses, at most 31 long,
    not used yet."""
    base = name.translate(INVALID_TITLE_CHARS)[:28] or "—"
    title, n = base, 2
    while title in used:
        title, n = f"{base}{n}", n + 1
    used.add(title)
    return title
