"""Connecting a channel: turn what the network gave into verified credentials.

Used by the login callbacks and by the token-paste form. Nothing is saved until the
network has confirmed the credentials work for that Page or OA.

A login offers every Page (or the OA) the network account manages, including ones
that are already channels, perhaps of another unit. Connecting one of those only
refreshes the credentials of a channel the person may manage, in its own unit: a
channel is never moved to another unit, nor its token replaced, by a login.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.models import Channel, ChannelStatus
from publishing.networks import LoginError, NetworkError, adapter_for, login_for
from publishing.permissions import UnitRolePermissionPolicy


class ConnectError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def credentials_from_token(network, token):
    """Credentials from a token an administrator pasted (`BaseLogin`)."""
    try:
        return login_for(network).credentials_from_token(token)
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


def existing_channels(network, external_ids):
    """{external id: Channel} for those of `external_ids` already connected."""
    channels = Channel.objects.select_related("unit").filter(
        network=network, external_id__in=list(external_ids)
    )
    return {channel.external_id: channel for channel in channels}


def may_reconnect(channel, user):
    """May `user` refresh `channel`'s credentials? Managers (or leads) of its unit
    or a unit above it; `user` None is the system itself (the demo's seeding)."""
    policy = UnitRolePermissionPolicy(Channel)
    return user is None or policy.user_has_permission_for_instance(
        user, "change", channel
    )


def not_yours_message(channel):
    return _(
        "“%(channel)s” is already a channel of %(owner)s, which you do not manage. "
        "Nothing was changed: its unit, token and publications stay with "
        "%(owner)s. Ask a manager of %(owner)s to reconnect it."
    ) % {"channel": channel.name, "owner": channel.unit.label}


def not_moved_message(channel):
    return _(
        "“%(channel)s” is already a channel of %(owner)s. Connecting again only "
        "refreshes its token, in its own unit: choose %(owner)s. Nothing was "
        "changed."
    ) % {"channel": channel.name, "owner": channel.unit.label}


def refusal(channel, unit, user):
    """Why the existing `channel` may not be (re)connected into `unit` by `user`,
    or None when connecting it only refreshes its credentials."""
    if not may_reconnect(channel, user):
        return not_yours_message(channel)
    if unit is None or channel.unit_id != unit.pk:
        return not_moved_message(channel)
    return None


def connect(network, external_id, name, unit, credentials, user):
    """Create the channel or reconnect the existing one (same Page or OA).

    The network is asked first, with no transaction open; then the row is written.
    Returns (channel, created). Reconnecting keeps the channel's id, so its history
    and held publications stay with it. ConnectError when the Page or OA is a
    channel that `user` may not reconnect, or of another unit than `unit`; it is
    checked again under the row's lock, in case it was connected meanwhile.
    """
    _refuse_takeover(
        existing_channels(network, [external_id]).get(external_id), unit, user
    )
    candidate = Channel(network=network, external_id=external_id, name=name, unit=unit)
    candidate.set_credentials(credentials)
    result = verify(candidate)
    with transaction.atomic():
        channel = (
            Channel.objects.select_for_update()
            .filter(network=network, external_id=external_id)
            .first()
        )
        _refuse_takeover(channel, unit, user)
        created = channel is None
        channel = channel or candidate
        channel.unit, channel.name = unit, name
        channel.credentials = candidate.credentials
        mark_connected(channel, user, result)
        channel.save()
    return channel, created


def _refuse_takeover(channel, unit, user):
    reason = channel and refusal(channel, unit, user)
    if reason:
        raise ConnectError(reason)


def describe_failure(error):
    return _("Not connected: %(reason)s") % {"reason": error.message}
