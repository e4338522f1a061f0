from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("2fa/", include(urls, namespace="twofactor"))]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    return {
        "url": reverse("twofactor:manage"),
        "label": _("Two-step verification"),
        "help_text": _(
            "Sign in with a code from an authenticator app on your phone as well as "
            "your password. Required for managers and leads."
        ),
    }


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Reset two-step verification"),
            reverse("twofactor:reset", args=(user.pk,)),
            icon_name="key",
            priority=90,
        )
