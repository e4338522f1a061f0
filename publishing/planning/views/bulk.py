"""Bulk scheduling in the admin ("Lên lịch hàng loạt"): upload, preview, confirm.

Between the preview and the confirmation the rows as read from the file wait in the
database under a single-use token (`publishing.planning.confirmations`); the
confirmation sends only the token, every row is checked again (rights, article,
channel, time, message) and the rows are saved, all or none
(`publishing.planning.bulk`), in the transaction that uses the token up: a second
click or a parallel request saves nothing again.
A row that repeats a share already there (same article and channel within an hour)
is shown, and saved only when the person chooses "Schedule anyway". Confirmed, the
person lands on the publication list filtered to what was just scheduled.

URL names: `publishing_bulk:index`, `publishing_bulk:template` (args: csv | xlsx).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.defaultfilters import date as date_filter
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.core import spreadsheets
from cms.core.hidden_chars import no_hidden_chars_in_text
from publishing.models import ConfirmationPurpose
from publishing.permissions import unit_ids_for
from publishing.planning import bulk, confirmations, sharing
from publishing.planning.views import publications

PURPOSE = ConfirmationPurpose.BULK
PREVIEW_ROWS = 500


class Duplicates(Exception):
    """Rows repeat shares already there and the person has not chosen to go on."""

    def __init__(self, found):
        super().__init__(len(found))
        self.found = found


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
        "example": bulk.example_row(request.user),
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
                token = confirmations.issue(request.user, PURPOSE, table)
                result = _checked(request.user, table)
                return _preview(request, context, result, token, duplicates(result))
    return TemplateResponse(request, "publishing/bulk/schedule.html", context)


def _checked(user, table):
    """bulk.check(), and a custom message may not hide characters (U+200D stays)."""
    result = bulk.check(user, table)
    for row in result.rows:
        try:
            no_hidden_chars_in_text(row.cells.get("message", ""))
        except ValidationError as error:
            row.errors["message"] = " ".join(error.messages)
            row.outcome = ""
    return result


def duplicates(result):
    """{row number: [publication, ...]} for rows that repeat an existing share."""
    found = {}
    for row in result.rows:
        if row.outcome and row.page is not None and row.channel is not None:
            existing = list(
                sharing.existing_near(row.page, row.channel, row.publish_at)
            )
            if existing:
                found[row.number] = existing
    return found


def _confirm(request, context):
    token = request.POST["token"]
    try:
        table = confirmations.pending(request.user, PURPOSE, token).payload
    except confirmations.NotConfirmable as refused:
        return _refused(request, refused)
    result = _checked(request.user, table)
    if not result.ok:
        messages.error(
            request,
            _("Something changed since the preview: nothing was saved; see the rows."),
        )
        return _preview(request, context, result, token, {})
    try:
        made, waiting = _save(request, result, token)
    except confirmations.NotConfirmable as refused:
        return _refused(request, refused)
    except Duplicates as found:
        messages.warning(request, _("Nothing was saved yet: see the rows marked."))
        return _preview(request, context, result, token, found.found)
    _report(request, made, waiting)
    if made:
        return redirect(publications.just_scheduled_url(made))
    return redirect("publishing_share_requests:index")  # every row waits


def _save(request, result, token):
    """All rows, in the transaction that uses the token up (or nothing)."""
    with transaction.atomic():
        confirmations.consume(request.user, PURPOSE, token)
        found = duplicates(result)
        if found and not request.POST.get("go_on"):
            raise Duplicates(found)  # rolls the token back: it may be sent again
        return bulk.save(request.user, result)


def _refused(request, refused):
    """A used token: the shares are there; an expired one: upload again."""
    messages.warning(request, refused.message)
    if isinstance(refused, confirmations.AlreadyConfirmed):
        return redirect("publishing_publications:index")
    return redirect("publishing_bulk:index")


def _report(request, made, waiting):
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


def _existing_text(publications):
    return "; ".join(
        _("already %(status)s at %(time)s")
        % {
            "status": p.get_status_display().lower(),
            "time": date_filter(timezone.localtime(p.publish_at), "H:i d/m/Y"),
        }
        for p in publications
    )


def _preview(request, context, result, token, found):
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
                "existing": _existing_text(found.get(row.number, ())),
            }
            for row in shown
        ],
        duplicates=len(found),
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
    example = bulk.example_row(request.user).cells
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
