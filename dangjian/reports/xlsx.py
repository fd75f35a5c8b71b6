"""The spreadsheet columns of organizations and members: one definition for all three uses.

The template download, the importer and the exporter all read `COLUMNS`, so a file that is
exported can be imported again and a template that is filled in has exactly the columns the
importer expects.

Headers and choice labels are part of the file format, so they are always simplified
Chinese, whatever the language of the page that produced or reads the file. Choice cells hold
the Chinese label (党支部, 农村, 正式党员); the code value (branch, rural, full) is accepted
as well. Dates may be Excel dates or text such as 2024-03-01, 2024/3/1 or 2024年3月1日.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core import xlsx as core_xlsx
from dangjian.core.xlsx import HEADER_FILL, HEADER_FONT
from dangjian.members.models import Category, Education, Gender, Occupation, Status
from dangjian.members.rules import make_id_number
from dangjian.orgs.models import Kind, Level, Sector

ORGANIZATIONS = "organizations"
MEMBERS = "members"
KINDS = (ORGANIZATIONS, MEMBERS)

# Cell types.
TEXT = "text"
CODE = "code"  # an organization code: trimmed, upper-cased
ID_NUMBER = "id_number"
DATE = "date"
CHOICE = "choice"
BOOL = "bool"
TAGS = "tags"

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "f"}
TAG_SEPARATORS = re.compile(r"[、,，;；/\s]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel serial numbers of 1910-01-01 .. 2099-12-31 (a bare year such as 2024 is not a date).
EXCEL_SERIAL_RANGE = (3654, 73050)

# Rows the template's drop-downs cover.
VALIDATION_ROWS = 20000


class CellError(ValueError):
    """A cell whose value cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    cell_type: str = TEXT
    choices: type | None = None
    required: bool = False  # the cell must be filled
    header_required: bool | None = None  # the column must be present (default: `required`)
    max_length: int | None = None
    width: int = 14
    note: str = ""
    example: object = None

    @property
    def must_be_present(self) -> bool:
        return self.required if self.header_required is None else self.header_required

    @cached_property
    def labels(self) -> dict[str, str]:
        """{code value: Chinese label} of a choice column."""
        with translation.override("zh-hans"):
            return {value: str(label) for value, label in self.choices.choices}

    @cached_property
    def _lookup(self) -> dict[str, str]:
        lookup = {value.lower(): value for value in self.labels}
        lookup.update({label: value for value, label in self.labels.items()})
        return lookup

    def allowed_text(self) -> str:
        if self.cell_type == CHOICE:
            return "、".join(self.labels.values())
        if self.cell_type == BOOL:
            return "是、否"
        if self.cell_type == DATE:
            return _("日期，如 2024-03-01、2024/3/1、2024年3月1日")
        if self.cell_type == TAGS:
            return _("多个标签用“、”分隔，如 双强、致富能手")
        return ""

    # Reading -------------------------------------------------------------------------------

    def parse(self, raw):
        """The Python value of a cell, or CellError."""
        if isinstance(raw, str):
            raw = raw.strip()
        empty = raw is None or raw == ""
        if self.cell_type == DATE:
            return None if empty else parse_date(raw)
        if self.cell_type == CHOICE:
            return None if empty else self._parse_choice(raw)
        if self.cell_type == BOOL:
            return False if empty else parse_bool(raw)
        if self.cell_type == TAGS:
            return [] if empty else self._parse_tags(raw)
        if self.cell_type == ID_NUMBER:
            return "" if empty else parse_id_number(raw)
        text = "" if empty else _text(raw)
        if self.cell_type == CODE:
            text = text.upper()
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                _("不能超过%(n)s个字，实际为%(actual)s个字")
                % {"n": self.max_length, "actual": len(text)}
            )
        return text

    def _parse_choice(self, raw):
        text = _text(raw)
        value = self._lookup.get(text) or self._lookup.get(text.lower())
        if value is None:
            raise CellError(
                _("%(label)s“%(value)s”不在可选范围内（%(allowed)s）")
                % {"label": self.header, "value": text, "allowed": self.allowed_text()}
            )
        return value

    def _parse_tags(self, raw):
        names = []
        for name in TAG_SEPARATORS.split(_text(raw)):
            if name and name not in names:
                if len(name) > 30:
                    raise CellError(_("标签“%(name)s”超过30个字") % {"name": name})
                names.append(name)
        return names

    # Writing -------------------------------------------------------------------------------

    def to_cell(self, value):
        """The cell value for a Python value, as the importer reads it back."""
        if value is None:
            return None
        if self.cell_type == CHOICE:
            return self.labels.get(value, value)
        if self.cell_type == BOOL:
            return "是" if value else "否"
        if self.cell_type == TAGS:
            return "、".join(value)
        return value


