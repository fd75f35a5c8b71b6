"""Rosters from elsewhere: any .xlsx whose columns are mapped to dangjian's member fields.

A county's rosters come from the national member information system (全国党员管理信息系统)
and from its own spreadsheets, each with its own headers and words. The user maps the
file's headers to fields once (suggested here from header synonyms and, where a header is
ambiguous, from its values), the mapping is kept (reports.models.ImportMapping), and the
file's rows are then read into the template's fields and imported exactly as a template
file's are (reports.io.import_rows: the whole file checked, errors by row and column). The
errors are told back in the source file's row numbers and headers.

Values the national system writes differently are translated (正式/预备, 男性/女性, 大专,
本科, dates such as 1985.07 or 1985年7月); a date given to the month only is read as the
1st, except a birth date, which is taken from the ID number when it falls in that month.
"""

import datetime
import hashlib
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.members.rules import birth_date_from_id, id_number_error, normalize_id_number

from . import xlsx

ORGANIZATION_NAME = "organization_name"
IGNORE = ""
HEADER_SCAN_ROWS = 10  # a title row or two above the header is common

# {field: header synonyms}; the template's own header is always one.
SYNONYMS = {
    "name": ("姓名", "党员姓名"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "education": ("学历", "文化程度", "最高学历", "全日制学历"),
    "id_number": ("身份证号", "公民身份号码", "身份证号码", "身份证", "居民身份证号码"),
    "phone": ("手机号", "联系电话", "手机号码", "联系方式", "电话"),
    "joined_on": ("入党日期", "入党时间", "加入党组织日期", "入党年月"),
    "full_on": ("转正日期", "转为正式党员时间", "转为正式党员日期", "转正时间"),
    "status": ("党员状态", "党员类型"),
    "category": ("党员类别", "工作岗位"),
    "occupation": ("职业",),
    "is_mobile": ("流动党员", "是否流动党员"),
    "organization": ("所在组织编码", "组织编码", "党组织编码"),
    ORGANIZATION_NAME: ("所在党支部", "所在党组织", "所在党组织名称", "党组织名称", "所在支部"),
    "posts": ("岗位", "党员岗位"),
    "tags": ("标签",),
}
# A header that names either field: decided by its values (正式党员 → status).
AMBIGUOUS = {"人员类别": ("status", "category")}

# Words of other systems for choice values: {field: {word: code}}.
VALUE_WORDS = {
    "status": {"正式": "full", "预备": "probationary"},
    "gender": {"男性": "m", "女性": "f"},
    "education": {
        "博士研究生": "postgraduate",
        "硕士研究生": "postgraduate",
        "博士": "postgraduate",
        "硕士": "postgraduate",
        "大学": "university",
        "本科": "university",
        "大专": "college",
        "专科": "college",
        "中等专科": "vocational",
        "中等专业学校": "vocational",
        "中技": "secondary",
        "技工学校": "secondary",
        "高中": "secondary",
        "职业高中": "secondary",
        "小学": "primary",
        "文盲": "primary",
    },
    "category": {
        "农民": "rural",
        "牧民": "rural",
        "渔民": "rural",
        "机关": "agency",
        "党政机关": "agency",
        "事业单位管理人员": "institution",
        "事业单位专业技术人员": "institution",
        "企业管理人员": "enterprise",
        "企业专业技术人员": "enterprise",
        "离退休": "retired",
        "其他": "other",
    },
    "is_mobile": {"流动": True, "非流动": False},
}
MONTH_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")

_COLUMNS = {c.field: c for c in xlsx.MEMBER_COLUMNS}


def field_choices() -> list[tuple[str, str]]:
    """(field, label) a header may be mapped to, "" for "not imported"."""
    out = [(IGNORE, str(gettext_lazy("（不导入）")))]
    for column in xlsx.MEMBER_COLUMNS:
        out.append((column.field, column.header))
        if column.field == "organization":
            out.append((ORGANIZATION_NAME, "所在党组织名称"))
    return out


FIELDS = {f for f, _label in field_choices()}


def normalize(header) -> str:
    return re.sub(r"\s+", "", xlsx.normalize_header(header))


def _by_header() -> dict[str, str]:
    out = {}
    for field, headers in SYNONYMS.items():
        own = (_COLUMNS[field].header,) if field in _COLUMNS else ()
        for h in (*own, *headers):
            out.setdefault(normalize(h), field)
    return out


_BY_HEADER = _by_header()


def _looks_like_status(values) -> bool:
    words = {str(v).strip() for v in values if v not in (None, "")}
    return bool(words) and words <= {"正式党员", "预备党员", "正式", "预备"}


def suggest(headers, samples=None) -> dict[str, str]:
    """{header: field} for the headers recognised; one header per field (the first)."""
    samples = samples or {}
    out, taken = {}, set()
    for header in headers:
        key = normalize(header)
        if not key:
            continue
        field = _BY_HEADER.get(key)
        if key in AMBIGUOUS:
            status, category = AMBIGUOUS[key]
            field = status if _looks_like_status(samples.get(header, ())) else category
        if field and field not in taken:
            out[header] = field
            taken.add(field)
    return out


def signature(headers) -> str:
    keys = sorted({normalize(h) for h in headers if normalize(h)})
    return hashlib.sha1("|".join(keys).encode()).hexdigest()


def mapping_errors(mapping: dict) -> dict[str, str]:
    """{header or "mapping": message} of what makes a mapping unusable."""
    errors = {}
    seen: dict[str, str] = {}
    for header, field in mapping.items():
        if field == IGNORE:
            continue
        if field not in FIELDS:
            errors[header] = _("“%(h)s”对应的字段“%(f)s”不存在") % {"h": header, "f": field}
        elif field in seen:
            errors[header] = _("“%(h)s”与“%(other)s”对应了同一个字段“%(f)s”") % {
                "h": header,
                "other": seen[field],
                "f": label_of(field),
            }
        else:
            seen[field] = header
    if "organization" in seen and ORGANIZATION_NAME in seen:
        errors["mapping"] = _("所在组织编码和所在党组织名称只需对应一列")
    missing = [
        c.header
        for c in xlsx.MEMBER_COLUMNS
        if c.must_be_present and c.field != "organization" and c.field not in seen
    ]
    if missing:
        errors["mapping"] = _("以下字段没有对应的列：%(fields)s") % {"fields": "、".join(missing)}
    return errors


def label_of(field: str) -> str:
    return dict(field_choices()).get(field, field)


# Reading the source file ---------------------------------------------------------------------


def _blank(v) -> bool:
    return v is None or str(v).strip() == ""


def find_header_row(rows: list[tuple]) -> int:
    """The 1-based row of the header among the first rows: the first with at least two
    recognised headers, else the first with the most filled cells."""
    best, best_count = 1, -1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        known = sum(1 for v in row if normalize(v) in _BY_HEADER or normalize(v) in AMBIGUOUS)
        if known >= 2:
            return i
        filled = sum(1 for v in row if not _blank(v))
        if filled > best_count:
            best, best_count = i, filled
    return best


def read_headers(fileobj, sample_rows: int = 5):
    """(header row, [headers], {header: sample values}) of the first sheet, or a problem
    (text) when the file cannot be read; the file's own checks (size, archive) first."""
    from openpyxl import load_workbook

    from . import io

    problem = io.check_file(fileobj) or io.check_archive(fileobj)
    fileobj.seek(0)
    if problem:
        return None, [], {}, problem
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        sheet.reset_dimensions()
        head = []
        for row in sheet.iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS + sample_rows):
            head.append(tuple(row))
        wb.close()
    except Exception:
        return None, [], {}, _("文件已损坏或不是有效的 .xlsx 文件，无法读取")
    finally:
        fileobj.seek(0)
    if not head:
        return None, [], {}, _("文件是空的")
    header_row = find_header_row(head)
    header = head[header_row - 1]
    headers, seen = [], set()
    for v in header:
        text = "" if _blank(v) else str(v).strip()
        if text and text not in seen:
            headers.append(text)
            seen.add(text)
    if not headers:
        return None, [], {}, _("文件是空的：找不到表头")
    samples = {h: [] for h in headers}
    for row in head[header_row:]:
        for i, v in enumerate(header):
            text = "" if _blank(v) else str(v).strip()
            if text in samples and i < len(row) and not _blank(row[i]):
                samples[text].append(row[i])
    return header_row, headers, samples, None


