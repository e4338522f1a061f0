"""The article's publications, on its "Social sharing" tab: where it went, how it
stands, links to each post's detail, shares waiting for (or refused by) an approver,
and "Share again"."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from publishing.lifecycle import tone
from publishing.models import Publication, ShareRequest, ShareRequestStatus
from publishing.permissions import channels_for


class PublicationsPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Publications"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "publications"

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/publications/panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            user = self.request.user
            rows = (
                Publication.objects.filter(
                    page_id=self.instance.pk,
                    channel__in=channels_for(user, "view"),
                )
                .select_related("channel")
                .order_by("-round", "-publish_at", "-pk")
            )
            context["publications"] = [(p, tone(p.status)) for p in rows]
            # Shares still waiting for an approver, and refusals with their reason.
            context["requests"] = (
                ShareRequest.objects.filter(
                    page_id=self.instance.pk,
                    channel__in=channels_for(user, "view"),
                    publication__isnull=True,
                )
                .exclude(status=ShareRequestStatus.APPROVED)
                .select_related("channel", "decided_by")
                .order_by("-requested_at", "-pk")
            )
            context["share_again_url"] = (
                reverse("publishing_share_again", args=(self.instance.pk,))
                if self.instance.live and channels_for(user, "share_again").exists()
                else ""
            )
            return context
