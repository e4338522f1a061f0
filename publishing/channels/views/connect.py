"""Connect by login: Facebook Login for Pages and Zalo's OA permission (PKCE).

The flow state lives in the session: a random `state` (checked once, then dropped:
a forged or replayed callback is refused), Zalo's PKCE verifier, and the Pages the
person manages with their tokens, encrypted (sessions are not encrypted at rest).
"""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from publishing import crypto
from publishing.channels.connect import ConnectError, connect, existing_channels
from publishing.channels.forms import PickPagesForm, PickUnitForm
from publishing.models import Channel, Network
from publishing.networks.facebook import login as facebook_login
from publishing.networks.facebook.login import LoginError
from publishing.networks.zalo import login as zalo_login
from publishing.permissions import UnitRolePermissionPolicy

FLOW_TTL = 15 * 60  # seconds a started login may take
policy = UnitRolePermissionPolicy(Channel)


def _require_manager(request):
    if not policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    return policy.allowed_units(request.user, "add")


def _callback_url(name):
    return settings.BASE_URL + reverse(name)


def _start(request, key, extra=None):
    state = secrets.token_urlsafe(32)
    request.session[key] = {"state": state, "at": time.time(), **(extra or {})}
    return state


def _finish(request, key):
    """The stored flow if the callback's state matches it; dropped either way."""
    flow = request.session.pop(key, None)
    given = request.GET.get("state", "")
    if (
        not flow
        or not given
        or not secrets.compare_digest(flow["state"], given)
        or time.time() - flow["at"] > FLOW_TTL
    ):
        return None
    return flow


def _refuse(request, message):
    messages.error(request, message)
    return redirect("publishing_channels:index")


def facebook_start(request):
    _require_manager(request)
    state = _start(request, "fb_login")
    url = _callback_url("publishing_connect_facebook_callback")
    return redirect(facebook_login.dialog_url(url, state))


def facebook_callback(request):
    _require_manager(request)
    if _finish(request, "fb_login") is None:
        return _refuse(request, _forged_message())
    if request.GET.get("error"):
        return _refuse(request, _denied_message("Facebook"))
    try:
        pages = facebook_login.pages_for_code(
            request.GET.get("code", ""),
            _callback_url("publishing_connect_facebook_callback"),
        )
    except LoginError as error:
        return _refuse(request, error.message)
    if not pages:
        return _refuse(
            request,
            _(
                "This Facebook account manages no Page. Sign in with an account "
                "that is an admin or editor of the unit's Page."
            ),
        )
    request.session["fb_pages"] = {
        "at": time.time(),
        "data": crypto.encrypt({"pages": pages}),
    }
    return redirect("publishing_connect_facebook_pick")


def facebook_pick(request):
    units = _require_manager(request)
    stored = request.session.get("fb_pages")
    if not stored or time.time() - stored["at"] > FLOW_TTL:
        return _refuse(request, _expired_message("Facebook"))
    pages = crypto.decrypt(stored["data"])["pages"]
    public = [{"id": p["id"], "name": p["name"]} for p in pages]
    form = PickPagesForm(
        request.POST or None, pages=public, units=units, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        tokens = {p["id"]: p["access_token"] for p in pages}
        for page, unit in form.chosen():
            _connect_one(
                request,
                Network.FACEBOOK,
                page["id"],
                page["name"],
                unit,
                {"page_token": tokens[page["id"]]},
            )
        request.session.pop("fb_pages", None)
        return redirect("publishing_channels:index")
    return TemplateResponse(
        request,
        "publishing/connect_pick.html",
        {"form": form, "network_label": "Facebook", "pages": public},
    )


def zalo_start(request):
    _require_manager(request)
    verifier = zalo_login.new_verifier()
    state = _start(request, "zalo_login", {"verifier": verifier})
    url = _callback_url("publishing_connect_zalo_callback")
    return redirect(zalo_login.permission_url(url, verifier, state))


def zalo_callback(request):
    _require_manager(request)
    flow = _finish(request, "zalo_login")
    if flow is None:
        return _refuse(request, _forged_message())
    if request.GET.get("error") or not request.GET.get("code"):
        return _refuse(request, _denied_message("Zalo"))
    try:
        credentials = zalo_login.exchange_code(request.GET["code"], flow["verifier"])
        info = zalo_login.oa_info(credentials["access_token"])
    except LoginError as error:
        return _refuse(request, error.message)
    oa = {
        "id": str(info.get("oa_id") or request.GET.get("oa_id", "")),
        "name": info.get("name") or request.GET.get("oa_id", ""),
    }
    request.session["zalo_oa"] = {
        "at": time.time(),
        "oa": oa,
        "data": crypto.encrypt(credentials),
    }
    return redirect("publishing_connect_zalo_pick")


def zalo_pick(request):
    units = _require_manager(request)
    stored = request.session.get("zalo_oa")
    if not stored or time.time() - stored["at"] > FLOW_TTL:
        return _refuse(request, _expired_message("Zalo"))
    oa = stored["oa"]
    channel = existing_channels(Network.ZALO, [oa["id"]]).get(oa["id"])
    form = PickUnitForm(
        request.POST or None, units=units, channel=channel, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        credentials = crypto.decrypt(stored["data"])
        _connect_one(
            request,
            Network.ZALO,
            oa["id"],
            oa["name"],
            form.cleaned_data["unit"],
            credentials,
        )
        request.session.pop("zalo_oa", None)
        return redirect("publishing_channels:index")
    return TemplateResponse(
        request,
        "publishing/connect_pick.html",
        {"form": form, "network_label": "Zalo OA", "oa": oa},
    )


def _connect_one(request, network, external_id, name, unit, credentials):
    try:
        channel, created = connect(
            network, external_id, name, unit, credentials, request.user
        )
    except ConnectError as error:
        messages.error(
            request,
            _("%(name)s was not connected: %(reason)s")
            % {"name": name, "reason": error.message},
        )
        return
    text = (
        _("Connected %(channel)s to %(unit)s.")
        if created
        else _("Reconnected %(channel)s (%(unit)s).")
    )
    messages.success(request, text % {"channel": channel, "unit": unit})


def _forged_message():
    return _(
        "This sign-in answer does not match a sign-in started here (the state "
        "code is missing, wrong, already used or expired). Nothing was connected: "
        "press the Connect button again."
    )


def _denied_message(network):
    return _(
        "%(network)s permission was refused, so nothing was connected. To connect, "
        "approve the requested permissions."
    ) % {"network": network}


def _expired_message(network):
    return _("The %(network)s sign-in took too long. Start again.") % {
        "network": network
    }
