"""The contract every social network adapter keeps.

One module per network, chosen by a dotted path in `PUBLISHING_NETWORKS` (like
Django's CACHES). Adapters translate our payloads into the network's calls and every
failure into one of the typed errors below, decided from parsed fields (HTTP status,
error code and subcode), never from substrings of a body.
"""

import abc
import contextlib
import dataclasses
import datetime
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from publishing.conf import setting


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


class OutsideHours(RetryLater):
    """The network takes this call only at certain hours (Zalo's broadcasts,
    06:00-21:59 Vietnam time): try again at `after`, nothing was sent."""


class QuotaUsedUp(RetryLater):
    """The channel's quota for this call is used up until `after` (Zalo's monthly
    broadcasts): a wait, not a hold; a person is told once."""


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
class VideoRef:
    """A video (or audio) file of the media library, as a network receives it."""

    url: str  # absolute, public, percent-encoded
    name: str = ""  # the file's name: its extension is the format
    size: int | None = None  # bytes
    seconds: float | None = None  # its duration; None: unknown
    media_type: str = "video"  # "video" or "audio" (wagtailmedia's type)
    title: str = ""
    thumbnail: str = ""  # an image URL (the media item's, or the article's cover)
    path: str | None = None  # local file, read chunk by chunk when uploading
    still: str | None = None  # an audio's picture (local file): its video's image

    @property
    def format(self):
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


