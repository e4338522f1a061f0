"""Admin wiring of publishing, every Wagtail hook of the app: the "Publishing" menu,
the admin URLs (login flows, share preview, share again), the "Share again" button,
the admin home's panels and the labels of what people do in Wagtail's log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from publishing.channels.views import connect
from publishing.channels.views.channels import ChannelViewSet
from publishing.channels.views.pauses import PauseViewSet
from publishing.channels.views.targets import BroadcastTargetViewSet
from publishing.editor import media_choice
from publishing.editor.views import share_preview
from publishing.home_panels import IncidentsPanel, ShareRequestsPanel, waiting_first
from publishing.inbox.views.approved import ApprovedAnswerViewSet
from publishing.inbox.views.inbox import InboxViewSet
from publishing.inbox.views.panel import QuestionsPanel
from publishing.metrics.dashboard.panels import DashboardSummaryPanel
from publishing.metrics.dashboard.views import DashboardViewSet
from publishing.models import Channel
from publishing.permissions import UnitRolePermissionPolicy, channels_for
from publishing.planning.views import approval, requests
from publishing.planning.views.bulk import BulkScheduleViewSet
from publishing.planning.views.calendar import CalendarViewSet
from publishing.planning.views.guide import GuideViewSet
from publishing.planning.views.publications import PublicationViewSet
from publishing.planning.views.requests import ShareRequestViewSet
from publishing.planning.views.times import time_choices

# Before the viewset asks for it: channel rights follow the unit roles.
register_permission_policy(Channel, UnitRolePermissionPolicy(Channel))


class PublishingGroup(ViewSetGroup):
    menu_label = _("Publishing")
    menu_icon = "globe"
    menu_order = 240
    items = (
        ChannelViewSet,
        PublicationViewSet,
        CalendarViewSet,
        BulkScheduleViewSet,
        ShareRequestViewSet,
        InboxViewSet,
        ApprovedAnswerViewSet,
        PauseViewSet,
        DashboardViewSet,
        BroadcastTargetViewSet,
    )


@hooks.register("register_admin_viewset")
def register_publishing():
    return PublishingGroup()


# The guide ---------------------------------------------------------------------------
@hooks.register("register_admin_viewset")
def register_guide():
    return GuideViewSet()


@hooks.register("construct_main_menu")
def replace_wagtails_help(request, menu_items):
    """Our guide instead of Wagtail's Help: English guides on wagtail.org, with a
    "new" badge each release."""
    menu_items[:] = [item for item in menu_items if item.name != "help"]


@hooks.register("register_admin_urls")
def register_connect_urls():
    """The login flow of any network; the callback's address is the one given to
    the network's app (`<network>/callback/`)."""
    return [
        path(
            "publishing/connect/<slug:network>/",
            connect.start,
            name="publishing_connect",
        ),
        path(
            "publishing/connect/<slug:network>/callback/",
            connect.callback,
            name="publishing_connect_callback",
        ),
        path(
            "publishing/connect/<slug:network>/pick/",
            connect.pick,
            name="publishing_connect_pick",
        ),
    ]


# Log actions --------------------------------------------------------------------------
LOG_ACTIONS = {
    "publishing.cancel": (_("Cancel the post"), _("Post cancelled")),
    "publishing.retry": (_("Retry now"), _("Post retried now")),
    "publishing.reschedule": (_("Reschedule"), _("Post rescheduled")),
    "publishing.mark_posted": (
        _("Already posted manually"),
        _("Marked as posted manually"),
    ),
    "publishing.correct": (_("Correct the post"), _("Post corrected on the network")),
    "publishing.withdraw": (_("Withdraw"), _("Post withdrawn from the network")),
    "publishing.share_again": (_("Share again"), _("Shared again")),
    "publishing.approve_request": (_("Approve a share"), _("Share approved")),
    "publishing.reject_request": (_("Reject a share"), _("Share rejected")),
    "publishing.plan": (_("Schedule shares"), _("Shares scheduled")),
    "publishing.pause": (_("Pause publishing"), _("Publishing paused")),
    "publishing.resume": (_("Resume publishing"), _("Publishing resumed")),
    "publishing.broadcast": (
        _("Send to followers"),
        _("Broadcast to followers planned"),
    ),
    "publishing.request_broadcast": (
        _("Ask to send to followers"),
        _("Broadcast to followers asked for"),
    ),
    "publishing.resend_broadcast": (
        _("Resend to followers"),
        _("Broadcast to followers resent"),
    ),
}


class PublishingLogFormatter(LogFormatter):
    """The message, with the channel(s) it concerns when the entry names them."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        where = data.get("channel") or ", ".join(data.get("channels") or [])
        return f"{self.message}: {where}" if where else str(self.message)


@hooks.register("register_log_actions")
def register_publishing_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        texts = {"label": label, "message": message}
        formatter = type("PublishingLog", (PublishingLogFormatter,), texts)
        actions.register_action(action)(formatter)


# Share again ------------------------------------------------------------------------
@hooks.register("register_admin_urls")
def register_share_again_url():
    return [
        path(
            "publishing/share-again/<int:page_id>/",
            requests.share_again,
            name="publishing_share_again",
        )
    ]


@hooks.register("register_page_header_buttons")
def share_again_button(page, user, view_name, next_url=None):
    """ "Share again" in the article's header menu, for people who may share."""
    if not (page.live and hasattr(page.specific_class, "share_plans")):
        return
    if channels_for(user, "share_again").exists():
        yield Button(
            _("Share again"),
            url=reverse("publishing_share_again", args=(page.pk,)),
            icon_name="globe",
            priority=80,
        )


# The share tab ----------------------------------------------------------------------
@hooks.register("register_admin_urls")
def register_preview_url():
    return [
        path("publishing/preview/", share_preview, name="publishing_share_preview"),
        path("publishing/times/", time_choices, name="publishing_time_choices"),
    ]


# Any media item chosen, read-only, by people who plan shares (editor/media_choice.py):
# before wagtailmedia's own URLs (order), on the address of its `media_chosen`.
hooks.register("construct_media_chooser_queryset", media_choice.chooser_queryset)


@hooks.register("register_admin_urls", order=-1)
def register_media_chosen_url():
    return [
        path(
            "media/chooser/<int:media_id>/",
            media_choice.media_chosen,
            name="publishing_media_chosen",
        )
    ]


# The page editor for an approver -----------------------------------------------------
hooks.register("construct_page_action_menu", approval.approver_first)
hooks.register("after_edit_page", approval.say_what_is_queued)


# The admin home ---------------------------------------------------------------------
# Wagtail sorts the panels by `order`: the shares waiting for this person (40),
# citizens' questions waiting (42), the articles awaiting their review (45),
# incidents (50), the dashboard's summary (60).
@hooks.register("construct_homepage_panels")
def add_share_requests_panel(request, panels):
    panels.append(ShareRequestsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_questions_panel(request, panels):
    panels.append(QuestionsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_incidents_panel(request, panels):
    panels.append(IncidentsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    panels.append(DashboardSummaryPanel(request.user))


hooks.register("construct_homepage_panels", waiting_first)
