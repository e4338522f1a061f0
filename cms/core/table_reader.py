"""An uploaded CSV or XLSX file as a table of plain strings, read within bounds.

Both imports (offline figures, bulk scheduling) read their files here. A file of a
few kilobytes can unpack to gigabytes (one huge shared string, a row of a million
cells, thousands of sheets), so each bound is checked before the work it guards:
the zip's declared sizes before openpyxl opens it (zipfile never unpacks more than
an entry declares), the sheets' shape in a streaming pass before openpyxl reads
them, cell length, row width and the total text while the rows stream. Each refusal
names its limit.
"""

import contextlib
import csv
import datetime
import io
import re
import zipfile

from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024  # the upload as sent
MAX_ROWS = 5000  # data rows imported at once (RECORDS_IMPORT_MAX_ROWS)
MAX_COLUMNS = 100  # the templates have at most 8
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_TEXT_CHARS = 5_000_000  # a table's whole text: what a 5 MB CSV may carry
MAX_PARTS = 200  # entries of the XLSX zip (sheets, pictures, styles...)
MAX_PART_BYTES = 10 * 1024 * 1024  # one entry, unpacked
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # every entry, unpacked
MAX_SHEET_ROWS = 50_000  # rows of any one sheet, blank ones included
HEADER_CHARS = 40  # of a header or value quoted in an error
HEADERS_LISTED = 3  # unknown headers named in errors; the others are counted


class ImportFileError(Exception):
    """The file as a whole cannot be read: its message is shown to the user."""


def max_rows():
    return getattr(settings, "RECORDS_IMPORT_MAX_ROWS", MAX_ROWS)


def format_number(value):
    return f"{value:,}".replace(",", ".")


def shortened(text, limit=HEADER_CHARS):
    """Text from the file as an error quotes it: at most `limit` characters."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_table(upload):
    """{"header_row", "headers", "rows": [[number, cells], ...]} from an uploaded CSV
    or XLSX file; blank rows are left out, the others keep their spreadsheet number
    and lose their trailing empty cells."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 2**20}
        )
    data = upload.read()
    if name.endswith(".csv"):
        table = _collect(_csv_rows(data))
    elif name.endswith(".xlsx"):
        with _workbook(data) as sheet:
            table = _collect(_xlsx_rows(sheet))
    else:
        raise ImportFileError(_("The file must be a CSV (.csv) or Excel (.xlsx) file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    (header_row, headers), rows = table[0], table[1:]
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return {
        "header_row": header_row,
        "headers": [h.strip() for h in headers],
        "rows": rows,
    }


def _collect(rows):
    """The non-blank [number, cells] of `rows` (numbered from 1), within bounds."""
    table, count, text = [], 0, 0
    for number, row in enumerate(rows, start=1):
        cells = _trimmed(row)
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise _too_wide()
        count += 1
        if count > max_rows() + 1:
            continue  # counted for the message, never kept
        text += sum(len(cell) for cell in cells)
        if text > MAX_TEXT_CHARS:
            raise ImportFileError(
                _(
                    "The file holds more than %(limit)s characters of text; at most "
                    "%(limit)s can be imported at once."
                )
                % {"limit": format_number(MAX_TEXT_CHARS)}
            )
        table.append([number, cells])
    if count > max_rows() + 1:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(limit)s can be imported at once.")
            % {"count": format_number(count - 1), "limit": format_number(max_rows())}
        )
    return table


def _trimmed(row):
    cells = list(row)
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _too_wide():
    return ImportFileError(
        _(
            "A row of the file has more than %(limit)s columns: keep only the "
            "template's columns, or copy the table into a new file."
        )
        % {"limit": MAX_COLUMNS}
    )


def _too_long(row):
    return ImportFileError(
        _("A cell of row %(row)s is longer than %(limit)s characters.")
        % {"row": format_number(row), "limit": format_number(MAX_CELL_CHARS)}
    )


# CSV ---------------------------------------------------------------------------------
def _csv_rows(data):
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file must be a CSV (.csv) or Excel (.xlsx) file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The CSV file is not in UTF-8: save it again as “CSV UTF-8”.")
        ) from error
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(_lines(text, delimiter), delimiter=delimiter)
    with _field_size_limit(MAX_CELL_CHARS):
        try:
            yield from reader
        except csv.Error as error:
            if "field limit" in str(error):
                raise _too_long(reader.line_num) from error
            raise ImportFileError(
                _("The CSV file cannot be read: %(reason)s") % {"reason": error}
            ) from error


