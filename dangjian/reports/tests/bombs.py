"""Small .xlsx files that unpack to a lot (issue 10), written part by part so that a test or
bench/xlsx_bombs.py never holds the unpacked size in memory. Not a test module."""

import zipfile

from dangjian.reports import xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="{PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PKG}/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}">
<sheets><sheet name="党员" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PKG}/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def inline(text: str, ref: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    """Row 1: the member template's headers, so the file gets past the header check."""
    letters = [chr(ord("A") + i) for i in range(len(xlsx.MEMBER_COLUMNS))]
    cells = b"".join(
        inline(c.header, f"{letter}1")
        for letter, c in zip(letters, xlsx.MEMBER_COLUMNS, strict=True)
    )
    return b'<row r="1">' + cells + b"</row>"


def write(path, sheet_chunks, string_chunks=(), level=9):
    """An .xlsx at `path` whose sheet XML (inside <sheetData>) and shared-string items (inside
    <sst>) are the byte chunks given, streamed into the archive."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
            for chunk in string_chunks:
                f.write(chunk)
            f.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode())
            f.write(b"<sheetData>" + header_row())
            for chunk in sheet_chunks:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


def _repeat(piece: bytes, total: int, chunk: int = 1 << 20):
    block = piece * max(1, chunk // len(piece))
    done = 0
    while done < total:
        part = block[: total - done]
        yield part
        done += len(part)


def whitespace(path, size: int):
    """A data row, then `size` bytes of spaces inside <sheetData>."""
    return write(path, [b'<row r="2">' + inline("T", "A2") + b"</row>", *_repeat(b" ", size)])


def shared_strings(path, count: int):
    """`count` shared strings (and one row using the first)."""
    return write(
        path,
        [b'<row r="2"><c r="B2" t="s"><v>0</v></c></row>'],
        _repeat(b"<si><t>x</t></si>", count * 17),
    )


def empty_rows(path, count: int):
    """`count` rows without a cell."""
    rows = (
        b"".join(b'<row r="%d"/>' % r for r in range(n, min(n + 10000, count + 2)))
        for n in range(2, count + 2, 10000)
    )
    return write(path, rows)


def invalid_rows(path, count: int, org: str = "T"):
    """`count` member rows, each with an ID number that does not check out."""

    def rows():
        for n in range(2, count + 2, 1000):
            yield b"".join(
                b'<row r="%d">' % r
                + inline(f"党员{r}", f"A{r}")
                + inline("男", f"B{r}")
                + inline("41142319850615000X", f"F{r}")
                + inline(org, f"M{r}")
                + b"</row>"
                for r in range(n, min(n + 1000, count + 2))
            )

    return write(path, rows())
