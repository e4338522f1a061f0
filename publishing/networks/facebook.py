"""Facebook Pages through the Graph API, on facebook-sdk 3.1.0.

The library is only the HTTP client: `_Graph` pins the base URL and the API version
per instance (the library's constructor rejects today's versions and reads a module
constant for the URL) and keeps the last response so that errors can be classified
by HTTP status and rate limits read from the usage header. The Page token travels in
the `Authorization` header, never in a URL, so it cannot end up in an exception
text or a log line.
"""

import datetime
import json
import logging
import re
from urllib.parse import parse_qs, urlparse

import facebook
import requests
from django.conf import settings
from django.utils import timezone

from . import messages
from .base import (
    BaseNetwork,
    CheckResult,
    ContentRejected,
    Engagement,
    NetworkError,
    OutcomeUnknown,
    Published,
    ReconnectNeeded,
    RetryLater,
    chunks,
    strings_in,
)
from .facebook_login import SCOPES

logger = logging.getLogger(__name__)

POST_INSIGHTS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
}
"""Post insights we read -> Engagement field. The one place metric names live: a
retired metric fails the whole insights request, and so the whole `?ids=` read that
expands `insights.metric(...)` (PLATFORMS.md)."""

COUNT_FIELDS = (
    "shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(true)"
)
FEED_FIELDS = "id,message,permalink_url,created_time,attachments{unshimmed_url,url}"

RATE_LIMIT_CODES = {4, 17, 32, 341, 613, 80001}
TOKEN_CODES = {102, 190}
TEMPORARY_CODES = {1, 2}
CONTENT_CODES = {100, 1609005}
MISSING_OBJECT = (100, 33)  # "Object with ID ... does not exist"
ALIASES_MISSING = 803  # "Some of the aliases you requested do not exist"

# What a failed call may have done: a write may exist after a 5xx or a timeout; an
# upload of an unpublished photo is invisible, so it is safe to retry like a read.
WRITE, UPLOAD, READ = "write", "upload", "read"