def _text(raw) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if EXCEL_SERIAL_RANGE[0] <= raw <= EXCEL_SERIAL_RANGE[1]:
            return from_excel(raw).date()
        # Otherwise a number such as 20240301 typed into a cell: read it as text.
    text = _text(raw)
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a time of 00:00 typed along
    match = DATE_TEXT.match(text) or DATE_COMPACT.match(text)
    if not match:
        raise CellError(
            _("日期“%(value)s”无法识别，请写成 2024-03-01、2024/3/1 或 2024年3月1日")
            % {"value": text}
        )
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(_("日期“%(value)s”不存在") % {"value": text}) from None


def parse_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s”应填“是”或“否”") % {"value": text})


def parse_id_number(raw) -> str:
    if isinstance(raw, float):
        # An 18-digit number stored as a number has lost its last digits in Excel.
        raise CellError(
            _("身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为文本格式后重新填写")
        )
    text = _text(raw).upper()
    if "*" in text:
        raise CellError(_("身份证号已脱敏（含*），脱敏导出的文件不能重新导入"))
    return text


ORGANIZATION_COLUMNS = (
    Column(
        "组织编码",
        "code",
        CODE,
        required=True,
        max_length=32,
        width=16,
        note="全县唯一，如 TA01",
        example="410001001",
    ),
    Column(
        "组织名称", "name", TEXT, required=True, max_length=120, width=28, example="示例村党支部"
    ),
    Column(
        "上级组织编码",
        "parent",
        CODE,
        header_required=True,
        max_length=32,
        width=16,
        note="上级组织须已存在于您管辖的组织中，或写在本文件靠前的行中",
        example="410001",
    ),
    Column("组织类别", "kind", CHOICE, Kind, required=True, example="branch"),
    Column("领域", "sector", CHOICE, Sector, note="不填为“其他”", example="rural"),
    Column("层级", "level", CHOICE, Level, note="不填为“其他”", example="village"),
    Column("成立日期", "founded_on", DATE, width=12, example=datetime.date(2018, 7, 1)),
    Column("联系电话", "phone", TEXT, max_length=32, example="0370-1234567"),
    Column("地址", "address", TEXT, max_length=200, width=30, example="示例村村委会"),
)

MEMBER_COLUMNS = (
    Column("姓名", "name", TEXT, required=True, max_length=40, width=10, example="张三"),
    Column("性别", "gender", CHOICE, Gender, required=True, width=6, example="m"),
    Column("民族", "ethnicity", TEXT, max_length=20, width=8, note="不填为“汉族”", example="汉族"),
    Column(
        "出生日期",
        "birth_date",
        DATE,
        required=True,
        width=12,
        note="须与身份证号一致",
        example=datetime.date(1985, 6, 15),
    ),
    Column("学历", "education", CHOICE, Education, required=True, example="university"),
    Column(
        "身份证号", "id_number", ID_NUMBER, required=True, width=21, note="18位，请以文本格式填写"
    ),
    Column("手机号", "phone", TEXT, max_length=20, width=14, example="13800000000"),
    Column(
        "入党日期", "joined_on", DATE, required=True, width=12, example=datetime.date(2010, 7, 1)
    ),
    Column(
        "转正日期",
        "full_on",
        DATE,
        width=12,
        note="正式党员必填，预备党员不填",
        example=datetime.date(2011, 7, 1),
    ),
    Column("党员状态", "status", CHOICE, Status, required=True, example="full"),
    Column("人员类别", "category", CHOICE, Category, required=True, width=18, example="rural"),
    Column(
        "职业",
        "occupation",
        CHOICE,
        Occupation,
        width=24,
        note="按党内统计的职业分类；不填按人员类别推定（企事业单位人员须填）",
        example="farmer",
    ),
    Column("流动党员", "is_mobile", BOOL, width=9, note="不填为“否”", example=False),
    Column(
        "所在组织编码",
        "organization",
        CODE,
        required=True,
        max_length=32,
        width=16,
        note="党员应编入党支部（党总支、党小组）",
        example="410001001",
    ),
    Column("岗位", "posts", TEXT, max_length=200, width=20, example="党员示范岗"),
    Column("标签", "tags", TAGS, width=16, example=["双强", "致富能手"]),
)

