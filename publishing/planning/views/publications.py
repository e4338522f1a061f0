"""Publications in the admin ("Bài đăng"): the list, one publication's detail with
what was sent and its history, and the actions a person may take on it.

URL names (stable): `publishing_publications:index`, `publishing_publications:inspect`
(args: pk) for the detail, `publishing_publications:action` (args: pk, action).
"""

import dataclasses
import re

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.active_filters import (
    ActiveFilter,
    BaseFilterAdapter,
    register_filter_adapter_class,
)
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    Column,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.core import dates
from cms.core.models import Campaign, Unit
from publishing.channels.time_picker import PlannedTimeInput
from publishing.lifecycle import (
    CANCELLABLE,
    HELP,
    LIVE,
    MARKABLE,
    RESCHEDULABLE,
    RETRYABLE,
)
from publishing.lifecycle import PublicationStatus as S
from publishing.lifecycle import tone as status_tone
from publishing.models import PauseScope, Publication, PublishingPause
from publishing.models.channels import LABEL_FIELDS
from publishing.permissions import channels_for, may, unit_ids_for
from publishing.planning import actions, outgoing
from publishing.planning.views import broadcasts
from publishing.planning.views.publication_list import (
    COUNT_COLUMNS,
    PeriodFilter,
    PeriodMixin,
    ordering_for,
)


class PublicationPermissionPolicy(BasePermissionPolicy):
    """Publications are seen on the channels a person may view; they are never
    added, edited or deleted in the admin (the actions change them)."""

    def user_has_permission(self, user, action):
        return action == "view" and bool(unit_ids_for(user, "view"))

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and may(user, "view", instance.channel)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return self.model.objects.none()
        return self.model.objects.filter(channel__in=channels_for(user, "view"))


register_permission_policy(Publication, PublicationPermissionPolicy(Publication))


# The list ---------------------------------------------------------------------------
def _units(request):
    return Unit.objects.filter(pk__in=unit_ids_for(request.user, "view"))


