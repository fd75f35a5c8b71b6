"""Import and export of organizations and members as .xlsx.

Import: the whole file is read and validated first, every bad row and field is collected
(“第5行“身份证号”：身份证号校验位不正确，请核对”), and only a file without a single error is
written, in one transaction, through the bulk services of orgs and members. Member rows are
checked by `members.services.clean()`, the same rules as the forms and the API; what needs
the database (organizations in scope, ID numbers already on the roll, duplicates inside the
file) is checked for the whole file at once.

Export: the same columns as the template (ledger.xlsx), written in openpyxl's write-only
mode from an iterator, so a county's 19,000 members stream out without being held in memory.
"""

import datetime
import inspect
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import xlsx as core_xlsx
from dangjian.core.services import join_labels, require
from dangjian.core.toolkit import subtree_phrase
from dangjian.members import services as member_services
from dangjian.members.rules import mask_id_number, normalize_id_number
from dangjian.members.selectors import personal_details
from dangjian.orgs import rules as org_rules
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import managed_by_codes

from . import xlsx
from .xlsx import MEMBERS, ORGANIZATIONS, CellError

MAX_ROWS = 200_000  # rows of the sheet, blank ones included
MAX_ERRORS = 200  # listed; validation stops when there are this many
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

# What an .xlsx may unpack to, checked from the archive before openpyxl opens it (issue 10: a
# 1 MB file of 1 GB of spaces took 2.3 GB of memory, 3 million shared strings 2.6 GB). The
# importer then reads in openpyxl's read-only (streaming) mode, so memory stays bounded.
MAX_PARTS = 1000  # files in the archive (Excel writes a few dozen)
MAX_SHEET_BYTES = 256 * 1024 * 1024  # one worksheet unpacked (200,000 rows take about 150 MB)
MAX_STRINGS_BYTES = 64 * 1024 * 1024  # xl/sharedStrings.xml unpacked
MAX_PART_BYTES = 4 * 1024 * 1024  # any other XML part (styles, workbook, properties)
MAX_SHARED_STRINGS = 500_000  # distinct texts (openpyxl holds them all in memory)
MAX_COLUMNS = 16_384  # cells in one row (Excel's limit; openpyxl holds a row's cells)
# Text or a tag between two "<": a cell holds at most 32,767 characters, well below this.
MAX_RUN_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024

