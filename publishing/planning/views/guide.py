"""The sharing guide ("Hướng dẫn"): one admin page, in place of Wagtail's Help menu
of English guides, that walks a person through the workflow (write, plan the
shares, submit, approval, the posts go out, follow them) with the admin's own icons,
and says what each publication status means (`publishing.lifecycle.HELP`).

Links go to the screens the person's menu offers them (Wagtail's menu decides, by
their rights); a screen their role does not reach is named without a link.

URL name: `publishing_guide:index`; its menu item takes the place of Help.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import admin_menu
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from publishing.lifecycle import HELP, TONES, PublicationStatus

# The screens the guide names, by URL name.
SCREENS = {
    "pages": "wagtailadmin_explore_root",
    "publications": "publishing_publications:index",
    "calendar": "publishing_calendar:index",
    "dashboard": "publishing_dashboard:index",
    "requests": "publishing_share_requests:index",
    "channels": "publishing_channels:index",
}


def menu_urls(request, menu=admin_menu):
    """The URLs of every item the person's menu shows, submenus too."""
    urls = set()
    for item in menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        if submenu is not None:
            urls |= menu_urls(request, submenu)
        elif getattr(item, "url", None):
            urls.add(item.url)
    return urls


def links(request):
    """{screen: URL} of the SCREENS the person's menu offers."""
    shown = menu_urls(request)
    urls = {screen: reverse(name) for screen, name in SCREENS.items()}
    return {screen: url for screen, url in urls.items() if url in shown}


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "publishing/guide.html"
    page_title = _("Guide to sharing articles")
    header_icon = "help"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = links(self.request)
        context["statuses"] = [
            (status.label, HELP[status], TONES.get(status, ""))
            for status in PublicationStatus
        ]
        return context


class GuideViewSet(ViewSet):
    name = "publishing_guide"
    url_prefix = "publishing/guide"
    icon = "help"
    menu_label = _("Guide")
    # Where Wagtail's Help was: last in the menu.
    menu_order = 11000
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", GuideView.as_view(), name="index")]
