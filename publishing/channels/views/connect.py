"""Connect by login, the same three steps on every network (`BaseLogin`): `start`
sends the person to the network, `callback` takes its answer, `pick` lets them
choose which accounts (Pages, OAs) become channels of which unit.

The flow state lives in the session: a random `state` (checked once, then dropped:
a forged or replayed callback is refused), the flow's own secrets (Zalo's PKCE
verifier), and the accounts offered with their tokens, encrypted (sessions are not
encrypted at rest).
"""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from publishing import crypto
from publishing.channels.connect import ConnectError, connect, existing_channels
from publishing.channels.forms import PickPagesForm, PickUnitForm
from publishing.models import Channel
from publishing.networks import LoginError, login_for, network_names
from publishing.permissions import UnitRolePermissionPolicy

FLOW_TTL = 15 * 60  # seconds a started login may take
policy = UnitRolePermissionPolicy(Channel)


def _require_manager(request):
    if not policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    return policy.allowed_units(request.user, "add")


def _login(network):
    """The network's login flow; 404 for a network not configured."""
    if network not in network_names():
        raise Http404
    try:
        return login_for(network)
    except ImproperlyConfigured:
        raise Http404 from None


def _callback_url(network):
    return settings.BASE_URL + reverse("publishing_connect_callback", args=[network])


def _keys(network):
    """Session keys: the started flow, then the accounts offered."""
    return f"connect_{network}_login", f"connect_{network}_accounts"


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


def start(request, network):
    _require_manager(request)
    login = _login(network)
    flow = {**login.begin(), "state": secrets.token_urlsafe(32), "at": time.time()}
    request.session[_keys(network)[0]] = flow
    return redirect(login.start(_callback_url(network), flow["state"], flow))


def callback(request, network):
    _require_manager(request)
    login = _login(network)
    flow = _finish(request, _keys(network)[0])
    if flow is None:
        return _refuse(request, _forged_message())
    if login.denied(request.GET):
        return _refuse(request, _denied_message(login.label))
    try:
        accounts = login.finish(request.GET, _callback_url(network), flow)
    except LoginError as error:
        return _refuse(request, error.message)
    offered = [vars(account) for account in accounts]
    request.session[_keys(network)[1]] = {
        "at": time.time(),
        "public": [{"id": a["id"], "name": a["name"]} for a in offered],
        "data": crypto.encrypt({"accounts": offered}),
    }
    return redirect("publishing_connect_pick", network)


def pick(request, network):
    units = _require_manager(request)
    login = _login(network)
    stored = request.session.get(_keys(network)[1])
    if not stored or time.time() - stored["at"] > FLOW_TTL:
        return _refuse(request, _expired_message(login.label))
    form = _pick_form(request, network, login, stored["public"], units)
    if request.method == "POST" and form.is_valid():
        accounts = {a["id"]: a for a in crypto.decrypt(stored["data"])["accounts"]}
        for account, unit in form.chosen():
            chosen = accounts[account["id"]]
            _connect_one(
                request,
                network,
                chosen["id"],
                chosen["name"],
                unit,
                chosen["credentials"],
            )
        request.session.pop(_keys(network)[1], None)
        return redirect("publishing_channels:index")
    return TemplateResponse(
        request,
        "publishing/connect_pick.html",
        {
            "form": form,
            "title": login.network.connect_label,
            "pages": [] if login.picks_one else stored["public"],
            "oa": stored["public"][0] if login.picks_one else None,
        },
    )


def _pick_form(request, network, login, public, units):
    """One account: its unit (PickUnitForm); several: a unit for each."""
    data, user = request.POST or None, request.user
    if login.picks_one:
        account = public[0]
        channel = existing_channels(network, [account["id"]]).get(account["id"])
        return PickUnitForm(data, account, units=units, channel=channel, user=user)
    return PickPagesForm(data, pages=public, units=units, user=user, network=network)


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
