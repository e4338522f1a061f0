"""The contract every social network adapter keeps.

One module per network, chosen by a dotted path in `PUBLISHING_NETWORKS` (like
Django's CACHES). Adapters translate our payloads into the network's calls and every
failure into one of the typed errors below, decided from parsed fields (HTTP status,
error code and subcode), never from substrings of a body.
"""

import dataclasses
import datetime
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_lazy as _


# Typed errors ----------------------------------------------------------------
class NetworkError(Exception):
    """Base of the typed errors. `message` is shown to people (Vietnamese via gettext);
    `code`/`subcode` are the network's own, kept for the attempt history."""

    def __init__(self, message, *, code=None, subcode=None, detail=""):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.subcode = subcode
        self.detail = detail  # the network's own words, never a token


class RetryLater(NetworkError):
    """Temporary or rate limited: try again after `after` (a timedelta)."""

    def __init__(self, message, *, after=datetime.timedelta(minutes=1), **kwargs):
        super().__init__(message, **kwargs)
        self.after = after


class ReconnectNeeded(NetworkError):
    """Token expired or revoked, permission missing, wrong kind of token: a person
    must reconnect the channel. `permission` names a missing permission if known."""

    def __init__(self, message, *, permission=None, **kwargs):
        super().__init__(message, **kwargs)
        self.permission = permission


class ContentRejected(NetworkError):
    """The network refused this content (bad parameter, policy): no retry."""


class ChannelBroken(NetworkError):
    """The channel itself cannot post (OA disabled, not verified, wrong page id)."""


class OutcomeUnknown(NetworkError):
    """The request may have created the post (5xx, timeout after sending, 506):
    reconcile with `find_published` before any new attempt."""


class CannotTell(OutcomeUnknown):
    """Reconciliation looked, and the network cannot say whether the post was made
    (several candidates, fields missing): a person decides, nothing is sent again."""


# Values -----------------------------------------------------------------------
@dataclasses.dataclass
class ImageRef:
    url: str  # absolute, public, percent-encoded
    alt: str = ""
    width: int | None = None
    height: int | None = None
    size: int | None = None  # bytes
    path: str | None = None  # local file, for multipart uploads


@dataclasses.dataclass
class Payload:
    """What goes out for one publication on one channel (built by compose.py).

    kind: "link" (message + link), "photo" (one image + message), "photos" (several
    images + message) for Facebook; "article" for Zalo (title, description, cover,
    body blocks). `marker` is `pub-<id>`, also in the link's utm_content, which
    `find_published` looks for.
    """

    kind: str
    marker: str
    message: str = ""
    link: str = ""
    title: str = ""
    description: str = ""
    author: str = ""
    images: list = dataclasses.field(default_factory=list)  # [ImageRef]
    cover: ImageRef | None = None
    body: list = dataclasses.field(default_factory=list)  # Zalo body blocks (dicts)

    def as_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["images"] = [ImageRef(**i) for i in data.get("images", [])]
        if data.get("cover"):
            data["cover"] = ImageRef(**data["cover"])
        return cls(**data)


@dataclasses.dataclass
class Published:
    external_id: str
    permalink: str = ""
    published_at: datetime.datetime | None = None


@dataclasses.dataclass
class Lookup:
    """What reconciliation knows of a publication whose outcome is unknown."""

    marker: str
    """`pub-<id>`, in every link posted."""
    since: datetime.datetime | None
    """When the first attempt that may have posted began."""
    title: str = ""
    """The title sent (Zalo articles); empty when nothing was sent."""
    token: str = ""
    """Zalo's verify token, when it was stored."""
    taken: Callable[[list], set] = lambda ids: set()
    """Of these post ids, those already linked to another publication."""


@dataclasses.dataclass
class Engagement:
    """Counts for one post; None means the network does not say (unknown), not 0."""

    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    reach: int | None = None
    clicks: int | None = None
    removed: bool = False


@dataclasses.dataclass
class CheckResult:
    ok: bool
    reason: str = ""  # shown to people when not ok
    name: str = ""  # the Page's or OA's name as the network knows it
    followers: int | None = None
    reconnect: bool = False  # the fix is to reconnect (token/permission)