class LongSelect(forms.Select):
    """A select of many options (1,000 channels) written in Python: Django renders
    a template per option, ~1 ms each on the build machine (bench/scale.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", label)
                for _group, choices, _index in widget["optgroups"]
                for option in choices
                for label in [option["label"]]
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


# "Just scheduled": the publications a bulk file made, by their ids as ranges
# ("12-40,45"; rows saved in one transaction mostly get consecutive ids), so the
# address stays short for 500 rows and the filter can be removed like any other.
MAX_RANGES = 1000
_RANGE = re.compile(r"(\d{1,12})(?:-(\d{1,12}))?")


def id_ranges(pks):
    """The ids `pks` as ranges, e.g. "12-40,45"."""
    ranges = []
    for pk in sorted(set(pks)):
        if ranges and ranges[-1][1] == pk - 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)


def just_scheduled_url(publications):
    """The publication list showing only `publications`."""
    ranges = id_ranges(p.pk for p in publications)
    return reverse("publishing_publications:index") + "?" + urlencode({"ids": ranges})


class IdRangesField(forms.CharField):
    def clean(self, value):
        text = (super().clean(value) or "").strip()
        parts = [_RANGE.fullmatch(part.strip()) for part in text.split(",")]
        if not text:
            return ()
        if len(parts) > MAX_RANGES or not all(parts):
            raise ValidationError(
                _("Write post numbers or ranges of them, e.g. 12-40, 45.")
            )
        return tuple(tuple(sorted((int(m[1]), int(m[2] or m[1])))) for m in parts)


class IdRangesFilter(django_filters.Filter):
    field_class = IdRangesField

    def filter(self, qs, value):
        if not value:
            return qs
        wanted = Q()
        for start, end in value:
            wanted |= Q(pk__range=(start, end))
        return qs.filter(wanted)


class IdRangesFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self):
        count = sum(end - start + 1 for start, end in self.value)
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            ngettext("%(count)s post", "%(count)s posts", count) % {"count": count},
            self.get_url_without_filter_param(self.name),
        )


register_filter_adapter_class(IdRangesFilter, IdRangesFilterAdapter)


class PublicationFilterSet(PeriodMixin, WagtailFilterSet):
    period = PeriodFilter()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=S.choices)
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"),
        queryset=lambda r: (
            channels_for(r.user, "view").select_related("unit").only(*LABEL_FIELDS)
        ),
        widget=LongSelect,
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=_units, method="filter_unit"
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), field_name="page__campaign", queryset=Campaign.objects
    )
    publish_at = dates.DateFromToRangeFilter(
        label=_("Time"), widget=DateRangePickerWidget
    )
    ids = IdRangesFilter(
        label=_("Just scheduled"),
        help_text=_("Post numbers, e.g. 12-40, 45."),
    )

    class Meta:
        model = Publication
        fields = []

    def filter_unit(self, queryset, name, value):
        # A unit's posts include those of the units below it, like the roles.
        return queryset.filter(channel__unit_id__in=value.descendant_ids())


class StatusColumn(StatusTagColumn):
    cell_template_name = "publishing/publications/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["tone"] = status_tone(instance.status)
        return context


class TimeColumn(Column):
    cell_template_name = "publishing/publications/time_cell.html"


class LinkColumn(Column):
    cell_template_name = "publishing/publications/link_cell.html"


class PublicationIndexView(generic.IndexView):
    def get_ordering(self):
        # The Time column's order when a person chose it, else the period's.
        chosen = self.request.GET.get("ordering")
        if chosen in self.get_valid_orderings():
            return chosen
        return ordering_for(self.filters.period if self.filters else None)

    def order_queryset(self, queryset):
        # Posts at the same time keep one order from page to page.
        tie = "-pk" if self.ordering.startswith("-") else "pk"
        return queryset.order_by(self.ordering, tie)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        user = self.request.user
        if not (user.is_active and user.is_superuser):
            # (every channel for a superuser: no semi-join over every publication
            # for the count; bench/scale.py)
            queryset = queryset.filter(channel__in=channels_for(user, "view"))
        return queryset.select_related("page", "channel", "channel__unit")


# The detail ---------------------------------------------------------------------------
@dataclasses.dataclass
class Action:
    label: str
    allowed: tuple
    form: type | None = None
    confirm: bool = False
    done: str = ""


class RescheduleForm(forms.Form):
    publish_at = dates.DateTimeField(
        label=_("New time"),
        widget=PlannedTimeInput,
        validators=[dates.check_within_a_year],
    )

    def for_publication(self, publication):
        """Opens on the post's time, its channel's free slots beside it (its own
        slot counted free: it is the one moving)."""
        at = timezone.localtime(publication.publish_at)
        self.initial.setdefault("publish_at", at)
        self.fields["publish_at"].widget = PlannedTimeInput(
            channel=publication.channel_id, exclude=publication.pk
        )


class CorrectForm(forms.Form):
    message = forms.CharField(
        label=_("New text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Empty: the default text. Placeholders: {title}, {url}."),
    )


class MarkPostedForm(forms.Form):
    url = forms.CharField(label=_("Address of the post"), max_length=500)


ACTIONS = {
    "retry": Action(_("Retry now"), RETRYABLE, done=_("It will go out now.")),
    "reschedule": Action(
        _("Reschedule"), RESCHEDULABLE, RescheduleForm, done=_("New time set.")
    ),
    "cancel": Action(_("Cancel"), CANCELLABLE, done=_("Cancelled.")),
    "mark_posted": Action(
        _("Already posted manually"),
        MARKABLE,
        MarkPostedForm,
        done=_("Marked as posted."),
    ),
    "correct": Action(
        _("Correct the post"),
        LIVE,
        CorrectForm,
        confirm=True,
        done=_("The post was corrected on the network."),
    ),
    "withdraw": Action(
        _("Withdraw"),
        LIVE,
        confirm=True,
        done=_("The post was removed from the network."),
    ),
}


def breadcrumbs(*items):
    """Wagtail's slim header for our own form pages: Home, then (url, label)s."""
    home = {"url": reverse("wagtailadmin_home"), "label": _("Home")}
    return [home] + [{"url": url, "label": label} for url, label in items]


def _run(name, user, publication, data):
    if name == "reschedule":
        return actions.reschedule(user, publication, data["publish_at"])
    if name == "mark_posted":
        return actions.mark_posted(user, publication, data["url"])
    if name == "correct":
        return actions.correct(user, publication, data["message"])
    return getattr(actions, {"retry": "retry_now"}.get(name, name))(user, publication)


def available_actions(user, publication):
    """(name, Action) pairs this user may use on `publication` now."""
    return [
        (name, action)
        for name, action in ACTIONS.items()
        if publication.status in action.allowed and may(user, name, publication.channel)
    ]


def payload_view(publication):
    """What was sent, or what will be (composed now as it will be sent)."""
    return outgoing.for_publication(publication)


def pauses_over(channel):
    """The pause switches that stop `channel` now (everything, its units, itself)."""
    units = [channel.unit_id] + [u.pk for u in channel.unit.ancestors()]
    return PublishingPause.objects.filter(
        Q(scope=PauseScope.GLOBAL)
        | Q(scope=PauseScope.UNIT, unit_id__in=units)
        | Q(scope=PauseScope.CHANNEL, channel=channel)
    ).select_related("created_by", "unit", "channel")


