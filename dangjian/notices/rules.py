"""The rules of a notice's form, without the database: its number, its dates, and what a
body may hold (GB/T 9704, the layout of official documents)."""

import datetime

from django.utils.translation import gettext as _

MAX_SECTIONS = 50
MAX_ROWS = 2000
MAX_COLUMNS = 12
MAX_TEXT = 4000


def number_text(prefix: str, year: int, serial: int) -> str:
    """The document number (发文字号): prefix, the year in hexagonal brackets 〔〕, the
    serial without leading zeros, then 号 — "宁组通〔2026〕3号" (GB/T 9704 7.2.4)."""
    return f"{prefix}〔{year}〕{serial}号"


def date_text(day: datetime.date) -> str:
    """The date of issue in Arabic numerals, year, month and day in full, no leading
    zeros: "2026年12月7日" (GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def default_prefix(name: str, county_level: bool) -> str:
    """A number prefix from the issuer's name, when the county has not set one: the first
    character of the place, then 组通 (the organization department's notices) or 党通:
    "中共宁陵县委组织部" → "宁组通", "中共张弓镇委员会" → "张党通"."""
    place = name.removeprefix("中共").strip() or name
    return f"{place[:1]}{'组通' if county_level else '党通'}"


def check_sections(sections) -> list[str]:
    """What is wrong with a notice body, each message naming the section (and row): empty
    when it may be issued. A section has a heading or paragraphs, and may have one table
    whose rows have as many cells as it has columns."""
    errors = []
    if not isinstance(sections, list) or not sections:
        return [_("通报正文不能为空")]
    if len(sections) > MAX_SECTIONS:
        return [_("通报正文最多%(n)s节") % {"n": MAX_SECTIONS}]
    for i, section in enumerate(sections, start=1):
        where = _("第%(i)s节") % {"i": i}
        if not isinstance(section, dict):
            errors.append(_("%(where)s格式不对") % {"where": where})
            continue
        heading = section.get("heading", "")
        paragraphs = section.get("paragraphs", [])
        table = section.get("table")
        if not isinstance(heading, str) or not isinstance(paragraphs, list):
            errors.append(_("%(where)s的标题或段落格式不对") % {"where": where})
            continue
        if any(not isinstance(p, str) or len(p) > MAX_TEXT for p in paragraphs):
            errors.append(
                _("%(where)s的段落须是不超过%(n)s字的文字") % {"where": where, "n": MAX_TEXT}
            )
        if not heading.strip() and not any(p.strip() for p in paragraphs) and not table:
            errors.append(_("%(where)s是空的") % {"where": where})
        if table is not None:
            errors.extend(_check_table(table, where))
    return errors


def _check_table(table, where) -> list[str]:
    if not isinstance(table, dict):
        return [_("%(where)s的表格格式不对") % {"where": where}]
    columns, rows = table.get("columns", []), table.get("rows", [])
    if not isinstance(columns, list) or not columns or len(columns) > MAX_COLUMNS:
        return [_("%(where)s的表格须有1至%(n)s列") % {"where": where, "n": MAX_COLUMNS}]
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        return [_("%(where)s的表格最多%(n)s行") % {"where": where, "n": MAX_ROWS}]
    errors = []
    for r, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            errors.append(
                _("%(where)s表格第%(r)s行应有%(n)s格") % {"where": where, "r": r, "n": len(columns)}
            )
    return errors


WIDTHS = range(3, 9)  # the widths, in em, a short column may have (css: .gw-w3 … .gw-w8)


def _ems(text: str) -> float:
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def column_widths(columns, rows) -> list[int]:
    """The width in em of each column that holds only short values (序号, 得分, a date,
    a village's name), 0 for the others: the short ones get a fixed width that fits their
    longest value and the rest share what is left, so long texts wrap less and the table
    lays out without measuring every cell first (table-layout: fixed)."""
    out = []
    for i, c in enumerate(columns):
        need = max([_ems(c)] + [_ems(row[i]) for row in rows]) + 1  # cell padding
        out.append(next((w for w in WIDTHS if w >= need), 0))
    return out


def plain(sections) -> list[dict]:
    """The body as stored: every cell a string, missing parts filled in."""
    out = []
    for s in sections:
        table = s.get("table")
        if table:
            columns = [str(c) for c in table["columns"]]
            rows = [["" if v is None else str(v) for v in row] for row in table["rows"]]
            widths = column_widths(columns, rows)
            table = {"columns": columns, "rows": rows, "widths": widths}
        out.append(
            {
                "heading": s.get("heading", "").strip(),
                "paragraphs": [p.strip() for p in s.get("paragraphs", []) if p.strip()],
                "table": table or None,
            }
        )
    return out


def default_issuer_name(name: str, county_level: bool) -> str:
    """The issuing body as printed: a county committee's notices come from its organization
    department ("中共宁陵县委员会" → "中共宁陵县委组织部"); others in their own name."""
    if county_level and name.endswith("委员会"):
        return name.removesuffix("委员会") + "委组织部"
    return name


ADDRESSEES = {
    "province": "各市委组织部，省直各单位党组织",
    "city": "各县（区）委组织部，市直各单位党组织",
    "county": "各乡镇党委、街道党工委，县直各单位党组织",
    "township": "各村（社区）党组织，镇直各单位党组织",
    "street": "各社区党组织，街道各单位党组织",
}


def default_addressees(level: str) -> str:
    """Whom the notice is addressed to (主送机关), by the issuer's level."""
    return ADDRESSEES.get(level, "各下属党组织")
