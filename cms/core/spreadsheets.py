"""A small table as a CSV (UTF-8 with a BOM, so that Excel reads Vietnamese) or
XLSX download: the empty templates of the imports."""

import csv
import datetime
import io
from decimal import Decimal

from django.http import Http404, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet would take for a formula ("CSV injection"): a title or a name
# typed as =HYPERLINK(...) must reach the reader as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A value as CSV text; text that would start a formula gets a leading '."""
    text = str(value)
    if isinstance(value, int | float | Decimal) or not text.startswith(FORMULA_STARTS):
        return text
    return "'" + text


def append_row(sheet, values):
    """Appends a row to an openpyxl sheet; text stays text, never a formula
    (openpyxl makes any string starting with = a formula)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


# Column widths in characters: wide enough for a date or a grouped number, never
# so wide that one long title pushes the other columns off the screen.
MIN_WIDTH, MAX_WIDTH = 8, 60


def shown_length(value):
    """About how many characters a spreadsheet shows for `value`."""
    if isinstance(value, datetime.date):
        return 10  # dd/mm/yyyy
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, float):
        return 7  # 100.0%
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def format_sheet(sheet, header_row=1):
    """Header row `header_row` bold and frozen (it stays in view while scrolling),
    and each column as wide as its longest value, within limits. 0: no header."""
    from openpyxl.styles import Font

    if header_row:
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column in sheet.iter_cols():
        longest = max(shown_length(cell.value) for cell in column)
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[column[0].column_letter].width = width


def download(rows, filename, fmt):
    """`rows` (the first one the headers) as `<filename>.<fmt>`; 404 for another
    format."""
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([csv_text(v) for v in row] for row in rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            append_row(book.active, row)
        format_sheet(book.active)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def neutralise_wagtail_exports():
    """Wagtail's own CSV exports (the reports: site history, aging and locked pages,
    workflows; listings with `list_export`) write text as it is, so a page titled
    =HYPERLINK(...) reaches the audit log's CSV as a formula. Their one way out is
    SpreadsheetExportMixin.preprocess_field_value: text leaving it for a CSV gets
    the treatment of our own exports. Their XLSX already turns formulas into text."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value
    if getattr(preprocess, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return csv_text(value)
        return value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