# Translating values --------------------------------------------------------------------------


def translate(field: str, raw):
    """The raw cell as the template's column reads it (codes for words of other systems)."""
    if isinstance(raw, str):
        raw = raw.strip()
        words = VALUE_WORDS.get(field)
        if words and raw in words:
            return words[raw]
        if _COLUMNS.get(field) is not None and _COLUMNS[field].cell_type == xlsx.DATE:
            if m := MONTH_DATE.match(raw):
                year, month = int(m.group(1)), int(m.group(2))
                if 1 <= month <= 12:
                    return _MonthDate(year, month)
    return raw


class _MonthDate(datetime.date):
    """A date known to the month only (the 1st stands for it)."""

    def __new__(cls, year, month):
        return super().__new__(cls, year, month, 1)


def _fix_row(values: dict) -> dict:
    birth = values.get("birth_date")
    if isinstance(birth, _MonthDate):
        id_number = normalize_id_number(str(values.get("id_number") or ""))
        if id_number and not id_number_error(id_number):
            day = birth_date_from_id(id_number)
            if (day.year, day.month) == (birth.year, birth.month):
                values["birth_date"] = day
    for f in ("birth_date", "joined_on", "full_on"):
        if isinstance(values.get(f), _MonthDate):
            values[f] = datetime.date(values[f].year, values[f].month, 1)
    return values


