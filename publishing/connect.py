"""Connecting a channel: turn what the network gave into verified credentials.

Used by the login callbacks and by the token-paste form. Nothing is saved until the
network has confirmed the credentials work for that Page or OA.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, ChannelStatus, Network
from .networks import NetworkError, adapter_for
from .networks.facebook_login import LoginError
from .networks.zalo_login import exchange_refresh_token


class ConnectError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def credentials_from_token(network, token):
    if network == Network.FACEBOOK:
        return {"page_token": token}
    try:
        return exchange_refresh_token(token)
    except LoginError as error:
        raise ConnectError(error.message) from None


def verify(channel):
    """The network's CheckResult for `channel`; ConnectError when it is not usable."""
    try:
        result = adapter_for(channel).check()
    except NetworkError as error:
        raise ConnectError(error.message) from None
    if not result.ok:
        raise ConnectError(result.reason)
    return result


def mark_connected(channel, user, result):
    channel.status = ChannelStatus.ACTIVE
    channel.status_reason = ""
    channel.checked_at = timezone.now()
    channel.connected_at = timezone.now()
    channel.connected_by = user
    if result.followers is not None:
        channel.followers = result.followers
    if result.name and not channel.name:
        channel.name = result.name
    expires = channel.get_credentials().get("expires_at")
    if expires:
        channel.token_expires_at = expires


def connect(network, external_id, name, unit, credentials, user):
    """Create the channel or reconnect the existing one (same Page or OA).

    The network is asked first, with no transaction open; then the row is written.
    Returns (channel, created). Reconnecting keeps the channel's id, so its history
    and held publications stay with it.
    """
    candidate = Channel(network=network, external_id=external_id, name=name, unit=unit)
    candidate.set_credentials(credentials)
    result = verify(candidate)
    with transaction.atomic():
        channel = (
            Channel.objects.select_for_update()
            .filter(network=network, external_id=external_id)
            .first()
        )
        created = channel is None
        channel = channel or candidate
        channel.unit, channel.name = unit, name
        channel.credentials = candidate.credentials
        mark_connected(channel, user, result)
        channel.save()
    return channel, created


def describe_failure(error):
    return _("Not connected: %(reason)s") % {"reason": error.message}
