"""CSV and XLSX of every table the dashboard shows, with the filters on top.
Numbers are plain integers (a spreadsheet formats them); dates are dd/mm/yyyy in
the CSV and real dates shown dd/mm/yyyy in the XLSX; a click-through is the page's
text in the CSV (2,5% or "không rõ") and, when known, a number shown as a
percentage in the XLSX."""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cms.core.spreadsheets import append_row, csv_text, format_sheet
from publishing.metrics.dashboard.questions import Duration
from publishing.metrics.dashboard.tables import (
    NoChannel,
    Rate,
    network_label,
    said_once,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filter_rows(form, scope):
    data = form.cleaned_data
    unit = data.get("unit")
    group = data.get("target_group")
    return [
        [_("Campaign"), str(scope.campaign)],
        [_("From"), scope.start],
        [_("To"), scope.end],
        [_("Unit"), unit.label if unit else _("All my units")],
        [
            _("Network"),
            network_label(scope.network) if scope.network else _("All networks"),
        ],
        [_("Target group"), group.label if group else _("All target groups")],
    ]


def filename(scope, extension):
    period = f"{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    return f"bang-so-lieu-{scope.campaign.slug}-{period}.{extension}"


def csv_cell(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return csv_text(value)


def csv_response(form, scope, tables):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in filter_rows(form, scope):
        writer.writerow([csv_cell(v) for v in row])
    for table in tables:
        writer.writerow([])
        writer.writerow([csv_text(table.title)])
        writer.writerow([csv_text(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([csv_cell(v) for v in said_once(row)])
    # A BOM so that Excel reads the Vietnamese as UTF-8.
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(scope, "csv")}"'
    return response


def xlsx_value(value):
    if isinstance(value, NoChannel):
        return str(value)
    if isinstance(value, Rate):
        return float(value.value) if value.known else str(value)
    if isinstance(value, Duration):
        # A real duration (days), shown as hours and minutes: it sums and sorts.
        return value.value if value.value is not None else str(value)
    return value if isinstance(value, int | datetime.date) else str(value)


def write_row(sheet, values):
    append_row(sheet, [xlsx_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, datetime.datetime | datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(cell.value, int):
            cell.number_format = "#,##0"
        elif isinstance(cell.value, float):
            cell.number_format = "0.0%"
        elif isinstance(cell.value, datetime.timedelta):
            cell.number_format = "[h]:mm"


def xlsx_response(form, scope, tables):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Filters")[:31]
    for row in filter_rows(form, scope):
        write_row(sheet, row)
    format_sheet(sheet, header_row=0)
    for table in tables:
        sheet = book.create_sheet(str(table.title)[:31])
        write_row(sheet, table.columns)
        for row in table.rows:
            write_row(sheet, said_once(row))
        format_sheet(sheet)
        if table.note:
            # After the widths: the note is one long line, not a column's width.
            sheet.append([])
            append_row(sheet, [str(table.note)])
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(scope, "xlsx")}"'
    )
    return response


def refused(form):
    """The filters' errors as text; nothing is exported."""
    messages = [str(m) for errors in form.errors.values() for m in errors]
    return HttpResponse(
        "\n".join(messages), status=400, content_type="text/plain; charset=utf-8"
    )
