"""Zalo Official Account articles through the OA Open API, on `requests`.

No maintained SDK exists (PLATFORMS.md), so this is a small client: one `Session`,
a timeout on every call, the error code read from every body (Zalo answers errors
with HTTP 200). The access token lives 25 hours and is refreshed shortly before it
expires, or once when Zalo rejects it; refresh tokens are single use, so refreshes
are serialised per channel by `Channel.update_credentials_locked`.

Creating an article is asynchronous: `create` gives a token, `verify` turns it into
the article id once Zalo has processed the media. The token is handed to
`remember_token` before polling: it is the key to reconcile after a crash.
"""

import datetime
import logging
import re
import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils import timezone

from . import messages
from .base import (
    BaseNetwork,
    ChannelBroken,
    CheckResult,
    ContentRejected,
    Engagement,
    NetworkError,
    OutcomeUnknown,
    Published,
    ReconnectNeeded,
    RetryLater,
    strings_in,
)

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
REFRESH_MARGIN = datetime.timedelta(minutes=5)
DEFAULT_EXPIRES_IN = 90000  # seconds: 25 hours, what Zalo gives today

TOKEN_CODES = {-216, -220}
RATE_LIMITED = -32
PROCESSING = -214
QUOTA_CODES = {-223, -211}
BROADCAST_HOURS = -234
INVALID_PARAMETER = -201
RETRY_CODES = {RATE_LIMITED, PROCESSING, BROADCAST_HOURS, *QUOTA_CODES}
CHANNEL_CODES = {
    -221: messages.ZALO_NOT_VERIFIED,
    -224: messages.ZALO_PACKAGE,
    -235: messages.ZALO_OA_TYPE,
    -204: messages.ZALO_OA_DISABLED,
    -205: messages.ZALO_OA_MISSING,
}
CONTENT_CODES = {
    -248: messages.ZALO_POLICY,
    INVALID_PARAMETER: messages.ZALO_BAD_PARAMETER,
    -200: messages.ZALO_UPLOAD_FAILED,
}

# What a failed call may have done: a write (create, update, remove) may have
# happened after a 5xx or a timeout; a read can simply be tried again.
WRITE, READ = "write", "read"
MARKER = re.compile(r"pub-\d+")


