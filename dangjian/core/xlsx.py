"""Writing .xlsx exports, the same way for every app: a bold header row, then the rows, and
a second sheet "说明" saying what was exported, by whom and when. Files are always in
simplified Chinese (they are ledgers passed on to others), whatever the page's language."""

import datetime
import tempfile

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


def workbook(title: str, headers: list[tuple[str, int]], rows, notes=(), *, user=None):
    """A one-sheet workbook: bold header row, then `rows`; notes on the "说明" sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, (_header, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for header, _width in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    count = 0
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            out.append(value)
        ws.append(out)
        count += 1
    info = wb.create_sheet("说明")
    now = timezone.localtime()
    for note in (
        f"{title}：共{count}行",
        f"导出时间：{now:%Y-%m-%d %H:%M}",
        f"导出人：{getattr(user, 'username', '') or '系统'}",
        *notes,
    ):
        info.append([note])
    info.column_dimensions["A"].width = 80
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    wb.save(out)
    out.seek(0)
    return out
