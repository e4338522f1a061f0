"""The two-step screens: verify and enrol (in the sign-in page's look, reached
before the rest of the admin), the user's own page, and the superuser's reset."""

from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from wagtail.log_actions import log

from cms.twofactor import policy
from cms.twofactor.forms import CodeForm, EnrolForm

PENDING_KEY = "twofactor_pending_key"
NEW_CODES = "twofactor_new_backup_codes"


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe or url.startswith(reverse("twofactor:verify")):
        return reverse("wagtailadmin_home")
    return url


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def verify(request):
    user, next_url = request.user, _next_url(request)
    if user.is_verified() or policy.totp_device(user) is None:
        return redirect(next_url)
    form = CodeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = policy.backup_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a backup code; %(count)d backup code is "
                    "left. Each code works once.",
                    "You signed in with a backup code; %(count)d backup codes are "
                    "left. Each code works once.",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url)
    return TemplateResponse(
        request, "twofactor/verify.html", {"form": form, "next": next_url}
    )


def enrol(request):
    user, next_url = request.user, _next_url(request)
    if policy.totp_device(user) is not None:
        return redirect("twofactor:manage")
    key = request.session.get(PENDING_KEY) or policy.new_secret()
    request.session[PENDING_KEY] = key
    form = EnrolForm(key, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, codes = policy.enrol(user, key, form.step, name=_("Authenticator app"))
        audit("twofactor.enrol", user, by=user)
        del request.session[PENDING_KEY]
        request.session.cycle_key()
        otp_login(request, device)
        request.session[NEW_CODES] = codes
        return redirect(_with_next("twofactor:backup_codes", next_url))
    return TemplateResponse(
        request,
        "twofactor/enrol.html",
        {
            "form": form,
            "next": next_url,
            "required": policy.is_required(user),
            "secret": policy.secret_as_text(key),
            "qr_svg": _qr_svg(_otpauth_url(user, key)),
        },
    )


def _otpauth_url(user, key):
    issuer = settings.WAGTAIL_SITE_NAME.replace(":", "")
    secret = policy.secret_as_text(key).replace(" ", "")
    label = quote(f"{issuer}:{user.get_username()}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": policy.TOTP_DIGITS},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def _qr_svg(data):
    """The QR code as inline SVG (no script, no image request, no data: URL)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg[svg.index("<svg") :])


def backup_codes(request):
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("twofactor:manage")
    return TemplateResponse(
        request,
        "twofactor/backup_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


def manage(request, form=None, codes_form=None):
    user = request.user
    device = policy.totp_device(user)
    return TemplateResponse(
        request,
        "twofactor/manage.html",
        {
            "page_title": _("Two-step verification"),
            "header_title": _("Two-step verification"),
            "header_icon": "key",
            "breadcrumbs_items": _breadcrumbs(
                (reverse("wagtailadmin_account"), _("Account")),
                ("", _("Two-step verification")),
            ),
            "device": device,
            "required": policy.is_required(user),
            "backup_codes_left": policy.backup_codes_left(user) if device else 0,
            "form": form or CodeForm(user),
            "codes_form": codes_form or CodeForm(user, auto_id="id_codes_%s"),
        },
    )


@require_POST
def remove(request):
    user = request.user
    form = CodeForm(user, request.POST)
    if policy.totp_device(user) is None:
        return redirect("twofactor:manage")
    if not form.is_valid():
        return manage(request, form=form)
    policy.remove_devices(user)
    audit("twofactor.remove", user, by=user)
    if policy.is_required(user):
        messages.warning(
            request,
            _(
                "Two-step verification was removed. Your role requires it: set it "
                "up again with your new phone now."
            ),
        )
        return redirect("twofactor:enrol")
    messages.success(request, _("Two-step verification was removed."))
    return redirect("twofactor:manage")


@require_POST
def new_codes(request):
    """New backup codes (the old ones stop working), for a current code."""
    user = request.user
    if policy.totp_device(user) is None:
        return redirect("twofactor:manage")
    form = CodeForm(user, request.POST, auto_id="id_codes_%s")
    if not form.is_valid():
        return manage(request, codes_form=form)
    request.session[NEW_CODES] = policy.new_backup_codes(user)
    audit("twofactor.new_codes", user, by=user)
    return redirect(_with_next("twofactor:backup_codes", reverse("twofactor:manage")))


def reset(request, user_id):
    if not request.user.is_superuser:
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        policy.remove_devices(target)
        audit("twofactor.reset", target, by=request.user)
        messages.success(
            request,
            _(
                "Two-step verification of %(user)s was reset: they will set it up "
                "again at their next sign-in if their role requires it."
            )
            % {"user": target.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "twofactor/reset.html",
        {
            "page_title": _("Reset two-step verification"),
            "header_title": _("Reset two-step verification"),
            "header_icon": "key",
            "breadcrumbs_items": _breadcrumbs(
                (reverse("wagtailusers_users:index"), _("Users")),
                ("", _("Reset two-step verification")),
            ),
            "target": target,
            "enrolled": policy.totp_device(target) is not None,
        },
    )


def audit(action, user, by):
    """An entry in Wagtail's audit log on `user`. `request.user` is django-otp's
    lazy wrapper, which Wagtail's log skips without a word while it is not yet
    evaluated (it looks up the type of what it wraps): the users are unwrapped."""
    log(instance=_unwrapped(user), action=action, user=_unwrapped(by))


def _unwrapped(user):
    if isinstance(user, LazyObject):
        user.pk  # noqa: B018 (evaluates the wrapper)
        return user._wrapped
    return user


def _breadcrumbs(*items):
    home = {"url": reverse("wagtailadmin_home"), "label": _("Home")}
    return [home] + [{"url": url, "label": label} for url, label in items]