def read_mapped(fileobj, mapping: dict, *, header_row: int, default_org_code: str, org_codes):
    """The rows of a file in other columns, read into the template's fields through
    `mapping`: ([(row number, {field: raw value})], {template header: source header}, problem).

    Row numbers are the source file's. Values of other systems are translated (`translate`,
    month-only dates); organization names become codes (`org_codes(names)` gives {name:
    code} of those found in scope; an unknown name stays as it is and is reported as an
    unknown organization); without an organization column every row goes to
    `default_org_code`."""
    from openpyxl import load_workbook

    from .io import MAX_ROWS, _too_many_rows

    wb = load_workbook(fileobj, read_only=True, data_only=True)
    try:
        sheet = wb.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        for _i in range(header_row - 1):
            next(rows, None)
        header = next(rows, ()) or ()
        index = {}  # field → column index in the source
        for i, v in enumerate(header):
            text = "" if _blank(v) else str(v).strip()
            field = mapping.get(text, IGNORE)
            if field and field not in index:
                index[field] = i
        by_name = ORGANIZATION_NAME in index
        out, names = [], set()
        for number, row in enumerate(rows, start=header_row + 1):
            if number > MAX_ROWS + 1:
                return [], {}, _too_many_rows()
            values = {}
            for field, i in index.items():
                values[field] = translate(field, row[i] if i < len(row) else None)
            if all(_blank(v) for v in values.values()):
                continue
            out.append((number, _fix_row(values)))
            if by_name and not _blank(values.get(ORGANIZATION_NAME)):
                names.add(str(values[ORGANIZATION_NAME]).strip())
    finally:
        wb.close()
    if not out:
        return [], {}, _("文件中没有数据：表头下面没有任何一行")
    codes = org_codes(sorted(names)) if by_name else {}
    for _number, values in out:
        if by_name:
            name = str(values.pop(ORGANIZATION_NAME) or "").strip()
            values["organization"] = codes.get(name, name)
        elif "organization" not in index:
            values["organization"] = default_org_code
        for field, value in values.items():
            values[field] = _cell(value)
    source_of = {field: str(header[i]).strip() for field, i in index.items()}
    headers = {}
    for column in xlsx.MEMBER_COLUMNS:
        source = source_of.get(column.field)
        if column.field == "organization" and by_name:
            source = source_of[ORGANIZATION_NAME]
        if source:
            headers[column.header] = source
    return out, headers, None


def _cell(value):
    if isinstance(value, _MonthDate):
        return datetime.date(value.year, value.month, 1)
    return value
