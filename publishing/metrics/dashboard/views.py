"""The campaign dashboard (`publishing_dashboard:index`) and its exports
(`:export_csv`, `:export_xlsx`): the same filters, the same permission check, the
same tables. Who may open it and what they see: `forms.py`."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from publishing.metrics.dashboard import exports, tables
from publishing.metrics.dashboard.forms import DashboardFilterForm, may_open
from publishing.metrics.dashboard.goals import goal_progress
from publishing.metrics.dashboard.metrics import compute


def dashboard_data(request):
    """(the bound filter form, its tables or None when the filters are refused)."""
    if not may_open(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET, request.user)
    if not form.is_valid():
        return form, None, None
    figures = compute(form.scope())
    progress = goal_progress(
        form.cleaned_data["campaign"],
        form.campaign_units(),
        form.visible,
        form.selected_units(),
        form.today,
        known=figures,
    )
    figures.goals = progress
    return form, figures, tables.build(figures, progress)


def chart_data(figures):
    return {
        "labels": [tables.display(row["start"]) for row in figures.series],
        "followers": [row["followers"] for row in figures.series],
        "posts": [row["posts"] for row in figures.series],
        "engagements": [row["engagements"] for row in figures.series],
        "visits": [row["visits"] for row in figures.series],
    }


def goal_card(progress):
    return {
        "progress": progress,
        "label": progress.goal.get_metric_display(),
        "scope": progress.goal.unit.label
        if progress.goal.unit
        else _("Whole campaign"),
        "value": tables.display(progress.value),
        "target": tables.display(progress.target),
        "expected": tables.display(progress.expected),
    }


def cell(value):
    """(text, numeric) of a table's cell; "no channel" kept as it is, for the
    table to say it once across the columns it stands for."""
    if isinstance(value, tables.NoChannel):
        return value, False
    return tables.display(value), tables.numeric(value)


MENU_LABEL = pgettext_lazy("campaign figures", "Dashboard")
CHARTS = (
    ("followers", _("Followers")),
    ("posts", _("Posts published")),
    ("engagements", _("Engagements")),
    ("visits", _("Visits from social networks")),
)


def chart_sections(figures):
    """Each chart's figures, for the table that follows it."""
    return [
        {
            "key": key,
            "title": title,
            "rows": [
                [
                    tables.display(r["start"]),
                    tables.display(r["end"]),
                    tables.display(r[key]),
                ]
                for r in figures.series
            ],
        }
        for key, title in CHARTS
    ]


def index(request):
    form, figures, built = dashboard_data(request)
    context = {
        "page_title": MENU_LABEL,
        "header_title": MENU_LABEL,
        "header_icon": "table",
        "form": form,
        "tables": [],
    }
    if built is not None:
        query = request.GET.urlencode()
        context.update(
            tables=[
                {
                    "table": table,
                    "rows": [[cell(v) for v in row] for row in table.rows],
                }
                for table in built
            ],
            scope=figures.scope,
            goal_cards=[goal_card(p) for p in figures.goals],
            daily=figures.series
            and figures.series[0]["start"] == figures.series[0]["end"],
            charts=chart_data(figures),
            charts_sections=chart_sections(figures),
            csv_query=query,
        )
    return TemplateResponse(request, "publishing/dashboard/index.html", context)


def export(request, kind):
    form, figures, built = dashboard_data(request)
    if built is None:
        return exports.refused(form)
    writer = exports.csv_response if kind == "csv" else exports.xlsx_response
    return writer(form, figures.scope, built)


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return may_open(request.user)


class DashboardViewSet(ViewSet):
    name = "publishing_dashboard"
    url_prefix = "publishing/dashboard"
    icon = "table"
    menu_label = MENU_LABEL
    menu_item_class = DashboardMenuItem

    def get_urlpatterns(self):
        return [
            path("", index, name="index"),
            path("export.csv", export, {"kind": "csv"}, name="export_csv"),
            path("export.xlsx", export, {"kind": "xlsx"}, name="export_xlsx"),
        ]
