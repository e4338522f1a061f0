"""The import of offline figures: upload, preview, confirm; and the empty templates.

Between the preview and the confirmation the rows, as read from the file, wait in
the user's session (stored on the server) under a random token; the confirmation
sends only the token, and the rows are checked again before anything is saved.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core import record_import, spreadsheets, table_reader
from cms.core.record_admin import POLICIES

SESSION_KEY = "records_import"
PREVIEW_ROWS = 500  # rows shown in the preview besides every row with an error


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per record, the column names of the template on the first row. "
            "Dates as dd/mm/yyyy; units and target groups by name or slug, the "
            "campaign by its slug."
        ),
    )


def _spec_or_403(request, kind):
    spec = record_import.SPECS[kind]
    if not POLICIES[spec.model].user_has_permission(request.user, "add"):
        raise PermissionDenied
    return spec


def import_records(request, kind, namespace):
    spec = _spec_or_403(request, kind)
    title = _("Import %(records)s") % {"records": spec.model._meta.verbose_name_plural}
    context = {
        "spec": spec,
        "namespace": namespace,
        "form": UploadForm(),
        "templates": template_urls(namespace),
        "page_title": title,
        "header_title": title,
        "header_icon": "upload",
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, spec, context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                table = table_reader.read_table(form.cleaned_data["file"])
            except table_reader.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = secrets.token_urlsafe(16)
                stored = request.session.setdefault(SESSION_KEY, {})
                stored.clear()  # one import at a time per session
                stored[token] = {"kind": kind, "table": table}
                request.session.modified = True
                result = record_import.check(spec, request.user, table)
                return _preview(request, context, result, token)
    return TemplateResponse(request, "cms_core/records/import.html", context)


def _confirm(request, spec, context):
    token = request.POST["token"]
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if not stored or stored["kind"] != spec.key:
        messages.error(request, _("This import has expired: upload the file again."))
        return redirect(f"{context['namespace']}:import")
    result = record_import.check(spec, request.user, stored["table"])
    count, error = record_import.save(result)
    if error or not count:
        if error:
            messages.error(request, error)
        return _preview(request, context, result, token)
    del request.session[SESSION_KEY][token]
    request.session.modified = True
    messages.success(
        request,
        _("%(count)s records imported.") % {"count": table_reader.format_number(count)},
    )
    return redirect(f"{context['namespace']}:list")


def _preview(request, context, result, token):
    shown = [
        row
        for index, row in enumerate(result.rows)
        if row.errors or index < PREVIEW_ROWS
    ]
    columns = list(result.headers)
    context.update(
        result=result,
        token=token,
        columns=columns,
        table=[
            {
                "number": row.number,
                "cells": [
                    (
                        header,
                        row.cells[i] if i < len(row.cells) else "",
                        row.errors.get(header, ""),
                    )
                    for i, header in enumerate(columns)
                ],
                "other_error": row.errors.get(""),
                "has_errors": bool(row.errors),
            }
            for row in shown
        ],
        hidden=len(result.rows) - len(shown),
        row_count=table_reader.format_number(len(result.rows)),
    )
    return TemplateResponse(request, "cms_core/records/import.html", context)


def import_template(request, kind, namespace, fmt):
    spec = _spec_or_403(request, kind)
    headers = [column.header for column in spec.columns]
    return spreadsheets.download([headers], f"mau-{kind}", fmt)


def template_urls(namespace):
    return {
        fmt: reverse(f"{namespace}:import_template", args=(fmt,))
        for fmt in ("csv", "xlsx")
    }
