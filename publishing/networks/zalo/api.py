"""Open API calls and their errors, for `ZaloNetwork`.

One `Session`, a timeout on every call, the error code read from every body (Zalo
answers errors with HTTP 200). `OpenApiCalls._call` refreshes a rejected token once
and makes the call again; every failure becomes a typed error, decided from the
parsed code, with the tokens scrubbed from the detail.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

import requests
from django.utils import timezone

from publishing.networks import messages
from publishing.networks.base import (
    ChannelBroken,
    ContentRejected,
    OutcomeUnknown,
    ReconnectNeeded,
    RetryLater,
)

logger = logging.getLogger("publishing.networks.zalo")

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

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
# happened after a 5xx or a timeout; a read can simply be tried again, and so can
# a video's upload (no follower sees it until an article shows it).
WRITE, READ, UPLOAD = "write", "read", "upload"


class OpenApiCalls:
    """Calls and errors of `ZaloNetwork`: uses its `session`, `base_url`,
    `timeout`, `label`, and the tokens of `ZaloTokens`."""

    def _call(
        self, op, method, path, *, params=None, body=None, upload=None, headers=None
    ):
        """One Open API call -> its `data`; a rejected token is refreshed once and
        the call made again (Zalo did nothing with the first one). `upload`: a
        streamed multipart body (`networks.video.MultipartFile`), sent again from
        its start if need be; `headers`: more headers (a video's `token`)."""
        token = self._access_token()
        extra = (body, upload, headers or {})
        answer = self._send(op, method, path, token, params, extra)
        if _int(answer.get("error")) in TOKEN_CODES:
            token = self._refresh(stale=token).get("access_token", "")
            answer = self._send(op, method, path, token, params, extra)
        code = _int(answer.get("error"))
        if code:
            raise self._error(op, code, answer)
        return answer.get("data") or {}

    def _send(self, op, method, path, token, params, extra):
        body, upload, headers = extra
        headers = {**headers, "access_token": token}
        if upload is not None:
            headers["Content-Type"] = upload.content_type
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                headers=headers,
                params=params,
                json=body,
                data=upload,
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


def _until_six(now):
    """Time until the next 06:00 in Vietnam, when broadcasts are sent again."""
    local = now.astimezone(VIETNAM)
    six = local.replace(hour=6, minute=0, second=0, microsecond=0)
    if six <= local:
        six += datetime.timedelta(days=1)
    return six - local


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
