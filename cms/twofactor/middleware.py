"""Server-side enforcement: until a signed-in user has given a code, every admin URL
sends them to verify (they have an authenticator) or enrol (they must have one),
except signing in and out, the two-step screens, and the admin's JavaScript
catalogue and icon sprite (the two-step screens load them; the sprite's script
would paste a redirected page into the document).

Needs django-otp's OTPMiddleware before it (it sets `request.user.is_verified()`).
The public site, /healthz and static files are never under the admin's prefix.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.twofactor.policy import pending_step

OPEN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "twofactor:verify",
    "twofactor:enrol",
}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        step = pending_step(user)
        if step is None:
            return None
        if request.method not in ("GET", "HEAD") or _is_api_call(request):
            # A form post or a script's call cannot follow a redirect to a form: it
            # is refused, and nothing it asked for is done.
            message = (
                _("Enter your two-step verification code first.")
                if step == "verify"
                else _("Set up two-step verification first.")
            )
            return JsonResponse({"error": message}, status=403)
        url = reverse(f"twofactor:{step}")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _is_api_call(request):
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
