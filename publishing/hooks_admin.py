"""Wagtail hooks of publishing: admin (imported by wagtail_hooks).

The publications, share requests and pause viewsets are items of the "Publishing"
menu group (wagtail_hooks.PublishingGroup); here: the "Share again" page, its
button in the page header, the approvers' home panel of waiting shares, and the
labels of what people do in Wagtail's log.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from .models import ShareRequest, ShareRequestStatus
from .permissions import channels_for
from .views import requests

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


class ShareRequestsPanel(Component):
    """On the admin home of approvers: the shares waiting for them (guarantee 5)."""

    name = "publishing_share_requests"
    template_name = "publishing/requests/home_panel.html"
    order = 60
    shown_at_most = 10

    def __init__(self, user):
        self.user = user

    @cached_property
    def waiting(self):
        return (
            ShareRequest.objects.filter(
                status=ShareRequestStatus.PENDING,
                channel__in=channels_for(self.user, "approve"),
            )
            .select_related("page", "channel", "requested_by")
            .order_by("requested_at", "pk")
        )

    def get_context_data(self, parent_context):
        return {
            "shown": self.waiting[: self.shown_at_most],
            "count": self.waiting.count(),
        }

    def render_html(self, parent_context=None):
        if not self.waiting.exists():
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_share_requests_panel(request, panels):
    panels.append(ShareRequestsPanel(request.user))