@dataclasses.dataclass
class Payload:
    """What goes out for one publication on one channel (built by compose.py).

    kind: "link" (message + link), "photo" (one image + message), "photos" (several
    images + message) for Facebook; "article" for Zalo (title, description, cover,
    body blocks); "video" for both (`video`, with the message, or the title and
    description of a Zalo video article). `marker` is `pub-<id>`, also in the
    link's utm_content, which `find_published` looks for.
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
    video: VideoRef | None = None

    def as_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["images"] = [ImageRef(**i) for i in data.get("images", [])]
        if data.get("cover"):
            data["cover"] = ImageRef(**data["cover"])
        if data.get("video"):
            data["video"] = VideoRef(**data["video"])
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
    short_path: str = ""
    """The path of the publication's short link (`/l/<code>`), what the texts
    posted carry instead of the long address."""
    taken: Callable[[list], set] = lambda ids: set()
    """Of these post ids, those already linked to another publication."""
    kind: str = ""
    """The payload's kind sent ("video": look among the channel's videos)."""


@dataclasses.dataclass
class BroadcastTargets:
    """Who a broadcast goes to, as the network's own codes (resolved from the
    targeting table by the caller); nothing chosen: every follower."""

    gender: int | None = None
    ages: list = dataclasses.field(default_factory=list)
    cities: list = dataclasses.field(default_factory=list)


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


# Options and drafts ------------------------------------------------------------------
REQUIRED = object()
"""The default of an option that has none: it must be set."""


@dataclasses.dataclass(frozen=True)
class Option:
    """One key a network reads from its `OPTIONS` in `PUBLISHING_NETWORKS`."""

    types: type | tuple
    """The types its value may have."""
    default: object = REQUIRED
    """The value when the key is absent (`REQUIRED`: the key must be there)."""
    help: str = ""
    """What it is, quoted by the system check when it is missing."""

    @property
    def required(self):
        return self.default is REQUIRED

    def accepts(self, value):
        types = self.types if isinstance(self.types, tuple) else (self.types,)
        # A bool is an int to isinstance: only an option that wants one takes it.
        return isinstance(value, types) and (bool in types or type(value) is not bool)


def configured_options(name):
    """The `OPTIONS` of network `name` in `PUBLISHING_NETWORKS` ({} when none)."""
    return dict((setting("PUBLISHING_NETWORKS").get(name) or {}).get("OPTIONS") or {})


@dataclasses.dataclass
class Draft:
    """What composing prepared for any network, handed to `build_payload`: the
    article, its text and link (the marker inside), and its images as renditions
    sized for the network (so that networks need not know Wagtail's images)."""

    page: object
    """The article (an ArticlePage): title, intro, body."""
    marker: str
    message: str
    """The message template, rendered."""
    link: str
    """The article's address, with the marker in `utm_content`."""
    short_link: str = ""
    """The publication's short link (`/l/<code>`), what the texts show."""
    kind: str | None = None
    """The kind of post asked for, if any."""
    author: Callable[[], str] = lambda: ""
    """Who signs the post: the article's unit (a call: it costs queries)."""
    photos: Callable[[int], list] = lambda limit: []
    """Up to `limit` ImageRefs, the cover first then the body's images; [] when
    the article has no cover."""
    cover: Callable[[], ImageRef | None] = lambda: None
    """The cover as a wide (1200x630) ImageRef, or None."""
    image: Callable[..., ImageRef] | None = None
    """`image(wagtail_image, alt="")`: one image of the body as an ImageRef."""
    public_url: Callable[[str], str] = str
    """An address made absolute and percent-encoded."""
    video: Callable[[], VideoRef | None] = lambda: None
    """The video chosen for a video post (the article's featured video unless
    another was chosen), or None."""


def _ignore(*args, **kwargs):
    """The default hook: nobody listens."""


# The adapter --------------------------------------------------------------------
class BaseNetwork(abc.ABC):
    """One instance per channel. Network calls always have timeouts.

    A network declares what it can do (the capabilities below), the options it
    reads (`declared_options`) and its login flow; `publishing.checks` reports a
    capability or an option that is missing or wrong. Code outside `networks/`
    asks these instead of asking which network a channel is on.

    Hooks, given by the caller (`publishing.networks.adapter_for` wires them to
    the channel's row; their default does nothing, keeping new values in memory):
    - `on_token(credentials)`: the network rotated a token; called inside
      `token_lock`, so the caller stores the new credentials in the same
      transaction. The adapter itself never saves a model.
    - `token_lock()`: a context manager during which no other process rotates
      this channel's tokens; it yields the credentials stored now.
    - `on_receipt(receipt)`: the network acknowledged a post it has not finished
      (Zalo's verify token), before waiting for it: the caller stores it at
      once, the key to reconcile after a crash. It must commit by itself.
    """

    name = ""
    """Key stored on Channel.network ("facebook", "zalo")."""
    label = ""
    """Name shown to people."""
    connect_label = ""
    """The button that starts its login flow ("Connect Facebook")."""
    login = None
    """Its login flow: a subclass of `publishing.networks.login.BaseLogin`."""
    default_template = ""
    """The message when a person writes none: {title}, {intro}, {url}, {hashtags}."""
    post_hosts = ()
    """Hosts a post's address may have ("Already posted manually")."""
    api_url_option = ""
    """The option holding the API's base URL: its host is a post host too (the
    sandbox in development)."""
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
    video_formats = ()
    """Extensions of the video files accepted (a network without "video" among
    its `payload_kinds` takes none)."""
    max_video_bytes = None
    """Largest video file accepted, in bytes."""
    max_video_seconds = None
    """Longest video accepted, in seconds; None: not limited (or not known)."""
    metrics = ()
    """Engagement fields the network can report (names of Engagement fields)."""
    read_batch_size = 50
    """Ids per read call."""
    broadcast = False
    """Whether a published post can be sent to the channel's followers: a network
    that can defines the method `broadcast(article_id, targets) -> message id`
    (`BroadcastTargets`; Zalo's OA broadcast), so the class attribute is truthy."""
    declared_options = {
        "timeout": Option(
            (int, float), 20.0, "seconds before a call to the network gives up"
        ),
    }
    """{key: Option} this network reads from its `OPTIONS`."""
    required_capabilities = (
        "name",
        "label",
        "connect_label",
        "login",
        "default_template",
        "payload_kinds",
        "post_hosts",
    )
    """Capabilities every network must declare (non-empty)."""

    def __init__(
        self, channel, options=None, *, on_token=None, on_receipt=None, token_lock=None
    ):
        """`options` override the configured `OPTIONS` (tests, one-off tools)."""
        self.channel = channel
        self.options = self.resolve_options(
            {**configured_options(self.name), **(options or {})}
        )
        self.credentials = (channel.get_credentials() or {}) if channel else {}
        self.on_token = on_token or _ignore
        self.on_receipt = on_receipt or _ignore
        self.token_lock = token_lock or (
            lambda: contextlib.nullcontext(self.credentials)
        )

    # Declarations ---------------------------------------------------------------
    @classmethod
    def option_problems(cls, options):
        """[(check id, sentence)] of what is wrong with `options`."""
        declared, problems = cls.declared_options, []
        for key in sorted(set(options) - set(declared)):
            known = ", ".join(sorted(declared))
            problems.append(
                ("publishing.E011", f"unknown option {key!r} (known: {known})")
            )
        for key, option in declared.items():
            if key not in options:
                if option.required:
                    problems.append(
                        ("publishing.E010", f"option {key!r} is missing: {option.help}")
                    )
            elif not option.accepts(options[key]):
                types = (
                    option.types if isinstance(option.types, tuple) else (option.types,)
                )
                wanted = " or ".join(t.__name__ for t in types)
                given = type(options[key]).__name__
                problems.append(
                    ("publishing.E012", f"option {key!r} must be {wanted}, not {given}")
                )
        return problems

    @classmethod
    def resolve_options(cls, options):
        """Every declared option: `options`' value or the default;
        ImproperlyConfigured when one is missing, unknown or of a wrong type."""
        problems = cls.option_problems(options)
        if problems:
            raise ImproperlyConfigured(
                f"PUBLISHING_NETWORKS[{cls.name!r}]['OPTIONS']: "
                + "; ".join(text for _id, text in problems)
            )
        return {
            key: options.get(key, option.default)
            for key, option in cls.declared_options.items()
        }

    @classmethod
    def capability_problems(cls):
        """Sentences naming what the class fails to declare or implement."""
        problems = [
            f"{cls.__name__} declares no {attribute!r}"
            for attribute in cls.required_capabilities
            if not getattr(cls, attribute, None)
        ]
        missing = sorted(getattr(cls, "__abstractmethods__", ()))
        if missing:
            problems.append(f"{cls.__name__} does not implement {', '.join(missing)}")
        return problems

    @classmethod
    def accepted_post_hosts(cls, options):
        """`post_hosts`, and the host of the configured API (the sandbox)."""
        api = urlsplit(str(options.get(cls.api_url_option) or ""))
        return tuple(cls.post_hosts) + ((api.hostname,) if api.hostname else ())

    # Content --------------------------------------------------------------------
    def build_payload(self, draft):
        """The Payload for a `Draft`: a link post, photos when asked for and the
        article has a cover, or a video. Networks posting something else override
        it."""
        kind, images = draft.kind or "link", []
        if kind in ("photo", "photos"):
            images = draft.photos(1 if kind == "photo" else self.max_photos)
            if not images:
                kind = draft.kind
            elif len(images) == 1:
                kind = "photo"
        return Payload(
            kind=kind,
            marker=draft.marker,
            message=draft.message,
            link=draft.link,
            images=images,
            video=draft.video() if kind == "video" else None,
        )

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

    @abc.abstractmethod
    def publish(self, payload):
        """Post it; return Published(external_id, permalink). Raises typed errors."""
        raise NotImplementedError

    @abc.abstractmethod
    def find_published(self, marker, since):
        """The post carrying `marker` made after `since`, or None (reconciliation)."""
        raise NotImplementedError

    def reconcile(self, lookup):
        """The post of an unknown outcome (a `Lookup`), or None when the network
        shows it was not made; `CannotTell` when it cannot say. Networks whose
        posts always carry the marker need only `find_published`."""
        return self.find_published(lookup.marker, lookup.since)

    @abc.abstractmethod
    def update(self, external_id, payload):
        """Correct a post already out (edit its text / update the article)."""
        raise NotImplementedError

    @abc.abstractmethod
    def withdraw(self, external_id):
        """Remove a post already out."""
        raise NotImplementedError

    # Reading --------------------------------------------------------------------
    @abc.abstractmethod
    def fetch_engagement(self, external_ids):
        """{external_id: Engagement}, in ceil(n / read_batch_size) read calls."""
        raise NotImplementedError

    @abc.abstractmethod
    def fetch_followers(self):
        raise NotImplementedError

    @abc.abstractmethod
    def check(self):
        """Is the channel usable now? Never raises for token problems: says so."""
        raise NotImplementedError


def marker_pattern(marker, short_path=""):
    """Finds a post of ours by either marker: `pub-<id>` as a whole word (in the
    link's utm_content), or the short link's path `/l/<code>` (in its text)."""
    words = [r"(?<![\w-])" + re.escape(marker) + r"(?![\w-])"]
    if short_path:
        words.append(re.escape(short_path) + r"(?![\w-])")
    return re.compile("|".join(words))


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
