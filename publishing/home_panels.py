"""Panels of the admin home (registered in wagtail_hooks).

The open incidents of the units a person works for (the same units whose channels
they see), newest first: what happened, where, why, and a link to act; and, for
approvers, the shares waiting for them. Nothing is shown when there are none.
"""

from django.db.models import F
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from publishing.incidents.notifications import action_path
from publishing.models import Incident, IncidentKind, ShareRequest, ShareRequestStatus
from publishing.permissions import channels_for, unit_ids_for
from publishing.planning import outgoing

SHOWN = 10

LINK_LABELS = {
    IncidentKind.FAILED: _("Open the post"),
    IncidentKind.EXPIRED: _("Open the post"),
    IncidentKind.HELD: _("Open the held posts"),
    IncidentKind.RECONNECT: _("Reconnect the channel"),
    IncidentKind.QUOTA: _("Open the channel's posts"),
    IncidentKind.INBOX: _("Reconnect the channel"),
}


def open_incidents_for(user):
    """Open incidents of the units whose channels `user` sees."""
    incidents = Incident.objects.filter(resolved_at__isnull=True)
    if not (user.is_active and user.is_superuser):
        incidents = incidents.filter(unit_id__in=unit_ids_for(user, "view"))
    return incidents.select_related(
        "unit", "channel__unit", "publication__page"
    ).order_by("-opened_at", "-pk")


class IncidentsPanel(Component):
    name = "publishing_incidents"
    template_name = "publishing/notifications/home_panel.html"
    order = 50  # above Wagtail's own panels: these wait for someone

    def __init__(self, user):
        self.user = user

    @cached_property
    def shown(self):
        """(at most SHOWN newest incidents, how many more there are)."""
        incidents = open_incidents_for(self.user)
        shown = list(incidents[: SHOWN + 1])
        if len(shown) <= SHOWN:
            return shown, 0
        return shown[:SHOWN], incidents.count() - SHOWN

    def get_context_data(self, parent_context):
        incidents, more = self.shown
        rows = [
            {
                "incident": incident,
                "url": action_path(incident),
                "link_label": LINK_LABELS[incident.kind],
            }
            for incident in incidents
        ]
        return {"rows": rows, "more": more}

    def render_html(self, parent_context=None):
        if not self.shown[0]:
            return ""
        return super().render_html(parent_context)


class ShareRequestsPanel(Component):
    """On the admin home of approvers, first: the shares waiting for them
    (guarantee 5), the one due soonest first (no time asked: due when approved)."""

    name = "publishing_share_requests"
    template_name = "publishing/requests/home_panel.html"
    order = 40  # what waits for this person, above incidents and the dashboard
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
            .select_related("page", "channel__unit", "requested_by")
            .order_by(F("publish_at").asc(nulls_first=True), "requested_at", "pk")
        )

    def get_context_data(self, parent_context):
        rows = [
            {
                "request": request,
                "due": outgoing.request_time(request),
                "by": outgoing.full_name(request.requested_by),
            }
            for request in self.waiting[: self.shown_at_most]
        ]
        return {"rows": rows, "count": self.waiting.count()}

    def render_html(self, parent_context=None):
        if not self.waiting.exists():
            return ""
        return super().render_html(parent_context)


# Wagtail's "Awaiting your review" (articles whose approval step waits for this
# person) comes right after the shares waiting, above the dashboard (it was 220).
REVIEW_ORDER = 45


def waiting_first(request, panels):
    """`construct_homepage_panels`: what waits for this person before the figures."""
    for panel in panels:
        if getattr(panel, "name", "") == "workflow_objects_to_moderate":
            panel.order = REVIEW_ORDER
