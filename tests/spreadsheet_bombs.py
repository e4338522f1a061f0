"""Hostile spreadsheets, small on disk and huge once read: built by the import tests
(tests/cms/test_hostile_spreadsheets.py) and by bench/spreadsheets.py.

Each XLSX is a minimal workbook (the parts Excel needs to open it) whose sheets and
shared strings are streams written straight into the zip, so that a 100 MB string
costs no 100 MB of memory to build."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CHUNK = 2**20


def xlsx(sheets, strings=None):
    """A workbook of `sheets` (each an iterable of bytes: the <row>s), with the
    shared strings `strings` (an iterable of bytes: the <si>s) if given."""
    overrides = [("/xl/workbook.xml", "sheet.main")]
    overrides += [(f"/xl/worksheets/sheet{n}.xml", "worksheet") for n in _count(sheets)]
    relations = [
        (f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml") for n in _count(sheets)
    ]
    if strings is not None:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings"))
        relations.append(("rIdS", "sharedStrings", "sharedStrings.xml"))
    parts = {
        "[Content_Types].xml": [_content_types(overrides)],
        "_rels/.rels": [
            _relationships([("rId1", "officeDocument", "xl/workbook.xml")])
        ],
        "xl/workbook.xml": [_workbook_xml(len(sheets))],
        "xl/_rels/workbook.xml.rels": [_relationships(relations)],
    }
    for n, rows in zip(_count(sheets), sheets, strict=True):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet(rows)
    if strings is not None:
        parts["xl/sharedStrings.xml"] = _strings(strings)
    return _zipped(parts)


def _count(sheets):
    return range(1, len(sheets) + 1)


def _content_types(overrides):
    items = "".join(
        f'<Override PartName="{name}" ContentType="{TYPES}.{kind}+xml"/>'
        for name, kind in overrides
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    ).encode()


def _relationships(items):
    body = "".join(
        f'<Relationship Id="{rid}" Type="{DOC}/{kind}" Target="{target}"/>'
        for rid, kind, target in items
    )
    return f'<Relationships xmlns="{RELS}">{body}</Relationships>'.encode()


def _workbook_xml(count):
    sheets = "".join(
        f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, count + 1)
    )
    return (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>{sheets}</sheets></workbook>'
    ).encode()


def _sheet(rows):
    yield f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def _strings(items):
    yield f'<sst xmlns="{MAIN}">'.encode()
    yield from items
    yield b"</sst>"


def _zipped(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, chunks in parts.items():
            with target.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return out.getvalue()


def _repeated(piece, count):
    per_chunk = max(1, CHUNK // len(piece))
    while count > 0:
        step = min(per_chunk, count)
        yield piece * step
        count -= step


def text_row(*values):
    """A <row> of inline strings: a normal row, to show the builder makes real files."""
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f"<row>{cells}</row>".encode()


SHARED_A1 = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def huge_shared_string(megabytes=100):
    """One shared string of `megabytes` MB (~107 KB on disk for 100 MB), in A1."""
    string = [b"<si><t>", *_repeated(b"A", megabytes * 2**20), b"</t></si>"]
    return xlsx([[SHARED_A1]], strings=string)


def long_shared_string(characters):
    """A1 holds one shared string of `characters` characters."""
    return xlsx([[SHARED_A1]], strings=[b"<si><t>", b"A" * characters, b"</t></si>"])


def wide_row(cells=1_000_000):
    """One row of `cells` numeric cells without references (openpyxl counts them)."""
    row = [b'<row r="1">', *_repeated(b"<c><v>1</v></c>", cells), b"</row>"]
    return xlsx([row])


def far_row(number=1_048_576):
    """A header row, then one cell on row `number`: openpyxl fills the rows between."""
    return xlsx([[text_row("x"), f'<row r="{number}"><c><v>1</v></c></row>'.encode()]])


def repeated_string(characters=30_000, rows=200, columns=5):
    """One long shared string referenced by every cell: little XML, much text."""
    row = b"".join([b"<row>", b'<c t="s"><v>0</v></c>' * columns, b"</row>"])
    string = [b"<si><t>", b"A" * characters, b"</t></si>"]
    return xlsx([_repeated(row, rows)], strings=string)


def many_sheets(count=1000):
    """A workbook of `count` one-cell sheets."""
    return xlsx([[text_row("x")] for _ in range(count)])


def big_sheets(count=4, megabytes=9):
    """`count` sheets of `megabytes` MB each, each under the limit for one part."""
    row = text_row("xxxxxxxx")
    return xlsx([_repeated(row, megabytes * 2**20 // len(row)) for _ in range(count)])


def wide_csv(columns=500_000):
    """A CSV whose header has `columns` columns (1 MB for 500,000)."""
    return ("a" + ",a" * (columns - 1) + "\n1,2\n").encode()


def long_csv_cell(characters=40_000):
    return ("Bài viết,Kênh\n1," + "A" * characters + "\n").encode()