class PublicationInspectView(generic.InspectView):
    template_name = "publishing/publications/inspect.html"
    page_title = _("Post")

    def get_page_subtitle(self):
        return f"{self.object.page.title} · {self.object.channel}"

    def get_object(self, queryset=None):
        publication = get_object_or_404(
            Publication.objects.select_related("page", "channel", "channel__unit"),
            pk=self.pk,
        )
        if not may(self.request.user, "view", publication.channel):
            raise PermissionDenied
        return publication

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publication = self.object
        context.update(
            publication=publication,
            status_help=HELP.get(publication.status, ""),
            pauses=pauses_over(publication.channel)
            if publication.status in CANCELLABLE
            else [],
            tone=status_tone(publication.status),
            counts=[
                (c.name, c.label, getattr(publication, c.name)) for c in COUNT_COLUMNS
            ],
            payload=payload_view(publication),
            attempts=publication.attempt_history.all(),
            history=log_registry.get_logs_for_instance(publication).select_related(
                "user"
            ),
            actions=available_actions(self.request.user, publication),
            edit_page_url=reverse(
                "wagtailadmin_pages:edit", args=(publication.page_id,)
            ),
            **broadcasts.context(self.request.user, publication),
        )
        return context


def publication_action(request, pk, name):
    """GET: the form or confirmation of an action; POST: do it (server-side checks)."""
    action = ACTIONS.get(name)
    publication = get_object_or_404(
        Publication.objects.select_related("page", "channel"), pk=pk
    )
    if action is None or not may(request.user, name, publication.channel):
        raise PermissionDenied
    back = _next(request) or reverse("publishing_publications:inspect", args=(pk,))
    form = _form(action, request, publication)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            _run(name, request.user, publication, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                for text in error.messages:
                    messages.error(request, text)
                return redirect(back)
            form.add_error(None, error)
        else:
            messages.success(request, action.done)
            return redirect(back)
    if form is None and not action.confirm:
        return redirect(back)  # a GET of a one-click action: nothing to show
    return TemplateResponse(
        request,
        "publishing/publications/action.html",
        {
            "publication": publication,
            "action": action,
            "form": form,
            "back": back,
            "page_title": action.label,
            "header_title": action.label,
            "breadcrumbs_items": breadcrumbs(
                (reverse("publishing_publications:index"), _("Publications")),
                (back, f"{publication.page.title} · {publication.channel}"),
                ("", action.label),
            ),
            "payload": payload_view(publication),
        },
    )


def _next(request):
    """Where to go back after the action (the calendar passes `next`): a path on
    this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _form(action, request, publication):
    if action.form is None:
        return None
    initial = {}
    if action.form is CorrectForm:
        initial["message"] = payload_view(publication)["text"]
    data = request.POST if request.method == "POST" else None
    form = action.form(data, initial=initial)
    if isinstance(form, RescheduleForm):
        form.for_publication(publication)
    return form


class PublicationViewSet(ModelViewSet):
    model = Publication
    icon = "list-ul"
    menu_label = _("Publications")
    url_prefix = "publishing/publications"
    url_namespace = "publishing_publications"
    add_to_admin_menu = False
    index_view_class = PublicationIndexView
    inspect_view_class = PublicationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = PublicationFilterSet
    search_fields = ["page__title"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn(
            "page",
            label=_("Article"),
            get_url=lambda p: reverse("publishing_publications:inspect", args=(p.pk,)),
        ),
        Column("channel", label=_("Channel")),
        StatusColumn("status", label=_("Status")),
        TimeColumn(
            "when",
            label=_("Time"),
            accessor=lambda p: p.published_at or p.publish_at,
            sort_key="publish_at",
        ),
        *COUNT_COLUMNS,
        LinkColumn("permalink", label=_("Link")),
        Column("last_error", label=_("Last error")),
    ]
    form_fields = []

    def get_urlpatterns(self):
        # The detail lives at <pk>/ (links in e-mails and the home panel use it).
        patterns = [p for p in super().get_urlpatterns() if p.name != "inspect"]
        return patterns + [
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/do/<str:name>/", publication_action, name="action"),
            path(
                "<int:pk>/broadcasts/<int:broadcast_pk>/resend/",
                broadcasts.resend,
                name="resend_broadcast",
            ),
            path(
                "<int:pk>/broadcasts/add/",
                broadcasts.send_to_followers,
                name="send_to_followers",
            ),
        ]