# members.services.clean() looks one ID number up in the database per call. The importer looks
# up the whole file's ID numbers in a few queries instead (validate_members), so when clean()
# offers to skip its own lookup (check_unique=False) it is asked to.
_CLEAN_OPTIONS = (
    {"check_unique": False}
    if "check_unique" in inspect.signature(member_services.clean).parameters
    else {}
)


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row number (1 = header); None for the whole file
    column: str | None
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return _("第%(row)s行“%(column)s”：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第%(row)s行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


class _Errors:
    """Errors of one import, at most one per (row, column), kept in file order. Full at
    MAX_ERRORS: the rows after the one that filled it are not checked."""

    def __init__(self):
        self.items: dict[tuple, RowError] = {}
        self.rows: set = set()
        self.stopped_at: int | None = None  # the last row checked, when full

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_ERRORS

    def add(self, row, column, message):
        self.items.setdefault((row, column), RowError(row, column, message))
        self.rows.add(row)

    def has(self, row, column=None) -> bool:
        return (row, column) in self.items

    def row_has_any(self, row) -> bool:
        return row in self.rows

    def sorted(self, kind) -> list[RowError]:
        """The first MAX_ERRORS errors in file order, then a line saying where checking
        stopped if it did."""
        order = {c.header: i for i, c in enumerate(xlsx.COLUMNS[kind])}
        errors = sorted(
            self.items.values(),
            key=lambda e: (e.row or 0, -1 if e.column is None else order.get(e.column, 99)),
        )
        if len(errors) <= MAX_ERRORS and self.stopped_at is None:
            return errors
        return errors[:MAX_ERRORS] + [
            RowError(
                None,
                None,
                _("错误过多，只列出前%(n)s处；第%(row)s行之后的行未检查。请改正后重新导入")
                % {"n": MAX_ERRORS, "row": self.stopped_at or errors[MAX_ERRORS - 1].row},
            )
        ]

    def __bool__(self):
        return bool(self.items)


# Reading the file ----------------------------------------------------------------------------


def check_file(fileobj) -> str | None:
    """What makes the file no .xlsx at all (empty, old .xls, not a zip), or None; cheap
    enough for the upload request, before the file is kept for the import job."""
    head = fileobj.read(8)
    fileobj.seek(0)
    if not head:
        return _("文件是空的")
    if head.startswith(OLE_MAGIC):
        return _("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    ok = zipfile.is_zipfile(fileobj)
    fileobj.seek(0)
    if not ok:
        return _("文件不是 Excel（.xlsx）文件，请使用下载的模板填写")
    return None


def _part_count(fileobj) -> int | None:
    """The number of files the zip's end record declares (read before zipfile loads the
    directory, which takes memory per entry), or None without one."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - 65_557))  # the end record (22 bytes) and a comment of 64 KB
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")  # 0xFFFF: a zip64 archive


@dataclass
class _Scan:
    """What one XML part holds, counted in chunks as it is unpacked."""

    longest: int = 0  # the longest run of bytes without a "<"
    strings: int = 0  # shared-string items
    rows: int = 0
    widest: int = 0  # the most cells in one row
    cells: int = 0  # of the row being counted


def _tag(name: bytes):
    """A start tag `name`, with any namespace prefix."""
    return re.compile(rb"<(?:[\w.-]+:)?" + name + rb"[\s/>]")


_ROW, _CELL, _SHARED_STRING = _tag(rb"row"), _tag(rb"c"), _tag(rb"si")


def _count(scan: _Scan, piece: bytes) -> None:
    scan.strings += len(_SHARED_STRING.findall(piece))
    starts = [m.start() for m in _ROW.finditer(piece)]
    scan.cells += len(_CELL.findall(piece, 0, starts[0] if starts else len(piece)))
    scan.widest = max(scan.widest, scan.cells)
    for a, b in zip(starts, [*starts[1:], len(piece)], strict=False):
        scan.rows += 1
        scan.cells = len(_CELL.findall(piece, a, b))
        scan.widest = max(scan.widest, scan.cells)


def _scan(archive, info) -> _Scan:
    """The counts of one XML part, read in chunks; stops early once over a limit. Each piece
    counted ends before a "<", so no tag is cut in two."""
    scan = _Scan()
    run = 0
    carry = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            first = chunk.find(b"<")
            if first < 0:
                run += len(chunk)
                carry += chunk
            else:
                scan.longest = max(scan.longest, run + first)
                run = len(chunk) - chunk.rfind(b"<") - 1
                buffer = carry + chunk
                cut = buffer.rfind(b"<")
                _count(scan, buffer[:cut])
                carry = buffer[cut:]
            scan.longest = max(scan.longest, run)
            if (
                scan.longest > MAX_RUN_BYTES
                or scan.strings > MAX_SHARED_STRINGS
                or scan.rows > MAX_ROWS + 1
                or scan.widest > MAX_COLUMNS
            ):
                return scan
    _count(scan, carry)
    return scan


def _too_many_rows() -> str:
    return _("文件超过%(n)s行（空行也算在内），请删除多余的空行或分成几个文件导入") % {
        "n": MAX_ROWS
    }


def check_archive(fileobj) -> str | None:
    """What makes the .xlsx unpack to more than the importer reads, or None: too many parts,
    a part too large unpacked, an overlong text, too many distinct texts."""
    parts = _part_count(fileobj)
    if parts is None or parts > MAX_PARTS:
        return _(
            "文件包含的部分过多，不像是 Excel 正常保存的表格，"
            "请在 Excel 中另存为新的 .xlsx 文件后再导入"
        )
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # reported as a damaged file by the reader
    with archive:
        xml = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
        for info in xml:
            if info.filename.startswith("xl/worksheets/"):
                if info.file_size > MAX_SHEET_BYTES:
                    return _(
                        "工作表解压后超过%(max)s，请删除多余的行、列和格式，或分成几个文件导入"
                    ) % {"max": filesizeformat(MAX_SHEET_BYTES)}
            elif info.filename == "xl/sharedStrings.xml":
                if info.file_size > MAX_STRINGS_BYTES:
                    return _("文件中的文字解压后超过%(max)s，请分成几个文件导入") % {
                        "max": filesizeformat(MAX_STRINGS_BYTES)
                    }
            elif info.file_size > MAX_PART_BYTES:
                return _(
                    "文件中有一部分解压后超过%(max)s，不像是 Excel 正常保存的表格，"
                    "请在 Excel 中另存为新的 .xlsx 文件后再导入"
                ) % {"max": filesizeformat(MAX_PART_BYTES)}
        strings = 0
        for info in xml:
            try:
                scan = _scan(archive, info)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
                return None  # reported as a damaged file by the reader
            strings += scan.strings
            if scan.longest > MAX_RUN_BYTES:
                return _(
                    "文件中有一段内容超过%(max)s，不像是 Excel 正常保存的表格，"
                    "请在 Excel 中另存为新的 .xlsx 文件后再导入"
                ) % {"max": filesizeformat(MAX_RUN_BYTES)}
            if strings > MAX_SHARED_STRINGS:
                return _("文件中不同的文字超过%(n)s个，请分成几个文件导入") % {
                    "n": MAX_SHARED_STRINGS
                }
            if scan.rows > MAX_ROWS + 1:
                return _too_many_rows()
            if scan.widest > MAX_COLUMNS:
                return _(
                    "文件中有一行超过%(n)s个单元格，不像是 Excel 正常保存的表格，"
                    "请在 Excel 中另存为新的 .xlsx 文件后再导入"
                ) % {"n": MAX_COLUMNS}
    fileobj.seek(0)
    return None


class _Rows(list):
    """The rows read, kept as tuples (a third of the memory of dicts); iterated as
    (row number, {field: raw cell value})."""

    def __init__(self, fields):
        super().__init__()
        self.fields = list(fields)

    def __iter__(self):
        for number, values in super().__iter__():
            yield number, dict(zip(self.fields, values, strict=True))


def read_rows(
    fileobj, kind: str, checked: "_Errors | None" = None
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """[(row number, {field: raw cell value})] of the first sheet, or the file's errors.
    With `checked`, each row's cells are checked as it is read, and reading stops when
    `checked` is full (150,000 bad rows are not all read to list 200 errors)."""
    problem = check_file(fileobj) or check_archive(fileobj)
    fileobj.seek(0)
    if problem:
        return [], [RowError(None, None, problem)]
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        return [], [RowError(None, None, _("文件已损坏或不是有效的 .xlsx 文件，无法读取"))]
    try:
        if not wb.worksheets:
            return [], [RowError(None, None, _("文件中没有工作表"))]
        sheet = wb.worksheets[0]
        # Some programs write a wrong <dimension>; read what is there, not what it claims.
        sheet.reset_dimensions()
        rows_iter = sheet.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None or all(v is None or str(v).strip() == "" for v in header):
            return [], [RowError(None, None, _("文件是空的：第1行应为表头，第2行起为数据"))]
        fields, errors = _read_header(header, kind)
        if errors:
            return [], errors
        rows = _Rows(fields.values())
        for number, values in enumerate(rows_iter, start=2):
            if number > MAX_ROWS + 1:  # blank rows count: reading them takes time too
                return [], [RowError(None, None, _too_many_rows())]
            if not any(v is not None and str(v).strip() != "" for v in values):
                continue
            rows.append((number, tuple(values[i] if i < len(values) else None for i in fields)))
            if checked is not None:
                raw = dict(zip(rows.fields, rows[-1][1], strict=True))
                _parse_row(number, raw, kind, checked)
                if checked.full:
                    checked.stopped_at = number
                    break
    except Exception:
        return [], [RowError(None, None, _("文件已损坏或不是有效的 .xlsx 文件，无法读取"))]
    finally:
        wb.close()
    if not rows:
        return [], [RowError(None, None, _("文件中没有数据：第1行为表头，请从第2行起填写"))]
    return rows, []


def _read_header(header, kind) -> tuple[dict[int, str], list[RowError]]:
    by_header = xlsx.column_by_header(kind)
    fields: dict[int, str] = {}
    seen: dict[str, int] = {}
    errors = []
    for i, raw in enumerate(header):
        name = xlsx.normalize_header(raw)
        if not name:
            continue
        column = by_header.get(name)
        if column is None and name == xlsx.normalize_header(xlsx.REFERENCE_HEADERS.get(kind)):
            continue  # what an export adds for the reader (the organization's name)
        if column is None:
            errors.append(
                RowError(
                    1,
                    str(raw).strip(),
                    _("未知的列，允许的列有：%(allowed)s") % {"allowed": join_labels(by_header)},
                )
            )
        elif name in seen:
            errors.append(
                RowError(
                    1, name, _("列重复（第%(a)s列和第%(b)s列）") % {"a": seen[name] + 1, "b": i + 1}
                )
            )
        else:
            seen[name] = i
            fields[i] = column.field
    missing = [c.header for c in xlsx.COLUMNS[kind] if c.must_be_present and c.header not in seen]
    if missing:
        errors.insert(
            0,
            RowError(
                None,
                None,
                _("缺少必需的列：%(columns)s")
                % {"columns": join_labels(f"“{m}”" for m in missing)},
            ),
        )
    return fields, errors


def _parse_rows(rows, kind, errors: _Errors) -> list[tuple[int, dict]]:
    """[(row number, {field: value})], up to the row that fills `errors`."""
    parsed = []
    for number, raw in rows:
        parsed.append((number, _parse_row(number, raw, kind, errors)))
        if errors.full:
            errors.stopped_at = errors.stopped_at or number
            break
    return parsed


def _parse_row(number, raw, kind, errors: _Errors) -> dict:
    """{field: value} of the cells that could be read; the others are reported."""
    values = {}
    for column in xlsx.COLUMNS[kind]:
        if column.field not in raw:
            continue
        try:
            value = column.parse(raw[column.field])
        except CellError as e:
            errors.add(number, column.header, str(e))
            continue
        if column.required and value in (None, "", []):
            errors.add(number, column.header, _("%(column)s不能为空") % {"column": column.header})
            continue
        values[column.field] = value
    return values


# Scope ---------------------------------------------------------------------------------------


def _orgs_in_scope(codes, *, actor, organization) -> dict[str, Organization]:
    """{code: organization} of the codes that name an organization the actor manages inside
    `organization`'s subtree. Anything else is reported as unknown, never as existing."""
    return managed_by_codes(actor, codes, under=organization)


def _out_of_scope(code) -> str:
    return _("组织编码不存在或不在您的管辖范围内：%(code)s") % {"code": code}


def _check_target(actor, organization, kind):
    if organization is None:
        if actor is not None and not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("请选择要导入到的组织"))
        return
    perm = "members.add_member" if kind == MEMBERS else "orgs.add_child"
    require(actor, perm, organization, _("您无权向“%(org)s”导入数据") % {"org": organization.name})


# Members -------------------------------------------------------------------------------------


def validate_members(rows, *, actor, organization, today, errors: _Errors):
    """The rows as (organization, clean data, tags) items for members.services.bulk_create."""
    columns = {c.field: c for c in xlsx.MEMBER_COLUMNS}
    header = {f: c.header for f, c in columns.items()}
    parsed = _parse_rows(rows, MEMBERS, errors)

    orgs = _orgs_in_scope(
        {v.get("organization") for _n, v in parsed}, actor=actor, organization=organization
    )
    org_errors = {}
    for org in orgs.values():
        try:
            member_services.check_organization(org)
        except ValidationError as e:
            org_errors[org.code] = e.message_dict["organization"][0]

    # ID numbers: duplicates inside the file, then against the database in a few queries.
    first_row: dict[str, int] = {}
    for number, values in parsed:
        id_number = normalize_id_number(values.get("id_number") or "")
        if not id_number:
            continue
        if id_number in first_row:
            errors.add(
                number,
                header["id_number"],
                _("与第%(row)s行的身份证号重复") % {"row": first_row[id_number]},
            )
        else:
            first_row[id_number] = number
    ids = list(first_row)
    on_roll = set()
    for start in range(0, len(ids), 500):
        on_roll.update(
            member_services.Member.objects.filter(
                id_number__in=ids[start : start + 500]
            ).values_list("id_number", flat=True)
        )
    for id_number in on_roll:
        errors.add(
            first_row[id_number],
            header["id_number"],
            _("身份证号%(id)s的党员已经在册") % {"id": mask_id_number(id_number)},
        )

    items = []
    for number, values in parsed:
        code = values.get("organization")
        org = orgs.get(code)
        if code and org is None:
            errors.add(number, header["organization"], _out_of_scope(code))
        elif code in org_errors:
            errors.add(number, header["organization"], org_errors[code])
        data = {k: v for k, v in values.items() if k in member_services.FIELDS}
        if "ethnicity" in data and not data["ethnicity"]:
            del data["ethnicity"]  # the model's default, 汉族
        try:
            data = member_services.clean(data, today=today, **_CLEAN_OPTIONS)
        except ValidationError as e:
            for f, messages in e.message_dict.items():
                column = header.get(f)
                if column and not errors.has(number, column):
                    errors.add(number, column, messages[0])
        else:
            if org is not None and not errors.row_has_any(number):
                items.append((org, data, values.get("tags") or []))
    return items


# Organizations -------------------------------------------------------------------------------


def validate_organizations(rows, *, actor, organization, errors: _Errors):
    """The rows as items for orgs.services.bulk_create, parents before children."""
    header = {c.field: c.header for c in xlsx.ORGANIZATION_COLUMNS}
    parsed = _parse_rows(rows, ORGANIZATIONS, errors)

    codes_in_file: dict[str, int] = {}
    for number, values in parsed:
        code = values.get("code")
        if not code:
            continue
        if code in codes_in_file:
            errors.add(
                number,
                header["code"],
                _("与第%(row)s行的组织编码重复") % {"row": codes_in_file[code]},
            )
        else:
            codes_in_file[code] = number
    codes = list(codes_in_file)
    for start in range(0, len(codes), 500):
        for code in Organization.objects.filter(code__in=codes[start : start + 500]).values_list(
            "code", flat=True
        ):
            errors.add(
                codes_in_file[code],
                header["code"],
                _("组织编码“%(code)s”已被使用") % {"code": code},
            )

    parent_codes = {v.get("parent") for _n, v in parsed} - set(codes_in_file)
    existing = _orgs_in_scope(parent_codes, actor=actor, organization=organization)
    kinds_in_file: dict[str, str | None] = {}
    items = []
    for number, values in parsed:
        code, parent_code = values.get("code"), values.get("parent")
        parent_kind = None
        parent = None
        if not parent_code:
            if organization is not None or actor is not None and not actor.is_superuser:
                errors.add(number, header["parent"], _("上级组织编码不能为空"))
        elif parent_code in kinds_in_file:
            parent, parent_kind = parent_code, kinds_in_file[parent_code]
        elif parent_code in codes_in_file:
            errors.add(
                number,
                header["parent"],
                _("上级组织“%(code)s”须写在本行之前（第%(row)s行）")
                % {"code": parent_code, "row": codes_in_file[parent_code]},
            )
        elif parent_code not in existing:
            errors.add(number, header["parent"], _out_of_scope(parent_code))
        else:
            parent = existing[parent_code]
            parent_kind = parent.kind
            if parent.is_dissolved:
                errors.add(
                    number, header["parent"], _("上级组织“%(name)s”已撤销") % {"name": parent.name}
                )
        kind = values.get("kind")
        if kind and parent_kind and (error := org_rules.child_kind_error(parent_kind, kind)):
            errors.add(number, header["kind"], error)
        if code and code not in kinds_in_file:
            kinds_in_file[code] = kind
        data = {k: v for k, v in values.items() if k in org_services.EDITABLE}
        for f in ("sector", "level"):
            if not data.get(f):
                data.pop(f, None)
        if not data.get("founded_on"):
            data.pop("founded_on", None)
        if not errors.row_has_any(number):
            items.append({"parent": parent, **data})
    return items


# Import --------------------------------------------------------------------------------------


def _counting(rows, progress, total):
    """The rows, reporting every 500th to `progress` as it is validated."""
    for i, row in enumerate(rows, start=1):
        if i % 500 == 0:
            progress(i, total, _("正在校验第%(n)s行") % {"n": i})
        yield row


def import_file(
    fileobj, kind: str, *, actor=None, organization=None, today=None, progress=None
) -> ImportResult:
    """Validate the whole file; write it only if it has no error at all.

    `organization` is the organization the file is imported into: every organization the
    file names must lie in its subtree and be managed by `actor`. With no organization and
    no actor (the command line), the scope is the whole database and organizations without a
    parent become roots. `progress(done, total, message)`, when given, hears of the rows
    validated and written (a background job's progress bar).
    """
    if kind not in xlsx.KINDS:
        raise ValueError(kind)
    _check_target(actor, organization, kind)
    result = ImportResult(kind)
    errors = _Errors()
    rows, file_errors = read_rows(fileobj, kind, errors)
    if file_errors:
        result.errors = file_errors
        return result
    return import_rows(
        rows, kind, actor=actor, organization=organization, today=today, progress=progress,
        result=result, errors=errors,
    )  # fmt: skip


def import_rows(
    rows, kind, *, actor=None, organization=None, today=None, progress=None, result=None,
    errors=None,
) -> ImportResult:  # fmt: skip
    """Validate and write rows already read: [(row number, {field: raw cell value})], the
    fields those of the template's columns (reports.mapping reads a file in other columns
    into these). The same whole-file check as a template file's."""
    if result is None:
        _check_target(actor, organization, kind)
        result = ImportResult(kind)
    errors = errors if errors is not None else _Errors()
    result.rows = len(rows)
    total = 2 * len(rows)
    if progress is not None:
        progress(0, total, _("共%(n)s行，正在校验") % {"n": len(rows)})
        rows = _counting(rows, progress, total)
    today = today or timezone.localdate()
    if kind == MEMBERS:
        items = validate_members(
            rows, actor=actor, organization=organization, today=today, errors=errors
        )
    else:
        items = validate_organizations(rows, actor=actor, organization=organization, errors=errors)
    if errors:
        result.errors = errors.sorted(kind)
        return result
    if progress is not None:
        progress(result.rows, total, _("校验通过，正在写入"))
    try:
        with transaction.atomic():
            if kind == MEMBERS:
                created = member_services.bulk_create(items, actor=actor, today=today)
            else:
                created = org_services.bulk_create(items, actor=actor)
    except ValidationError as e:
        # Something changed between validation and writing (another user's edit).
        result.errors = [RowError(None, None, m) for m in e.messages]
        return result
    except IntegrityError:
        result.errors = [RowError(None, None, _("导入时数据已被他人修改，请重新导入"))]
        return result
    result.created = len(created)
    if progress is not None:
        progress(total, total, _("已写入%(n)s条") % {"n": result.created})
    return result


# Export --------------------------------------------------------------------------------------


def _new_workbook(kind):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(xlsx.SHEET_TITLES[kind])
    xlsx.setup_data_sheet(ws, kind, write_only=True, reference=True)
    return wb, ws


def _finish(wb, kind, notes) -> "tempfile.SpooledTemporaryFile":
    info = wb.create_sheet("说明")
    for note in notes:
        core_xlsx.append(info, [note])
    instructions = wb.create_sheet(xlsx.INSTRUCTIONS_TITLE)
    for row in xlsx.instructions_rows(kind):
        core_xlsx.append(instructions, row)
    return core_xlsx.save(wb)


def _export_notes(user, kind, count, extra=()):
    now = timezone.localtime()
    return [
        f"{xlsx.KIND_LABELS[kind]}导出：共{count}条",
        f"导出时间：{now:%Y-%m-%d %H:%M}",
        f"导出人：{getattr(user, 'username', '') or '系统'}",
        "本文件的列与导入模板相同，可直接导入（组织编码、身份证号不能与已有数据重复）。",
        *extra,
    ]


def export_members(user, queryset):
    """An .xlsx file (a file object) of the members of `queryset`, already scoped and filtered.

    ID numbers, phones and birth dates in full only where members.selectors.personal_details
    allows; otherwise masked, and the sheet says that such a file cannot be imported again.
    """
    columns = xlsx.MEMBER_COLUMNS
    wb, ws = _new_workbook(MEMBERS)
    qs = (
        queryset.select_related("organization")
        .prefetch_related("tags")
        .order_by("organization__path", "name", "id")
    )
    count = masked = 0
    for member in qs.iterator(chunk_size=2000):
        shown = personal_details(user, member)  # the one masking policy
        id_number = shown.id_number
        masked += shown.masked
        values = {
            "phone": shown.phone,
            "birth_date": shown.birth,
            "organization": member.organization.code,
            "id_number": id_number,
            "tags": [t.name for t in member.tags.all()],
        }
        core_xlsx.append(
            ws,
            [
                *(
                    c.to_cell(values[c.field] if c.field in values else getattr(member, c.field))
                    for c in columns
                ),
                member.organization.name,
            ],
        )
        count += 1
    extra = []
    if masked:
        ws.title = "党员（身份证号已脱敏，不能导入）"
        extra.append(
            f"注意：您无权查看其中{masked}名党员的完整身份证号、手机号和出生日期，已脱敏显示"
            f"（如 411423************、139****5678、出生日期只写年份）。脱敏导出的文件不能重新导入。"
        )
    return _finish(wb, MEMBERS, _export_notes(user, MEMBERS, count, extra))


def export_organizations(user, top: Organization, queryset):
    """An .xlsx file of the organizations of `queryset` (top's subtree, already scoped).

    Rows are in path order, so every parent comes before its children, as the importer needs.
    """
    columns = xlsx.ORGANIZATION_COLUMNS
    wb, ws = _new_workbook(ORGANIZATIONS)
    codes: dict[str, str] = {}
    parent = top.parent()
    if parent is not None:
        codes[parent.path] = parent.code
    count = 0
    for org in queryset.order_by("path").iterator(chunk_size=2000):
        codes[org.path] = org.code
        values = {"parent": codes.get(org.path[: -Organization.steplen], "")}
        core_xlsx.append(
            ws,
            [
                c.to_cell(values[c.field] if c.field in values else getattr(org, c.field))
                for c in columns
            ],
        )
        count += 1
    notes = _export_notes(
        user,
        ORGANIZATIONS,
        count,
        [
            f"范围：{subtree_phrase(top)}，不含已撤销的组织。",
        ],
    )
    return _finish(wb, ORGANIZATIONS, notes)


def export_filename(kind: str) -> str:
    return f"{xlsx.KIND_LABELS[kind]}_{datetime.date.today():%Y%m%d}.xlsx"
