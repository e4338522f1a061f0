"""The channel list: status with its reason and time, followers, check now, the
best times to post from its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton

from cms.core.object_permissions import ObjectPermissionMixin
from publishing.channels.forms import ChannelForm
from publishing.metrics import best_times
from publishing.models import Channel, ChannelStatus, Network
from publishing.models import audience as audiences
from publishing.networks import (
    NetworkError,
    adapter_for,
    network_class,
    network_names,
)
from publishing.permissions import UnitRolePermissionPolicy

STATUS_COLOURS = {
    ChannelStatus.ACTIVE: "success",
    ChannelStatus.NEEDS_RECONNECT: "critical",
    ChannelStatus.DISABLED: "warning",
}


class StatusColumn(StatusTagColumn):
    """The status, and under it why and when it was last checked."""

    cell_template_name = "publishing/channel_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["channel"] = instance
        return context


class BestTimesColumn(Column):
    """The channel's best posting times from its history, or what it still needs
    (read for the whole page at once: ChannelIndexView.get_table)."""

    cell_template_name = "publishing/channel_best_times_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["best"] = getattr(instance, "best_times", None)
        return context


def broadcasts_left(channel):
    """A Zalo OA's "còn N lượt trong tháng" (this month); nothing for a Page."""
    return audiences.left_text(channel) if channel.network == Network.ZALO else ""


def followers_text(channel):
    """41.000 in Vietnamese (Django's localize groups no digits); "—" before the
    first count."""
    if channel.followers is None:
        return "—"
    return number_format(channel.followers, force_grouping=True)


class ChannelIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Wagtail's index lists every row; a person sees the channels of their units.
        visible = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return super().get_base_queryset().filter(pk__in=visible).select_related("unit")

    def get_table(self, object_list):
        found = best_times.for_channels([channel.pk for channel in object_list])
        for channel in object_list:
            channel.best_times = found[channel.pk]
        return super().get_table(object_list)

    @property
    def header_buttons(self):
        if not self.permission_policy.user_has_permission(self.request.user, "add"):
            return []
        return [
            HeaderButton(
                network_class(name).connect_label,
                url=reverse("publishing_connect", args=[name]),
                icon_name="link",
            )
            for name in network_names()
        ]

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            buttons.insert(
                0,
                ListingButton(
                    _("Check now"),
                    url="#",
                    icon_name="rotate",
                    attrs={
                        "data-controller": "w-action",
                        "data-action": "w-action#post",
                        "data-w-action-url-value": reverse(
                            "publishing_channels:check", args=(instance.pk,)
                        ),
                    },
                ),
            )
        return buttons


@require_POST
def check_channel(request, pk):
    """Ask the network now; store and show what it says."""
    channel = get_object_or_404(Channel, pk=pk)
    policy = UnitRolePermissionPolicy(Channel)
    if not policy.user_has_permission_for_instance(request.user, "change", channel):
        raise PermissionDenied
    try:
        result = adapter_for(channel).check()
    except NetworkError as error:
        messages.error(
            request,
            _("%(channel)s could not be checked: %(reason)s")
            % {"channel": channel, "reason": error.message},
        )
        return redirect("publishing_channels:index")
    channel.record_check(result)
    if result.ok:
        messages.success(
            request,
            _("%(channel)s works (%(followers)s followers).")
            % {
                "channel": channel,
                "followers": number_format(channel.followers or 0, force_grouping=True),
            },
        )
    else:
        messages.error(
            request,
            _("%(channel)s: %(reason)s")
            % {"channel": channel, "reason": result.reason},
        )
    return redirect("publishing_channels:index")


# Wagtail's object views check only "may change some channel": the channel's unit
# is checked too (404 outside one's units, 403 without the role).
OwnChannelsMixin = ObjectPermissionMixin


class ChannelEditView(OwnChannelsMixin, generic.EditView):
    object_action = "change"


class ChannelDeleteView(OwnChannelsMixin, generic.DeleteView):
    object_action = "delete"


class ChannelHistoryView(OwnChannelsMixin, generic.HistoryView):
    pass


class ChannelUsageView(OwnChannelsMixin, generic.UsageView):
    pass


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "site"
    menu_label = _("Channels")
    url_prefix = "publishing/channels"
    url_namespace = "publishing_channels"
    add_to_admin_menu = False
    form_fields = [
        "unit",
        "network",
        "name",
        "external_id",
        "status",
        "posting_slots",
        "broadcasts_per_month",
    ]
    index_view_class = ChannelIndexView
    edit_view_class = ChannelEditView
    delete_view_class = ChannelDeleteView
    history_view_class = ChannelHistoryView
    usage_view_class = ChannelUsageView
    list_filter = ["network", "status", "unit"]
    search_fields = ["name", "external_id"]
    list_display = [
        "name",
        Column("unit", label=_("Unit")),
        Column("network", label=_("Network"), accessor="get_network_display"),
        StatusColumn("status", label=_("Status"), primary=False),
        Column("followers", label=_("Followers"), accessor=followers_text),
        Column("posting_slots", label=_("Posting times")),
        Column("broadcasts", label=_("Sent to followers"), accessor=broadcasts_left),
        BestTimesColumn("best_times", label=_("Best times to post")),
    ]
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ChannelForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/check/", check_channel, name="check"),
        ]