def _lines(text, delimiter):
    """The file's lines; one with more delimiters than any row within the bounds
    could hold is refused before the csv module splits it into a list of fields."""
    most = MAX_COLUMNS + MAX_CELL_CHARS
    for line in io.StringIO(text):
        if line.count(delimiter) > most:
            raise _too_wide()
        yield line


@contextlib.contextmanager
def _field_size_limit(limit):
    # The limit is the csv module's, for the whole process: put the old one back.
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


# XLSX --------------------------------------------------------------------------------
# What openpyxl and zipfile raise on a damaged file. SyntaxError: defusedxml's
# refusals (entities, DTDs) and malformed XML; IndexError: a shared string that
# is not there.
BROKEN = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, IndexError)


@contextlib.contextmanager
def _workbook(data):
    """The first sheet of the workbook in `data`, read-only, once its parts have
    passed the bounds."""
    from openpyxl.reader.excel import ExcelReader

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_parts(archive.infolist())
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        _check_sheets(reader)
        reader.read()
    except BROKEN as error:
        raise _not_xlsx() from error
    book = reader.wb
    try:
        if not book.worksheets:
            raise _not_xlsx()
        yield book.worksheets[0]
    except BROKEN as error:  # found while the rows stream
        raise _not_xlsx() from error
    finally:
        book.close()


def _not_xlsx():
    return ImportFileError(_("The file is not a valid Excel (.xlsx) file."))


def _check_parts(entries):
    if len(entries) > MAX_PARTS:
        raise ImportFileError(
            _(
                "The Excel file is made of %(count)s parts (sheets, pictures...); at "
                "most %(limit)s are read."
            )
            % {"count": format_number(len(entries)), "limit": MAX_PARTS}
        )
    for entry in entries:
        if entry.file_size > MAX_PART_BYTES:
            raise ImportFileError(
                _(
                    "Unpacked, a part of the Excel file (%(part)s) takes %(size)s MB; "
                    "at most %(limit)s MB is read for one part."
                )
                % {
                    "part": shortened(entry.filename),
                    "size": _megabytes(entry.file_size),
                    "limit": MAX_PART_BYTES // 2**20,
                }
            )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "Unpacked, the Excel file takes %(size)s MB; at most %(limit)s MB is "
                "read."
            )
            % {"size": _megabytes(total), "limit": MAX_UNPACKED_BYTES // 2**20}
        )


def _megabytes(size):
    """One decimal, so that a part just over the limit does not read as equal."""
    return number_format(size / 2**20, 1)


def _check_sheets(reader):
    """Every worksheet openpyxl would open, found as openpyxl finds them."""
    reader.read_manifest()
    reader.read_workbook()
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "worksheet" in rel.Type:
            with reader.archive.open(rel.target) as source:
                _check_sheet(source)


CELL_COLUMN = re.compile(r"^\$?([A-Za-z]{1,3})")


def _check_sheet(source):
    """Streams one sheet's XML, keeping no more than the element in hand: refuses
    a row with a cell beyond MAX_COLUMNS and a sheet of more than MAX_SHEET_ROWS
    rows. openpyxl keeps a whole row's cells in memory while it reads the row."""
    open_elements, rows, number, column = [], 0, 0, 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            tag = element.tag.rpartition("}")[2]
            if tag == "row":
                # openpyxl fills the rows a file skips: row 1,048,576 costs them all.
                given = element.get("r", "")
                number = int(given) if given.isdigit() else number + 1
                rows, column = rows + 1, 0
                if max(rows, number) > MAX_SHEET_ROWS:
                    raise ImportFileError(
                        _("A sheet of the file has more than %(limit)s rows.")
                        % {"limit": format_number(MAX_SHEET_ROWS)}
                    )
            elif tag == "c":
                column = _column_of(element.get("r"), column)
                if column > MAX_COLUMNS:
                    raise _too_wide()
            continue
        open_elements.pop()
        if open_elements:
            del open_elements[-1][-1]  # the element just ended is its last child


def _column_of(reference, previous):
    """The column number of a cell: from its reference ("C7"), else the next one."""
    match = CELL_COLUMN.match(reference or "")
    if not match:
        return previous + 1
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx_rows(sheet):
    sheet.reset_dimensions()  # the file's <dimension> may lie either way
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    for number, row in enumerate(rows, start=1):
        if not any(value is not None for value in row):
            yield []
            continue
        cells = [_cell_text(value) for value in row]
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise _too_long(number)
        yield cells


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A date cell, or a date and time (bulk scheduling reads times too).
        if value.time() == datetime.time.min:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