COLUMNS = {ORGANIZATIONS: ORGANIZATION_COLUMNS, MEMBERS: MEMBER_COLUMNS}
# A column an export adds for the reader (the member's organization by name), after the
# template's columns; the importer skips it, so an exported file still imports as it is.
REFERENCE_HEADERS = {MEMBERS: "所在党组织名称（仅供查看，导入时不读）"}
SHEET_TITLES = {ORGANIZATIONS: "党组织", MEMBERS: "党员"}
# In file names, file notes and command output: part of the file format, always Chinese.
KIND_LABELS = {ORGANIZATIONS: "党组织", MEMBERS: "党员"}
# On pages, in the user's language ("导入党组织" / "Import organizations").
KIND_PAGE_LABELS = {
    ORGANIZATIONS: pgettext_lazy("ledger kind", "党组织"),
    MEMBERS: pgettext_lazy("ledger kind", "党员"),
}
INSTRUCTIONS_TITLE = "填写说明"


def normalize_header(value) -> str:
    """'流动党员(是/否)', '*姓名 ' and '姓名' all name the same column."""
    text = "" if value is None else str(value).strip()
    text = text.lstrip("*＊").strip()
    text = re.sub(r"[（(][^（()）]*[)）]$", "", text).strip()
    return text


def column_by_header(kind: str) -> dict[str, Column]:
    return {c.header: c for c in COLUMNS[kind]}


# Workbooks -----------------------------------------------------------------------------------

EXAMPLE_FONT = Font(italic=True, color="808080")


def _validation(column: Column, letter: str, last_row: int) -> DataValidation | None:
    if column.cell_type == CHOICE:
        values = list(column.labels.values())
    elif column.cell_type == BOOL:
        values = ["是", "否"]
    else:
        return None
    formula = '"' + ",".join(values) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        return None
    dv = DataValidation(
        type="list", formula1=formula, allow_blank=not column.required, showErrorMessage=False
    )
    dv.promptTitle = column.header
    dv.prompt = "请从下拉列表中选择"
    dv.add(f"{letter}2:{letter}{last_row}")
    return dv


def setup_data_sheet(
    ws, kind: str, *, write_only: bool = False, last_row: int = VALIDATION_ROWS, reference=False
):
    """Column widths, text format for codes and ID numbers, drop-downs; then the header row."""
    columns = COLUMNS[kind]
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width + 2
        if column.cell_type in (TEXT, CODE, ID_NUMBER):
            ws.column_dimensions[letter].number_format = "@"
        if dv := _validation(column, letter, last_row):
            ws.data_validations.append(dv)
    ws.freeze_panes = "A2"
    if write_only:
        extra = [REFERENCE_HEADERS[kind]] if reference and kind in REFERENCE_HEADERS else []
        core_xlsx.header(ws, [c.header for c in columns] + extra)
    else:
        ws.append([c.header for c in columns])
        for cell in ws[1]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def instructions_rows(kind: str) -> list[list[str]]:
    rows = [["列名", "是否必填", "可填写的值", "说明"]]
    for column in COLUMNS[kind]:
        rows.append(
            [
                column.header,
                "必填" if column.required else "选填",
                column.allowed_text(),
                column.note,
            ]
        )
    return rows


def write_instructions(ws, kind: str, notes: list[str]):
    """The "填写说明" sheet: every column with its allowed values, then general notes."""
    for row in instructions_rows(kind):
        ws.append(row)
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.append([])
    for note in notes:
        ws.append([note])
    for letter, width in zip("ABCD", (16, 10, 60, 50), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_workbook(kind: str):
    """A template: header row, one example row, and the "填写说明" sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLES[kind]
    setup_data_sheet(ws, kind)
    example = []
    for column in COLUMNS[kind]:
        value = column.example
        if column.field == "id_number":
            value = make_id_number("411423", datetime.date(1985, 6, 15), 1, "m")
        example.append(column.to_cell(value))
    ws.append(example)
    for i, cell in enumerate(ws[2], start=1):
        cell.font = EXAMPLE_FONT
        if COLUMNS[kind][i - 1].cell_type == DATE:
            cell.number_format = "yyyy-mm-dd"
        elif COLUMNS[kind][i - 1].cell_type in (TEXT, CODE, ID_NUMBER):
            cell.number_format = "@"
    notes = [
        "第1行是表头，请勿修改；第2行是示例，导入前请删除或改写。",
        "每行一条记录；整个文件先全部校验，有任何错误都不会导入，并列出所有出错的行和列。",
        "选择类的列请从下拉列表中选择（也可填写英文代码）。",
    ]
    if kind == ORGANIZATIONS:
        notes.append("上级组织须先于下级组织出现在文件中。")
    else:
        notes.append("身份证号、手机号请以文本格式填写，以免 Excel 把身份证号后几位变成0。")
    write_instructions(wb.create_sheet(INSTRUCTIONS_TITLE), kind, notes)
    return wb
