"""Bulk scheduling in the admin ("Lên lịch hàng loạt"): upload, preview, confirm.

Between the preview and the confirmation the rows as read from the file wait in
the person's session under a random token; the confirmation sends only the token,
and every row is checked again (rights, article, channel, time, message) before
anything is saved, all rows or none (`publishing.bulk`).

URL names: `publishing_bulk:index`, `publishing_bulk:template` (args: csv | xlsx).
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.core import spreadsheets

from .. import bulk
from ..permissions import unit_ids_for

SESSION_KEY = "publishing_bulk"
PREVIEW_ROWS = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per share; the column names of the template on the first row. "
            "Time as dd/mm/yyyy HH:MM (empty: the channel's next posting time)."
        ),
    )


def may_plan(user):
    return user.is_active and (user.is_superuser or bool(unit_ids_for(user, "plan")))


def bulk_schedule(request):
    if not may_plan(request.user):
        raise PermissionDenied
    title = _("Schedule shares from a file")
    context = {
        "form": UploadForm(),
        "columns": bulk.COLUMNS,
        "templates": {
            fmt: reverse("publishing_bulk:template", args=(fmt,))
            for fmt in ("csv", "xlsx")
        },
        "page_title": title,
        "header_title": title,
        "header_icon": "upload",
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                table = bulk.read_table(form.cleaned_data["file"])
            except bulk.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {token: table}
                result = bulk.check(request.user, table)
                return _preview(request, context, result, token)
    return TemplateResponse(request, "publishing/bulk/schedule.html", context)


def _confirm(request, context):
    token = request.POST["token"]
    table = request.session.get(SESSION_KEY, {}).get(token)
    if table is None:
        messages.error(request, _("This upload has expired: upload the file again."))
        return redirect("publishing_bulk:index")
    result = bulk.check(request.user, table)
    if not result.ok:
        messages.error(
            request,
            _("Something changed since the preview: nothing was saved; see the rows."),
        )
        return _preview(request, context, result, token)
    made, waiting = bulk.save(request.user, result)
    del request.session[SESSION_KEY]
    if made:
        messages.success(
            request, _("%(count)s shares scheduled.") % {"count": len(made)}
        )
    if waiting:
        messages.warning(
            request,
            _("%(count)s shares with their own text wait for an approver.")
            % {"count": len(waiting)},
        )
    return redirect("publishing_publications:index")


def _preview(request, context, result, token):
    names = [c.name for c in bulk.COLUMNS if c.name in result.headers]
    rows = enumerate(result.rows)
    shown = [row for index, row in rows if row.errors or index < PREVIEW_ROWS]
    context.update(
        result=result,
        token=token,
        headers=[result.headers[name] for name in names],
        table=[
            {
                "number": row.number,
                "cells": [
                    (row.cells.get(name, ""), row.errors.get(name, ""))
                    for name in names
                ],
                "row_error": row.errors.get(""),
                "has_errors": bool(row.errors),
                "outcome": row.outcome,
                "when": row.publish_at,
            }
            for row in shown
        ],
        error_lines=[
            (row.number, result.headers.get(name, ""), message)
            for row in result.rows
            for name, message in row.errors.items()
        ],
        hidden=len(result.rows) - len(shown),
        scheduled=result.count(bulk.SCHEDULED),
        waits=result.count(bulk.WAITS),
    )
    return TemplateResponse(request, "publishing/bulk/schedule.html", context)


def bulk_template(request, fmt):
    if not may_plan(request.user):
        raise PermissionDenied
    headers = [column.header for column in bulk.COLUMNS]
    example = ["123", "Trang Facebook BHXH", "25/12/2026 07:30", "", ""]
    return spreadsheets.download([headers, example], "mau-len-lich", fmt)


class BulkMenuItem(MenuItem):
    def is_shown(self, request):
        return may_plan(request.user)


class BulkScheduleViewSet(ViewSet):
    name = "publishing_bulk"
    url_prefix = "publishing/bulk"
    icon = "upload"
    menu_label = gettext_lazy("Schedule from a file")
    add_to_admin_menu = False
    menu_item_class = BulkMenuItem

    def get_urlpatterns(self):
        return [
            path("", bulk_schedule, name="index"),
            path("template.<str:fmt>", bulk_template, name="template"),
        ]
