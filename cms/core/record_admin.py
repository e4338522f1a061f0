"""Admin screens of the offline figures: lists, forms and the CSV/XLSX import.

Who may do what is in `cms.core.records` (module docstring) and enforced here on
the server: the lists show only the records of the user's units, a record of
another unit answers 404 on every object URL, and the forms offer and accept only
the units the user may report for.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_list_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser, snippets

from cms.core import dates
from cms.core.models import Campaign, Role, TargetGroup
from cms.core.object_permissions import ObjectPermissionMixin
from cms.core.records import EnrolmentReport, OutreachEvent, OutreachKind, PressCoverage
from cms.core.unit_policy import UnitRolePermissionPolicy as RecordPermissionPolicy

POLICIES = {
    PressCoverage: RecordPermissionPolicy(PressCoverage, Role.EDITOR),
    OutreachEvent: RecordPermissionPolicy(OutreachEvent, Role.EDITOR),
    EnrolmentReport: RecordPermissionPolicy(EnrolmentReport, Role.MANAGER),
}
for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


class RecordForm(WagtailAdminModelForm):
    """Offers only the units the user may report for, and refuses any other."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        dates.bound_dates(self)
        policy = POLICIES[self._meta.model]
        action = "change" if self.instance.pk else "add"
        if "unit" in self.fields:
            self.fields["unit"].queryset = policy.allowed_units(for_user, action)
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")
        self.policy, self.action = policy, action

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        user = self.for_user
        if unit and not (
            user.is_superuser or unit.pk in self.policy.unit_ids(user, self.action)
        ):
            raise ValidationError(
                _("You may not report for the unit “%(unit)s”.") % {"unit": unit}
            )
        return unit


# Views: every object view answers 404 for a record outside the user's units, 403
# when they may only see it (the shared ObjectPermissionMixin).
OwnUnitsMixin = ObjectPermissionMixin


class RecordIndexView(snippets.IndexView):
    def get_base_queryset(self):
        visible = POLICIES[self.model].instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return (
            super()
            .get_base_queryset()
            .filter(pk__in=visible.values("pk"))
            .select_related("campaign", "unit")
        )

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if POLICIES[self.model].user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    _("Import CSV/XLSX"),
                    url=reverse(self.index_url_name.replace(":list", ":import")),
                    icon_name="upload",
                )
            )
        return buttons


class RecordEditView(OwnUnitsMixin, snippets.EditView):
    object_action = "change"


class RecordDeleteView(OwnUnitsMixin, snippets.DeleteView):
    object_action = "delete"


class RecordHistoryView(OwnUnitsMixin, snippets.HistoryView):
    pass


class RecordUsageView(OwnUnitsMixin, snippets.UsageView):
    pass


class RecordInspectView(OwnUnitsMixin, snippets.InspectView):
    pass


class OwnUnitsChooserMixin:
    """Wagtail's snippet chooser lists every row: here only the user's units'."""

    def visible(self):
        return POLICIES[self.model_class].instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )

    def get_object_list(self):
        return self.visible()

    def get_object(self, pk):
        return self.visible().get(pk=pk)

    def get_objects(self, pks):
        return self.visible().filter(pk__in=pks)


class RecordChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = type(
        "RecordChooseView", (OwnUnitsChooserMixin, chooser.ChooseView), {}
    )
    choose_results_view_class = type(
        "RecordChooseResultsView", (OwnUnitsChooserMixin, chooser.ChooseResultsView), {}
    )
    chosen_view_class = type(
        "RecordChosenView", (OwnUnitsChooserMixin, chooser.SnippetChosenView), {}
    )
    chosen_multiple_view_class = type(
        "RecordChosenMultipleView",
        (OwnUnitsChooserMixin, chooser.SnippetChosenMultipleView),
        {},
    )


class RecordDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete, blind to records outside the user's units: its
    confirmation page would otherwise name them (with forged ids)."""

    models = list(POLICIES)

    def get_queryset(self, model, object_ids):
        visible = POLICIES[model].instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return get_list_or_404(visible, pk__in=object_ids)


# Filters -----------------------------------------------------------------------------
def _units(request):
    return POLICIES[PressCoverage].allowed_units(request.user, "view")


class RecordFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.all()
    )
    unit = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Unit"), queryset=_units, method="filter_unit"
    )

    def filter_unit(self, queryset, name, value):
        # A unit's figures include those of the units below it, like the roles.
        return queryset.filter(unit_id__in=value.descendant_ids())


class PressFilterSet(RecordFilterSet):
    published_on = dates.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PressCoverage
        fields = []


class OutreachFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind of event"), choices=OutreachKind.choices
    )
    target_groups = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Target group"), queryset=TargetGroup.objects.all()
    )
    held_on = dates.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = OutreachEvent
        fields = []


class EnrolmentFilterSet(RecordFilterSet):
    target_group = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Target group"), queryset=TargetGroup.objects.all()
    )
    period = dates.DateFromToRangeFilter(
        label=gettext_lazy("Period"),
        widget=DateRangePickerWidget,
        method="filter_period",
    )

    class Meta:
        model = EnrolmentReport
        fields = []

    def filter_period(self, queryset, name, value):
        # Reports whose period overlaps the chosen dates.
        if value.start:
            queryset = queryset.filter(period_end__gte=value.start)
        if value.stop:
            queryset = queryset.filter(period_start__lte=value.stop)
        return queryset


class DateColumn(Column):
    """A date as dd/mm/yyyy, whatever the active locale formats."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return value.strftime("%d/%m/%Y") if value else ""


class NumberColumn(Column):
    """A count with "." between thousands, as Vietnamese readers write it."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return f"{value:,}".replace(",", ".") if value is not None else ""


# Viewsets ----------------------------------------------------------------------------
class RecordViewSet(snippets.SnippetViewSet):
    index_view_class = RecordIndexView
    edit_view_class = RecordEditView
    delete_view_class = RecordDeleteView
    history_view_class = RecordHistoryView
    usage_view_class = RecordUsageView
    inspect_view_class = RecordInspectView
    chooser_viewset_class = RecordChooserViewSet
    inspect_view_enabled = True
    copy_view_enabled = False
    import_kind = None

    def get_urlpatterns(self):
        from cms.core.record_views import import_records, import_template

        kind = {"kind": self.import_kind, "namespace": self.url_namespace}
        return super().get_urlpatterns() + [
            path("import/", import_records, kind, name="import"),
            path(
                "import/template.<str:fmt>",
                import_template,
                kind,
                name="import_template",
            ),
        ]


class PressCoverageViewSet(RecordViewSet):
    model = PressCoverage
    import_kind = "press"
    icon = "doc-full"
    menu_label = gettext_lazy("Press coverage")
    filterset_class = PressFilterSet
    list_display = [
        "title",
        "outlet",
        DateColumn("published_on", label=gettext_lazy("Date")),
        Column("unit", label=gettext_lazy("Unit")),
        Column("campaign", label=gettext_lazy("Campaign")),
    ]
    search_fields = ["title", "outlet"]
    edit_handler = ObjectList(
        [
            FieldPanel("campaign"),
            FieldPanel("unit"),
            FieldPanel("outlet"),
            FieldPanel("title"),
            FieldPanel("url"),
            FieldPanel("published_on"),
        ],
        base_form_class=RecordForm,
    )


class OutreachEventViewSet(RecordViewSet):
    model = OutreachEvent
    import_kind = "outreach"
    icon = "group"
    menu_label = gettext_lazy("Outreach events")
    filterset_class = OutreachFilterSet
    list_display = [
        "__str__",
        DateColumn("held_on", label=gettext_lazy("Date")),
        NumberColumn("attendees", label=gettext_lazy("Attendees")),
        Column("unit", label=gettext_lazy("Unit")),
        Column("campaign", label=gettext_lazy("Campaign")),
    ]
    search_fields = ["place"]
    edit_handler = ObjectList(
        [
            FieldPanel("campaign"),
            FieldPanel("unit"),
            FieldPanel("kind"),
            FieldPanel("held_on"),
            FieldPanel("place"),
            FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
            FieldPanel("attendees"),
        ],
        base_form_class=RecordForm,
    )


class EnrolmentReportViewSet(RecordViewSet):
    model = EnrolmentReport
    import_kind = "enrolment"
    icon = "list-ul"
    menu_label = gettext_lazy("Enrolment reports")
    filterset_class = EnrolmentFilterSet
    list_display = [
        "__str__",
        NumberColumn("identified_eligible", label=gettext_lazy("Identified eligible")),
        NumberColumn("new_participants", label=gettext_lazy("New participants")),
        NumberColumn("total_participants", label=gettext_lazy("Total participants")),
        Column("campaign", label=gettext_lazy("Campaign")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("campaign"),
            FieldPanel("unit"),
            FieldPanel("target_group"),
            FieldPanel("period_start"),
            FieldPanel("period_end"),
            FieldPanel("identified_eligible"),
            FieldPanel("new_participants"),
            FieldPanel("total_participants"),
        ],
        base_form_class=RecordForm,
    )


VIEWSETS = (PressCoverageViewSet, OutreachEventViewSet, EnrolmentReportViewSet)
