"""The registry of networks, configured by `PUBLISHING_NETWORKS` (like Django's
CACHES): each network's adapter class (a `BaseNetwork`) and its options.

PUBLISHING_NETWORKS = {
    "facebook": {
        "BACKEND": "publishing.networks.facebook.FacebookNetwork",
        "OPTIONS": {"app_id": "...", "app_secret": "..."},
    },
    "zalo": {"BACKEND": "publishing.networks.zalo.ZaloNetwork", "OPTIONS": {...}},
}

Each class declares the options it reads (`declared_options`); `publishing.checks`
reports a missing, unknown or mistyped one at start-up.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from publishing.conf import setting
from publishing.networks.base import (  # noqa: F401  (re-exported)
    BaseNetwork,
    BroadcastTargets,
    CannotTell,
    ChannelBroken,
    CheckResult,
    ContentRejected,
    Draft,
    Engagement,
    ImageRef,
    Lookup,
    NetworkError,
    Option,
    OutcomeUnknown,
    OutsideHours,
    Payload,
    Published,
    QuotaUsedUp,
    ReconnectNeeded,
    RetryLater,
    VideoRef,
    configured_options,
)
from publishing.networks.login import LoginError  # noqa: F401  (re-exported)


def network_names():
    """The networks configured, in the order of `PUBLISHING_NETWORKS`."""
    return list(setting("PUBLISHING_NETWORKS"))


def network_class(name):
    config = setting("PUBLISHING_NETWORKS").get(name)
    if config is None:
        raise ImproperlyConfigured(f"PUBLISHING_NETWORKS has no entry for {name!r}.")
    try:
        cls = import_string(config["BACKEND"])
    except (ImportError, KeyError) as error:
        raise ImproperlyConfigured(
            f"PUBLISHING_NETWORKS[{name!r}]['BACKEND'] cannot be imported: {error}"
        ) from error
    if not (isinstance(cls, type) and issubclass(cls, BaseNetwork)):
        raise ImproperlyConfigured(
            f"PUBLISHING_NETWORKS[{name!r}]['BACKEND']: {cls!r} is not a BaseNetwork."
        )
    return cls


def network_options(name):
    """Network `name`'s options, each declared one with its value or default."""
    return network_class(name).resolve_options(configured_options(name))


def login_for(name):
    """The login flow of network `name`, with its options."""
    cls = network_class(name)
    return cls.login(cls, network_options(name))


def post_hosts(name):
    """Hosts the address of a post on network `name` may have."""
    return network_class(name).accepted_post_hosts(network_options(name))


def adapter_for(channel, **hooks):
    """The adapter instance for one channel. Rotated tokens are stored on the
    channel's row, under its lock (`Channel.credentials_locked`); a channel not
    saved yet (being connected) keeps them in memory."""
    if channel.pk is not None:
        hooks.setdefault("token_lock", channel.credentials_locked)
        hooks.setdefault("on_token", channel.store_credentials)
    else:
        hooks.setdefault("on_token", channel.set_credentials)
    return network_class(channel.network)(channel, **hooks)
