from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from cms.twofactor import urls


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


# The audit log (Wagtail's, on the user concerned): who set two-step sign-in up,
# removed it, replaced the backup codes, or reset someone else's. No secret or code
# is ever in an entry.
LOG_ACTIONS = {
    "twofactor.enrol": (
        _("Set up two-step verification"),
        _("Two-step verification set up"),
    ),
    "twofactor.remove": (
        _("Remove two-step verification"),
        _("Two-step verification removed"),
    ),
    "twofactor.new_codes": (
        _("Replace backup codes"),
        _("New backup codes made (the old ones stop working)"),
    ),
    "twofactor.reset": (
        _("Reset two-step verification"),
        _("Two-step verification reset by an administrator"),
    ),
}


@hooks.register("register_log_actions")
def register_twofactor_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        formatter = type(
            "TwoFactorLog", (LogFormatter,), {"label": label, "message": message}
        )
        actions.register_action(action)(formatter)