# The adapter --------------------------------------------------------------------
class BaseNetwork:
    """One instance per channel. Network calls always have timeouts."""

    name = ""
    """Key stored on Channel.network ("facebook", "zalo")."""
    label = ""
    """Name shown to people."""
    max_message_length = None
    """Characters allowed in a post's text, or None."""
    max_title_length = None
    """Characters allowed in a title (Zalo articles), or None."""
    max_description_length = None
    """Characters allowed in a description (Zalo articles), or None."""
    payload_kinds = ()
    """Payload kinds this network publishes."""
    max_photos = 0
    """Images in one post (0: none)."""
    max_image_bytes = None
    """Largest image file accepted, in bytes."""
    metrics = ()
    """Engagement fields the network can report (names of Engagement fields)."""
    read_batch_size = 50
    """Ids per read call."""

    def __init__(self, channel, options=None):
        self.channel = channel
        self.options = options or {}

    # Content --------------------------------------------------------------------
    def validate(self, payload):
        """Problems with `payload` for this network, as sentences for people."""
        problems = []
        if payload.kind not in self.payload_kinds:
            problems.append(
                _("%(network)s cannot publish this kind of post (%(kind)s).")
                % {"network": self.label, "kind": payload.kind}
            )
        if self.max_message_length and len(payload.message) > self.max_message_length:
            problems.append(
                _("The message is %(length)s characters long, at most %(max)s.")
                % {"length": len(payload.message), "max": self.max_message_length}
            )
        if self.max_photos and len(payload.images) > self.max_photos:
            problems.append(
                _("%(count)s images, at most %(max)s.")
                % {"count": len(payload.images), "max": self.max_photos}
            )
        limit = self.max_image_bytes
        for image in [payload.cover, *payload.images]:
            if limit and image and image.size and image.size > limit:
                problems.append(
                    _("An image is %(size)s KB, at most %(max)s KB.")
                    % {"size": image.size // 1024, "max": limit // 1024}
                )
        return problems

    def publish(self, payload):
        """Post it; return Published(external_id, permalink). Raises typed errors."""
        raise NotImplementedError

    def find_published(self, marker, since):
        """The post carrying `marker` made after `since`, or None (reconciliation)."""
        raise NotImplementedError

    def reconcile(self, lookup):
        """The post of an unknown outcome (a `Lookup`), or None when the network
        shows it was not made; `CannotTell` when it cannot say. Networks whose
        posts always carry the marker need only `find_published`."""
        return self.find_published(lookup.marker, lookup.since)

    def update(self, external_id, payload):
        """Correct a post already out (edit its text / update the article)."""
        raise NotImplementedError

    def withdraw(self, external_id):
        """Remove a post already out."""
        raise NotImplementedError

    # Reading --------------------------------------------------------------------
    def fetch_engagement(self, external_ids):
        """{external_id: Engagement}, in ceil(n / read_batch_size) read calls."""
        raise NotImplementedError

    def fetch_followers(self):
        raise NotImplementedError

    def check(self):
        """Is the channel usable now? Never raises for token problems: says so."""
        raise NotImplementedError


def strings_in(value):
    """Every string inside a decoded JSON value (to look for a marker in a post)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class HttpSession(requests.Session):
    """requests' Session that reads the environment (proxies, `NO_PROXY`, the CA
    bundle) once per host, not on every call: requests walks the whole environment
    twice per request, ~0.4 ms of CPU per call with a large one (bench/README.md).
    The answer is requests' own `merge_environment_settings`, memoised for the
    session's life (one adapter's, at most a dispatch batch)."""

    def __init__(self):
        super().__init__()
        self._environment = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        parts = urlsplit(url)
        key = (
            parts.scheme,
            parts.netloc,
            tuple(sorted((proxies or {}).items())),
            stream,
            verify,
            cert if not isinstance(cert, list) else tuple(cert),
        )
        if key not in self._environment:
            self._environment[key] = super().merge_environment_settings(
                url, proxies, stream, verify, cert
            )
        merged = self._environment[key]
        return {**merged, "proxies": dict(merged["proxies"])}
