"""The article's "Social sharing" tab: share plans (and the page's publications)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel


def sharing_panels():
    """Panels publishing adds to ArticlePage's "Social sharing" tab."""
    return [
        InlinePanel("share_plans", heading=_("Share plans"), label=_("share")),
    ]
