"""The article's "Social sharing" tab: share plans (and the page's publications)."""

import json

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, Panel
from wagtailmedia.edit_handlers import MediaChooserPanel

from publishing.editor.plans import (
    SharePlanForm,
    broadcast_note,
    channel_data,
    draft_article,
)
from publishing.editor.publications_panel import PublicationsPanel
from publishing.models import Network
from publishing.models import audience as audiences
from publishing.outbox import compose


class SharePlanToolsPanel(Panel):
    """Under a plan's message: its character count, a warning, and "Preview"."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/editor/share_plan_tools.html"


class BroadcastInfoPanel(Panel):
    """Beside "Send to followers": the OA's broadcasts left this month and, for a
    plan due outside 06:00-21:59, that its broadcast waits until 06:00."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/editor/broadcast_info.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            channel = (
                self.form.instance.channel if self.form.instance.channel_id else None
            )
            if self.form.is_bound:
                channel = getattr(self.form, "cleaned_data", {}).get("channel", channel)
            context["left"] = (
                audiences.left_text(channel)
                if channel is not None and channel.network == Network.ZALO
                else ""
            )
            context["note"] = broadcast_note(self.form)
            return context


BROADCAST = "share-plan-broadcast"  # the row's broadcast fields, shown for Zalo only


class SharePlansPanel(InlinePanel):
    """The plans, each row offering only the channels the user may plan on.

    Wagtail builds the row forms from `form` and hands them the request user
    (`inherit_kwargs`), as it does for comments.
    """

    def __init__(self, relation_name="share_plans", **kwargs):
        kwargs.setdefault(
            "panels",
            [
                FieldPanel("channel"),
                FieldPanel("message"),
                SharePlanToolsPanel(),
                FieldRowPanel([FieldPanel("publish_at"), FieldPanel("kind")]),
                # Any media item: an audio one goes out as a video of the cover.
                MediaChooserPanel("video"),
                FieldPanel("broadcast", classname=BROADCAST),
                BroadcastInfoPanel(),
                FieldPanel("audience_gender", classname=BROADCAST),
                FieldPanel("audience_ages", classname=BROADCAST),
                FieldPanel("audience_provinces", classname=BROADCAST),
            ],
        )
        super().__init__(relation_name, **kwargs)

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(
            form=SharePlanForm, inherit_kwargs=["for_user"]
        )
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "publishing/editor/share_plans_panel.html"

        class Media:
            js = ["publishing/share_plans.js"]
            css = {"all": ["publishing/share_plans.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            data = self.script_data()
            context["share_data"] = json.dumps(data)
            context["units"] = data["units"]
            context["preview_url"] = reverse("publishing_share_preview")
            return context

        def script_data(self):
            data = channel_data(self.request.user)
            parent = getattr(self.form, "parent_page", None)
            page = draft_article(self.instance, parent)
            networks = {c["network"] for c in data["channels"].values()}
            data.update(
                page=self.instance.pk,
                parent=parent.pk if parent else None,
                hashtags=compose.hashtags(page),
                # The texts show the short link: a sample until the share exists.
                links={n: compose.short_link() for n in networks},
                texts={
                    "count": gettext("%(count)s / %(limit)s characters"),
                    "over": gettext("%(over)s characters too many for %(network)s."),
                    "usual": gettext("(the usual text)"),
                    "reconnect": gettext(
                        "This channel must be reconnected by a manager before it "
                        "can post; the share waits until then."
                    ),
                    "none_left": gettext("Every channel of this unit is planned."),
                    "added": gettext("%(count)s share(s) added."),
                    "failed": gettext("The preview could not be made; try again."),
                    "window": gettext(
                        "Zalo sends to followers only from 06:00 to 21:59: this "
                        "broadcast waits until 06:00."
                    ),
                },
            )
            return data


def sharing_panels():
    """Panels publishing adds to ArticlePage's "Social sharing" tab."""
    return [
        SharePlansPanel("share_plans", heading=_("Share plans"), label=_("share")),
        PublicationsPanel(),
    ]