class _Graph(facebook.GraphAPI):
    """facebook-sdk's client with its own base URL and the last response kept."""

    def __init__(self, *, base_url, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url
        self.last_response = None

    def request(self, path, args=None, post_args=None, files=None, method=None):
        """`GraphAPI.request` with `self.base_url`, the token as a header and the
        response kept; answers are parsed exactly as the library does."""
        args = dict(args or {})
        if post_args is not None:
            method = "POST"
        headers = {}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        self.last_response = None
        response = self.session.request(
            method or "GET",
            self.base_url + path,
            timeout=self.timeout,
            params=args,
            data=post_args,
            headers=headers,
            proxies=self.proxies,
            files=files,
        )
        self.last_response = response
        content_type = response.headers.get("content-type", "")
        if "json" in content_type:
            result = response.json()
        elif "image/" in content_type:
            result = {
                "data": response.content,
                "mime-type": content_type,
                "url": response.url,
            }
        elif "access_token" in parse_qs(response.text):
            query = parse_qs(response.text)
            result = {"access_token": query["access_token"][0]}
            if "expires" in query:
                result["expires"] = query["expires"][0]
        else:
            raise facebook.GraphAPIError("Maintype was not text, image, or querystring")
        if result and isinstance(result, dict) and result.get("error"):
            raise facebook.GraphAPIError(result)
        return result


class FacebookNetwork(BaseNetwork):
    """One Facebook Page, posting with its Page token."""

    name = "facebook"
    label = "Facebook"
    max_message_length = 63206
    """Graph's limit for the text of a Page post."""
    payload_kinds = ("link", "photo", "photos")
    """A link post, one photo with a caption, or several photos in one post."""
    max_photos = 10
    """Photos we attach to one post (Graph allows more; more is rarely read)."""
    max_image_bytes = 10 * 1024 * 1024
    """Photos under 10 MB (unconfirmed figure, PLATFORMS.md)."""
    metrics = ("reactions", "comments", "shares", "views", "reach", "clicks")
    """Counts from the post itself, the rest from post insights."""
    read_batch_size = 50
    """Graph's maximum of ids in one `?ids=` read."""
    reconcile_pages = 5
    """Feed pages (of 100 posts) read at most when looking for a post."""

    def __init__(self, channel, options=None):
        super().__init__(channel, options)
        self.page_id = channel.external_id
        self.version = settings.FACEBOOK_API_VERSION
        self._token = (channel.get_credentials() or {}).get("page_token", "")
        self.graph = _Graph(
            base_url=settings.FACEBOOK_GRAPH_URL,
            access_token=self._token,
            timeout=settings.NETWORK_TIMEOUT,
            session=requests.Session(),
        )
        self.graph.version = self.version
        self._rejected_metrics = set()
        self._insights_denied = False

    # Content --------------------------------------------------------------------
    def validate(self, payload):
        problems = super().validate(payload)
        if payload.kind == "link" and not payload.link:
            problems.append(messages.LINK_MISSING)
        count = len(payload.images)
        if payload.kind == "photo" and count != 1:
            problems.append(messages.PHOTO_ONE % {"count": count})
        if payload.kind == "photos" and count < 2:
            problems.append(messages.PHOTOS_FEW % {"count": count})
        return problems

    def publish(self, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        if payload.kind == "link":
            answer = self._call(
                WRITE,
                f"{self.page_id}/feed",
                post={
                    "message": payload.message,
                    "link": payload.link,
                    "fields": "permalink_url",
                },
            )
            return self._published(answer["id"], answer.get("permalink_url"))
        if payload.kind == "photo":
            answer = self._upload_photo(payload.images[0], payload.message, WRITE)
            post_id = answer.get("post_id") or answer["id"]
            return self._published(post_id, answer.get("permalink_url"))
        media = [
            self._upload_photo(image, "", UPLOAD, published=False)["id"]
            for image in payload.images
        ]
        post = {"message": payload.message, "fields": "permalink_url"}
        for index, media_id in enumerate(media):
            post[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
        answer = self._call(WRITE, f"{self.page_id}/feed", post=post)
        return self._published(answer["id"], answer.get("permalink_url"))

    def _upload_photo(self, image, caption, op, published=True):
        post = {"caption": caption} if caption else {}
        if not published:
            post["published"] = "false"
        if image.path:
            with open(image.path, "rb") as source:
                return self._call(
                    op, f"{self.page_id}/photos", post=post, files={"source": source}
                )
        return self._call(op, f"{self.page_id}/photos", post={**post, "url": image.url})

    def _published(self, post_id, permalink):
        if not permalink:
            # The post exists: a failed permalink read must not turn it into an error.
            try:
                permalink = self._call(
                    READ, post_id, args={"fields": "permalink_url"}
                ).get("permalink_url", "")
            except NetworkError:
                permalink = ""
        return Published(post_id, permalink or "", timezone.now())

    def update(self, external_id, payload):
        self._call(WRITE, external_id, post={"message": payload.message})
        return Published(external_id)

    def withdraw(self, external_id):
        try:
            self._call(WRITE, external_id, method="DELETE")
        except ContentRejected as error:
            if (error.code, error.subcode) != MISSING_OBJECT:
                raise
            # Already gone: withdrawing is done.

    def find_published(self, marker, since):
        pattern = re.compile(r"(?<![\w-])" + re.escape(marker) + r"(?![\w-])")
        # A little slack for the clocks: the marker decides, not the time.
        args = {"fields": FEED_FIELDS, "limit": 100}
        if since:
            args["since"] = int((since - datetime.timedelta(minutes=5)).timestamp())
        for _page in range(self.reconcile_pages):
            answer = self._call(READ, f"{self.page_id}/feed", args=args)
            for post in answer.get("data", []):
                if any(pattern.search(text) for text in strings_in(post)):
                    return Published(
                        post["id"],
                        post.get("permalink_url", ""),
                        _parse_time(post.get("created_time")),
                    )
            after = _next_cursor(answer)
            if not after or not answer.get("data"):
                return None
            args = {**args, "after": after}
        return None

    # Reading --------------------------------------------------------------------
    def fetch_engagement(self, external_ids):
        """Counts and insights of every post in ceil(N/50) `?ids=` reads: the
        insights come by field expansion (`insights.metric(...)`) in the same read.
        More calls only when Graph fails a read (see `_read_chunk`)."""
        items = {}
        for chunk in chunks(external_ids, self.read_batch_size):
            items.update(self._read_chunk(chunk))
        result = {}
        for post_id in external_ids:
            item = items.get(post_id)
            if item is None:
                result[post_id] = Engagement(removed=True)
                continue
            result[post_id] = Engagement(
                reactions=_total(item.get("reactions")),
                comments=_total(item.get("comments")),
                shares=(item.get("shares") or {}).get("count", 0),
                **_insight_values(item),
            )
        return result

    def _metrics(self):
        """The insights metrics still asked for: none once insights were refused
        (permission), never one Graph rejected."""
        if self._insights_denied:
            return []
        return [m for m in POST_INSIGHTS if m not in self._rejected_metrics]

    def _read_chunk(self, ids):
        """{id: fields} for `ids` with counts and insights, in one call. When it
        fails:
        - a post is gone (100/33, 803): halve the list, insights kept;
        - a permission error (10/200): insights are not readable; read the counts
          alone and ask no more insights (their fields stay unknown);
        - another code 100: a retired metric, or a gone post reported otherwise.
          Read the counts alone first (gone posts are found there, by halving),
          then find the rejected metric(s) on one post (`_probe`) and read the
          accepted ones for the chunk in one more call."""
        metrics = self._metrics()
        if not metrics:
            return self._read_counts(ids)
        fields = f"{COUNT_FIELDS},{_insights_field(metrics)}"
        try:
            return self._read_ids(ids, fields)
        except ReconnectNeeded as error:
            if not _permission(error):
                raise
            counts = self._read_counts(ids)  # raises when counts are refused too
            # Insights need `read_insights`; check() reports it, counts still count.
            logger.warning("Facebook insights not readable (code %s)", error.code)
            self._insights_denied = True
            return counts
        except (ContentRejected, RetryLater) as error:
            if _missing(error):
                if len(ids) == 1:
                    return {}
                middle = len(ids) // 2
                return {
                    **self._read_chunk(ids[:middle]),
                    **self._read_chunk(ids[middle:]),
                }
            if not isinstance(error, ContentRejected) or error.code != 100:
                raise
        counts = self._read_counts(ids)
        if not counts:
            return counts
        if len(metrics) == 1:
            # The counts read without it: the one metric left is the one rejected.
            self._reject([metrics[0]])
        elif not self._probe(next(iter(counts)), metrics):
            return counts
        accepted = self._metrics()
        if accepted:
            self._add_insights(counts, accepted)
        return counts

    def _probe(self, post_id, metrics):
        """Ask each metric alone on one post; the ones Graph rejects (code 100) are
        dropped for the rest of this adapter's life. False when nothing can be
        learnt (the post went away, or insights are refused)."""
        rejected = []
        for metric in metrics:
            try:
                self._call(READ, post_id, args={"fields": _insights_field([metric])})
            except ContentRejected as error:
                if _missing(error):
                    return False
                rejected.append(metric)
            except ReconnectNeeded as error:
                if not _permission(error):
                    raise
                logger.warning("Facebook insights not readable (code %s)", error.code)
                self._insights_denied = True
                return False
        self._reject(rejected)
        return True

    def _reject(self, metrics):
        for metric in metrics:
            logger.warning("Facebook rejected the insights metric %s", metric)
        self._rejected_metrics.update(metrics)

    def _add_insights(self, items, metrics):
        """Put the insights of `metrics` into `items` ({id: fields}) in one call;
        left out (unknown) when Graph still refuses them."""
        try:
            answer = self._read_ids(list(items), _insights_field(metrics))
        except (ContentRejected, ReconnectNeeded) as error:
            if isinstance(error, ReconnectNeeded) and not _permission(error):
                raise
            return
        for post_id, item in items.items():
            insights = (answer.get(post_id) or {}).get("insights")
            if insights is not None:
                item["insights"] = insights

    def _read_counts(self, ids):
        """{id: fields} for `ids` without insights, in one call. Graph fails the
        whole read when one post is gone: halve the list until the missing ones
        are found."""
        try:
            return self._read_ids(ids, COUNT_FIELDS)
        except (ContentRejected, RetryLater) as error:
            if not _missing(error):
                raise
            if len(ids) == 1:
                return {}
            middle = len(ids) // 2
            return {
                **self._read_counts(ids[:middle]),
                **self._read_counts(ids[middle:]),
            }

    def _read_ids(self, ids, fields):
        answer = self._call(READ, "", args={"ids": ",".join(ids), "fields": fields})
        return {key: value for key, value in answer.items() if isinstance(value, dict)}

    def fetch_followers(self):
        answer = self._call(
            READ, self.page_id, args={"fields": "followers_count,fan_count"}
        )
        return _followers(answer)

    def check(self):
        try:
            me = self._call(READ, "me", args={"fields": "id,name"})
            if str(me.get("id")) != str(self.page_id):
                return CheckResult(
                    ok=False, reconnect=True, reason=self._wrong_token_reason(me)
                )
            page = self._call(
                READ, self.page_id, args={"fields": "name,followers_count,fan_count"}
            )
        except ReconnectNeeded as error:
            return CheckResult(ok=False, reconnect=True, reason=error.message)
        except ContentRejected:
            return CheckResult(
                ok=False,
                reconnect=True,
                reason=messages.FB_PAGE_NOT_FOUND % {"page": self.page_id},
            )
        return CheckResult(
            ok=True,
            name=page.get("name", me.get("name", "")),
            followers=_followers(page),
        )

    def _wrong_token_reason(self, me):
        """A person's token lists the Pages they manage; a Page's token has no such
        edge (code 100). `debug_token` would say it too, but it wants the token in
        the URL, where logs keep it."""
        try:
            self._call(READ, "me/accounts", args={"fields": "id", "limit": 1})
        except ContentRejected:
            return messages.FB_OTHER_PAGE % {"name": me.get("name") or me.get("id")}
        except NetworkError:
            pass
        return messages.FB_USER_TOKEN

    # Calls and errors -----------------------------------------------------------
    def _call(self, op, path, *, args=None, post=None, method=None, files=None):
        """One Graph call on a versioned path; every failure becomes a typed error.
        `from None`: the original exceptions may carry the URL or a raw body."""
        try:
            return self.graph.request(
                f"{self.version}/{path}",
                args=args,
                post_args=post,
                files=files,
                method=method,
            )
        except facebook.GraphAPIError as error:
            raise self._graph_error(error, op, self.graph.last_response) from None
        except requests.RequestException as error:
            raise messages.transport_error(
                self.label, error, write=op == WRITE
            ) from None

    def _graph_error(self, error, op, response):
        status = response.status_code if response is not None else None
        info = error.result.get("error") if isinstance(error.result, dict) else None
        if not isinstance(info, dict):
            # Not JSON (an HTML 5xx page): nothing says what happened.
            if op == WRITE:
                return OutcomeUnknown(
                    messages.OUTCOME_UNKNOWN % {"network": self.label},
                    detail=f"HTTP {status}",
                )
            return RetryLater(
                messages.TEMPORARY % {"network": self.label}, detail=f"HTTP {status}"
            )
        code, subcode = _int(info.get("code")), _int(info.get("error_subcode"))
        logger.warning(
            "Facebook error on %s: HTTP %s code %s subcode %s fbtrace_id %s",
            op,
            status,
            code,
            subcode,
            info.get("fbtrace_id"),
        )
        kind, message, extra = self._classify(op, response, code, info)
        detail = self._scrub(str(info.get("message", "")))
        return kind(message, code=code, subcode=subcode, detail=detail, **extra)

    def _classify(self, op, response, code, info):
        """(error class, message, extra kwargs) from parsed fields only."""
        net = {"network": self.label}
        server_failed = response is not None and response.status_code >= 500
        if code in RATE_LIMIT_CODES:
            after = _regain_after(response)
            minutes = int(after.total_seconds() // 60)
            return (
                RetryLater,
                messages.RATE_LIMITED % {**net, "minutes": minutes},
                {"after": after},
            )
        if code in TOKEN_CODES:
            return ReconnectNeeded, messages.FB_TOKEN_INVALID, {}
        if code == 10 or (code is not None and 200 <= code <= 299):
            # The class is decided by the code. Which permission is missing Graph
            # says only in its prose, so we pick out the names we ask for (a known
            # list, matched as whole words) to tell the person which one to grant.
            permission = _named_permission(str(info.get("message", "")))
            if permission:
                text = messages.FB_PERMISSION_NAMED % {"permission": permission}
                return ReconnectNeeded, text, {"permission": permission}
            return ReconnectNeeded, messages.FB_PERMISSION, {}
        if code == 368:
            return ContentRejected, messages.FB_POLICY, {}
        if code == 506:
            return OutcomeUnknown, messages.FB_DUPLICATE, {}
        if code in TEMPORARY_CODES or info.get("is_transient"):
            if op == WRITE and server_failed:
                return OutcomeUnknown, messages.OUTCOME_UNKNOWN % net, {}
            return RetryLater, messages.TEMPORARY % net, {}
        if code in CONTENT_CODES:
            return ContentRejected, messages.FB_BAD_PARAMETER, {}
        if server_failed:
            if op == WRITE:
                return OutcomeUnknown, messages.OUTCOME_UNKNOWN % net, {}
            return RetryLater, messages.TEMPORARY % net, {}
        if op == READ:
            return RetryLater, messages.TEMPORARY % net, {}
        return ContentRejected, messages.FB_REFUSED % {"code": code}, {}

    def _scrub(self, text):
        return text.replace(self._token, "***") if self._token else text


def _regain_after(response):
    """When Graph says access comes back (`X-Business-Use-Case-Usage`,
    minutes), or 5 minutes when it does not say."""
    if response is None:  # a 4xx Response is falsy: test for None
        return datetime.timedelta(minutes=5)
    raw = response.headers.get("X-Business-Use-Case-Usage")
    minutes = []
    try:
        usage = json.loads(raw) if raw else {}
        for entries in usage.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                value = entry.get("estimated_time_to_regain_access")
                if isinstance(value, int | float):
                    minutes.append(value)
    except (ValueError, AttributeError):
        minutes = []
    if not minutes or max(minutes) <= 0:
        return datetime.timedelta(minutes=5)
    return datetime.timedelta(minutes=max(minutes))


def _next_cursor(answer):
    paging = answer.get("paging") or {}
    after = (paging.get("cursors") or {}).get("after")
    if after or not paging.get("next"):
        return after
    return (parse_qs(urlparse(paging["next"]).query).get("after") or [None])[0]


def _missing(error):
    """Graph's "does not exist" answers: the read failed because a post is gone."""
    missing = (error.code, error.subcode) == MISSING_OBJECT
    return missing or error.code == ALIASES_MISSING


def _named_permission(text):
    for scope in SCOPES:
        if re.search(rf"\b{re.escape(scope)}\b", text):
            return scope
    return None


def _permission(error):
    """A permission refused (10, 200-299), not a bad token."""
    return error.code == 10 or (error.code is not None and 200 <= error.code <= 299)


def _insights_field(metrics):
    return f"insights.metric({','.join(metrics)})"


def _insight_values(item):
    """{Engagement field: value or None} from the expanded `insights` field; None
    for a metric not read (rejected, refused or not answered)."""
    values = dict.fromkeys(POST_INSIGHTS.values())
    for entry in (item.get("insights") or {}).get("data") or []:
        field = POST_INSIGHTS.get(entry.get("name"))
        value = ((entry.get("values") or [{}])[-1] or {}).get("value")
        if field and isinstance(value, int) and not isinstance(value, bool):
            values[field] = value
    return values


def _total(edge):
    return ((edge or {}).get("summary") or {}).get("total_count")


def _followers(page):
    value = page.get("followers_count")
    return value if value is not None else page.get("fan_count")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _parse_time(value):
    """Graph's `2025-07-01T08:00:00+0000`."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
