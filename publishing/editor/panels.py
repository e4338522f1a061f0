"""The article's "Social sharing" tab: share plans (and the page's publications)."""

import json

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, Panel

from publishing.editor.plans import (
    PREVIEW_MARKER,
    SharePlanForm,
    channel_data,
    draft_article,
)
from publishing.editor.publications_panel import PublicationsPanel
from publishing.outbox import compose


class SharePlanToolsPanel(Panel):
    """Under a plan's message: its character count, a warning, and "Preview"."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/editor/share_plan_tools.html"


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
                links={
                    n: compose.article_link(page, n, PREVIEW_MARKER) for n in networks
                },
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
                },
            )
            return data


def sharing_panels():
    """Panels publishing adds to ArticlePage's "Social sharing" tab."""
    return [
        SharePlansPanel("share_plans", heading=_("Share plans"), label=_("share")),
        PublicationsPanel(),
    ]
