"""Graph API calls and their errors, for `FacebookNetwork`.

`_Graph` is facebook-sdk's client made to pin the base URL and the API version per
instance (the library's constructor rejects today's versions and reads a module
constant for the URL) and to keep the last response, so that errors can be
classified by HTTP status and rate limits read from the usage header. The Page token
travels in the `Authorization` header, never in a URL, so it cannot end up in an
exception text or a log line.

`GraphCalls` makes one call and turns every failure into a typed error, decided
from parsed fields (code, subcode, status), with the token scrubbed from the detail.
"""

import datetime
import json
import logging
import re
from urllib.parse import parse_qs

import facebook
import requests

from publishing.networks import messages
from publishing.networks.base import (
    ContentRejected,
    OutcomeUnknown,
    ReconnectNeeded,
    RetryLater,
)
from publishing.networks.facebook.login import SCOPES

logger = logging.getLogger("publishing.networks.facebook")

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
        result = _parse(response)
        if result and isinstance(result, dict) and result.get("error"):
            raise facebook.GraphAPIError(result)
        return result


def _parse(response):
    """A Graph answer as facebook-sdk parses it: JSON, an image or a query string."""
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        return response.json()
    if "image/" in content_type:
        return {
            "data": response.content,
            "mime-type": content_type,
            "url": response.url,
        }
    if "access_token" in parse_qs(response.text):
        query = parse_qs(response.text)
        result = {"access_token": query["access_token"][0]}
        if "expires" in query:
            result["expires"] = query["expires"][0]
        return result
    raise facebook.GraphAPIError("Maintype was not text, image, or querystring")


class GraphCalls:
    """Calls and errors of `FacebookNetwork`: uses its `graph` (a `_Graph`),
    `version`, `label` and `_token`."""

    def _call(
        self, op, path, *, args=None, post=None, method=None, files=None, graph=None
    ):
        """One Graph call on a versioned path; every failure becomes a typed error.
        `graph`: another host's client (the video host). `from None`: the original
        exceptions may carry the URL or a raw body."""
        graph = graph or self.graph
        try:
            return graph.request(
                f"{self.version}/{path}",
                args=args,
                post_args=post,
                files=files,
                method=method,
            )
        except facebook.GraphAPIError as error:
            raise self._graph_error(error, op, graph.last_response) from None
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
        if _permission_code(code):
            return _permission_error(info)
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


def _permission_error(info):
    """The class is decided by the code. Which permission is missing Graph says
    only in its prose, so we pick out the names we ask for (a known list, matched
    as whole words) to tell the person which one to grant."""
    permission = _named_permission(str(info.get("message", "")))
    if permission:
        text = messages.FB_PERMISSION_NAMED % {"permission": permission}
        return ReconnectNeeded, text, {"permission": permission}
    return ReconnectNeeded, messages.FB_PERMISSION, {}


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


def _missing(error):
    """Graph's "does not exist" answers: the read failed because a post is gone."""
    missing = (error.code, error.subcode) == MISSING_OBJECT
    return missing or error.code == ALIASES_MISSING


def _named_permission(text):
    for scope in SCOPES:
        if re.search(rf"\b{re.escape(scope)}\b", text):
            return scope
    return None


def _permission_code(code):
    """Graph's permission codes: 10 and 200-299."""
    return code == 10 or (code is not None and 200 <= code <= 299)


def _permission(error):
    """A permission refused (10, 200-299), not a bad token."""
    return _permission_code(error.code)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