class ZaloNetwork(BaseNetwork):
    """One Zalo OA, publishing articles with the OA's access token."""

    name = "zalo"
    label = "Zalo"
    max_title_length = 149
    """Zalo says 150, but exactly 150 was seen rejected."""
    max_description_length = 300
    """Characters in an article's description."""
    max_author_length = 50
    """Characters in an article's author line."""
    payload_kinds = ("article",)
    """OA articles only; broadcasting them to followers is later work."""
    max_image_bytes = 1024 * 1024
    """Images in an article are at most 1 MB (unconfirmed figure)."""
    metrics = ("views",)
    """Only `total_view` of an article, when Zalo gives it."""
    read_batch_size = 1
    """`getdetail` reads one article per call."""
    slice_limit = 10
    """Articles per `getslice` page (Zalo's maximum)."""
    reconcile_pages = 5
    """`getslice` pages read at most when looking for an article."""

    def __init__(self, channel, options=None):
        super().__init__(channel, options)
        self.base_url = settings.ZALO_OPENAPI_URL
        self.oauth_url = settings.ZALO_OAUTH_URL
        self.timeout = settings.NETWORK_TIMEOUT
        self.session = requests.Session()
        self.verify_attempts = max(1, int(self.options.get("verify_attempts", 10)))
        self.verify_interval = float(self.options.get("verify_interval", 2))
        self.on_token = self.options.get("on_token")
        self._secrets = set()

    # Content --------------------------------------------------------------------
    def validate(self, payload):
        problems = super().validate(payload)
        if not payload.title.strip():
            problems.append(messages.TITLE_EMPTY)
        for text, limit, message in (
            (payload.title, self.max_title_length, messages.TITLE_TOO_LONG),
            (
                payload.description,
                self.max_description_length,
                messages.DESCRIPTION_TOO_LONG,
            ),
            (payload.author, self.max_author_length, messages.AUTHOR_TOO_LONG),
        ):
            if len(text) > limit:
                problems.append(message % {"length": len(text), "max": limit})
        if payload.cover is None:
            problems.append(messages.COVER_MISSING)
        for url in _image_urls(payload):
            if not _is_encoded_url(url):
                problems.append(messages.IMAGE_URL_NOT_ENCODED % {"url": url})
        return problems

    def publish(self, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        data = self._call(WRITE, "POST", "v2.0/article/create", body=_article(payload))
        token = data.get("token")
        if not token:
            # Zalo said yes without the key to follow it: look for it by title.
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        self.remember_token(token)
        return self._await_article(token)

    def remember_token(self, token):
        """Hand the verify token to the caller at once, before polling: after a
        crash it finds the article (`find_published(token, since)`). Uses the
        `on_token` callable (attribute or OPTIONS), which must commit by itself."""
        if self.on_token is None:
            return
        try:
            self.on_token(token)
        except Exception as error:
            # Polling still gives the id; reconciliation by title remains.
            logger.warning(
                "Zalo: the article token was not stored (%s)", type(error).__name__
            )

    def _await_article(self, token):
        """Poll `verify` a bounded number of times. Once `create` has answered the
        article exists, so only a media failure is a rejection: every other
        problem leaves the outcome unknown, to be reconciled with the token."""
        for attempt in range(self.verify_attempts):
            if attempt:
                time.sleep(self.verify_interval)
            try:
                found = self._verify(token)
            except RetryLater:
                continue
            except (ReconnectNeeded, ChannelBroken, OutcomeUnknown) as error:
                raise _unknown(error.message, token, code=error.code) from None
            if found:
                return self._with_permalink(found)
        raise _unknown(messages.ZALO_PROCESSING, token, code=PROCESSING)

    def _verify(self, token):
        """The article behind a verify token, or None while Zalo processes it."""
        data = self._call(READ, "POST", "v2.0/article/verify", body={"token": token})
        article_id = data.get("id") or data.get("article_id")
        if not article_id:
            return None
        return Published(str(article_id), _permalink(data), timezone.now())

    def _with_permalink(self, published):
        """`verify` gives no address; the article's detail may (unconfirmed)."""
        if published.permalink:
            return published
        try:
            detail = self._call(
                READ,
                "GET",
                "v2.0/article/getdetail",
                params={"id": published.external_id},
            )
        except NetworkError:
            return published  # the article is out: a missing link is no failure
        published.permalink = _permalink(detail)
        return published

    def update(self, external_id, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        body = {**_article(payload), "id": external_id}
        self._call(WRITE, "POST", "v2.0/article/update", body=body)
        return Published(external_id)

    def withdraw(self, external_id):
        self._call(WRITE, "POST", "v2.0/article/remove", body={"id": external_id})

    def find_published(self, marker, since):
        """`marker` is the verify token stored at publish time (tried first), the
        article's title, or `pub-<id>` searched in the bodies of recent articles."""
        found = self._find_by_token(marker)
        if found:
            return found
        floor = since - datetime.timedelta(minutes=5) if since else None
        pattern = re.compile(r"(?<![\w-])" + re.escape(marker) + r"(?![\w-])")
        for page in range(self.reconcile_pages):
            data = self._call(
                READ,
                "GET",
                "v2.0/article/getslice",
                params={
                    "offset": page * self.slice_limit,
                    "limit": self.slice_limit,
                    "type": "normal",
                },
            )
            medias = data.get("medias") or []
            for item in medias:
                created = _parse_time(item.get("create_date"))
                if floor and created and created < floor:
                    return None  # newest first: the rest is older still
                if self._matches(item, marker, pattern, floor):
                    return Published(str(item["id"]), _permalink(item), created)
            if len(medias) < self.slice_limit:
                return None
        return None

    def _find_by_token(self, marker):
        try:
            return self._verify(marker)
        except RetryLater as error:
            if error.code in RETRY_CODES or error.code is None:
                raise  # still processing, or Zalo is not answering: ask again later
            return None
        except ContentRejected:
            return None  # not a token Zalo knows

    def _matches(self, item, marker, pattern, floor):
        if (item.get("title") or "").strip() == marker.strip():
            return True
        if floor is None or not MARKER.fullmatch(marker):
            return False
        # Only articles made since the attempt get here: reading them stays cheap.
        detail = self._call(
            READ, "GET", "v2.0/article/getdetail", params={"id": item["id"]}
        )
        return any(pattern.search(text) for text in strings_in(detail))

    # Reading --------------------------------------------------------------------
    def fetch_engagement(self, external_ids):
        result = {}
        for article_id in external_ids:
            try:
                data = self._call(
                    READ, "GET", "v2.0/article/getdetail", params={"id": article_id}
                )
            except ContentRejected as error:
                if error.code != INVALID_PARAMETER:
                    raise
                # Zalo knows no live article by that id: it was removed.
                result[article_id] = Engagement(removed=True)
                continue
            views = data.get("total_view")
            result[article_id] = Engagement(
                views=views if isinstance(views, int) else None
            )
        return result

    def fetch_followers(self):
        return self._call(READ, "GET", "v2.0/oa/getoa").get("num_follower")

    def check(self):
        try:
            data = self._call(READ, "GET", "v2.0/oa/getoa")
        except ReconnectNeeded as error:
            return CheckResult(ok=False, reconnect=True, reason=error.message)
        except ChannelBroken as error:
            return CheckResult(ok=False, reason=error.message)
        oa_id = data.get("oa_id")
        if oa_id and str(oa_id) != str(self.channel.external_id):
            return CheckResult(
                ok=False,
                reconnect=True,
                name=data.get("name", ""),
                reason=messages.ZALO_OTHER_OA % {"name": data.get("name") or oa_id},
            )
        return CheckResult(
            ok=True, name=data.get("name", ""), followers=data.get("num_follower")
        )

    # Tokens ---------------------------------------------------------------------
    def _access_token(self):
        credentials = self.channel.get_credentials() or {}
        if _expires_soon(credentials):
            credentials = self._refresh(stale=credentials.get("access_token"))
        self._remember_secrets(credentials)
        return credentials.get("access_token", "")

    def _refresh(self, stale):
        """New tokens, saved in the transaction that spends the refresh token. When
        the row already holds another access token that is still fresh, another
        process refreshed first: use it instead of spending a token again."""

        def refresh(current):
            current = current or {}
            self._remember_secrets(current)
            if current.get("access_token") != stale and not _expires_soon(current):
                return None
            return self._exchange(current)

        credentials = self.channel.update_credentials_locked(refresh)
        self._remember_secrets(credentials)
        expires_at = _expires_at(credentials)
        if expires_at and expires_at != self.channel.token_expires_at:
            self.channel.token_expires_at = expires_at
            self.channel.save(update_fields=["token_expires_at"])
        return credentials

    def _exchange(self, current):
        try:
            response = self.session.post(
                self.oauth_url + "v4/oa/access_token",
                headers={"secret_key": settings.ZALO_APP_SECRET},
                data={
                    "app_id": settings.ZALO_APP_ID,
                    "grant_type": "refresh_token",
                    "refresh_token": current.get("refresh_token", ""),
                },
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise messages.transport_error(self.label, error, write=False) from None
        answer = _json(response)
        if response.status_code >= 500 or not isinstance(answer, dict):
            raise RetryLater(
                messages.TEMPORARY % {"network": self.label},
                detail=f"HTTP {response.status_code}",
            )
        if not answer.get("access_token"):
            raise ReconnectNeeded(
                messages.ZALO_TOKEN_INVALID,
                code=_int(answer.get("error")),
                detail=self._scrub(
                    str(answer.get("error_description") or answer.get("message") or "")
                ),
            )
        expires_in = _int(answer.get("expires_in")) or DEFAULT_EXPIRES_IN  # a string
        new = {
            **current,
            "access_token": answer["access_token"],
            "refresh_token": answer.get("refresh_token")
            or current.get("refresh_token"),
            "expires_at": (
                timezone.now() + datetime.timedelta(seconds=expires_in)
            ).isoformat(),
        }
        self._remember_secrets(new)
        return new

    def _remember_secrets(self, credentials):
        for key in ("access_token", "refresh_token"):
            if (credentials or {}).get(key):
                self._secrets.add(credentials[key])

    def _scrub(self, text):
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # Calls and errors -----------------------------------------------------------
    def _call(self, op, method, path, *, params=None, body=None):
        """One Open API call -> its `data`; a rejected token is refreshed once and
        the call made again (Zalo did nothing with the first one)."""
        token = self._access_token()
        answer = self._send(op, method, path, token, params, body)
        if _int(answer.get("error")) in TOKEN_CODES:
            token = self._refresh(stale=token).get("access_token", "")
            answer = self._send(op, method, path, token, params, body)
        code = _int(answer.get("error"))
        if code:
            raise self._error(op, code, answer)
        return answer.get("data") or {}

    def _send(self, op, method, path, token, params, body):
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                headers={"access_token": token},
                params=params,
                json=body,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise messages.transport_error(
                self.label, error, write=op == WRITE
            ) from None
        answer = _json(response)
        if response.status_code >= 500 or not isinstance(answer, dict):
            detail = f"HTTP {response.status_code}"
            if op == WRITE:
                raise OutcomeUnknown(
                    messages.OUTCOME_UNKNOWN % {"network": self.label}, detail=detail
                )
            raise RetryLater(
                messages.TEMPORARY % {"network": self.label}, detail=detail
            )
        if response.status_code >= 400 and not _int(answer.get("error")):
            answer = {**answer, "error": -response.status_code}
        return answer

    def _error(self, op, code, answer):
        # "Still processing" is the normal answer while an article is verified.
        level = logging.DEBUG if code == PROCESSING else logging.WARNING
        logger.log(level, "Zalo error on %s: code %s", op, code)
        kwargs = {"code": code, "detail": self._scrub(str(answer.get("message", "")))}
        minute = datetime.timedelta(minutes=1)
        if code == RATE_LIMITED:
            message = messages.RATE_LIMITED % {"network": self.label, "minutes": 1}
            return RetryLater(message, after=minute, **kwargs)
        if code == PROCESSING:
            return RetryLater(messages.ZALO_PROCESSING, after=minute, **kwargs)
        if code in QUOTA_CODES:
            message = messages.ZALO_QUOTA % {"minutes": 60}
            return RetryLater(message, after=60 * minute, **kwargs)
        if code == BROADCAST_HOURS:
            after = _until_six(timezone.now())
            return RetryLater(messages.ZALO_BROADCAST_HOURS, after=after, **kwargs)
        if code in CHANNEL_CODES:
            return ChannelBroken(CHANNEL_CODES[code], **kwargs)
        if code in CONTENT_CODES:
            return ContentRejected(CONTENT_CODES[code], **kwargs)
        if code in TOKEN_CODES:
            return ReconnectNeeded(messages.ZALO_TOKEN_INVALID, **kwargs)
        if op == READ:
            return RetryLater(messages.TEMPORARY % {"network": self.label}, **kwargs)
        return ContentRejected(messages.ZALO_REFUSED % {"code": code}, **kwargs)


def _article(payload):
    return {
        "type": "normal",
        "title": payload.title,
        "author": payload.author,
        "cover": {
            "cover_type": "photo",
            "photo_url": payload.cover.url if payload.cover else "",
            "status": "show",
        },
        "description": payload.description,
        "body": payload.body,
        "status": "show",
        "comment": "show",
    }


def _unknown(message, token, code=None):
    """OutcomeUnknown for an article that exists; `verify_token` reconciles it."""
    error = OutcomeUnknown(message, code=code)
    error.verify_token = token
    return error


def _image_urls(payload):
    if payload.cover:
        yield payload.cover.url
    for image in payload.images:
        yield image.url
    for block in payload.body:
        if block.get("type") == "image" and block.get("url"):
            yield block["url"]
        if block.get("type") == "video" and block.get("thumb"):
            yield block["thumb"]


def _is_encoded_url(url):
    """Public, absolute and percent-encoded: ASCII only, no whitespace."""
    if not url or not url.isascii() or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _permalink(data):
    for key in ("url", "link", "permalink"):
        if isinstance(data.get(key), str) and data[key].startswith("http"):
            return data[key]
    return ""


def _expires_at(credentials):
    value = (credentials or {}).get("expires_at")
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _expires_soon(credentials):
    """True when the access token expires within the margin; unknown is not soon
    (Zalo's -216 then triggers the refresh)."""
    expires_at = _expires_at(credentials)
    return expires_at is not None and expires_at <= timezone.now() + REFRESH_MARGIN


def _until_six(now):
    """Time until the next 06:00 in Vietnam, when broadcasts are sent again."""
    local = now.astimezone(VIETNAM)
    six = local.replace(hour=6, minute=0, second=0, microsecond=0)
    if six <= local:
        six += datetime.timedelta(days=1)
    return six - local


def _parse_time(value):
    """Zalo's `create_date`: epoch milliseconds (or seconds, or ISO text)."""
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    if isinstance(value, str) and value:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return None


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
