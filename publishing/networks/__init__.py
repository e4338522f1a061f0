"""The registry of network adapters, configured by `PUBLISHING_NETWORKS`.

PUBLISHING_NETWORKS = {
    "facebook": {"BACKEND": "publishing.networks.facebook.FacebookNetwork"},
    "zalo": {"BACKEND": "publishing.networks.zalo.ZaloNetwork", "OPTIONS": {}},
}
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from publishing.conf import setting
from publishing.networks.base import (  # noqa: F401  (re-exported)
    BaseNetwork,
    CannotTell,
    ChannelBroken,
    CheckResult,
    ContentRejected,
    Engagement,
    ImageRef,
    Lookup,
    NetworkError,
    OutcomeUnknown,
    Payload,
    Published,
    ReconnectNeeded,
    RetryLater,
)


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
    if not issubclass(cls, BaseNetwork):
        raise ImproperlyConfigured(f"{cls!r} is not a BaseNetwork.")
    return cls


def adapter_for(channel):
    """The adapter instance for one channel."""
    config = setting("PUBLISHING_NETWORKS")[channel.network]
    return network_class(channel.network)(channel, config.get("OPTIONS", {}))
