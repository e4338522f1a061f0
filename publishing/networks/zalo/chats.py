"""Followers' messages to the OA, for `ZaloNetwork`: the read-back of recent
conversations (for events the webhook missed) and the webhook's signature.

- `GET /v2.0/oa/listrecentchat?data={"offset","count"}`: each conversation's latest
  message; `GET /v2.0/oa/conversation?data={"user_id","offset","count"}`: one
  follower's messages, newest first, `src` 1 from the follower (count at most 10).
- The webhook: header `X-ZEvent-Signature` = `mac=` + sha256(app_id + raw body +
  timestamp + OA secret key), the timestamp (milliseconds) in the body.
"""

import datetime
import hashlib
import hmac
import json

from publishing.networks.inbox import Incoming
from publishing.networks.zalo.api import READ

MAX_COUNT = 10
FROM_FOLLOWER = 1


class ZaloChats:
    """Reads of `ZaloNetwork`: uses its `_call`."""

    def recent_chats(self):
        """[(follower id, time of their conversation's latest message)]."""
        data = self._call(
            READ,
            "GET",
            "v2.0/oa/listrecentchat",
            params={"data": json.dumps({"offset": 0, "count": MAX_COUNT})},
        )
        return (
            [
                (
                    str(
                        m.get("from_id")
                        if m.get("src") == FROM_FOLLOWER
                        else m.get("to_id")
                    ),
                    _time(m.get("time")),
                )
                for m in data
                if isinstance(data, list) and isinstance(m, dict)
            ]
            if isinstance(data, list)
            else []
        )

    def conversation(self, user_id):
        """The follower's latest messages to the OA (`Incoming`), newest first."""
        query = {"user_id": user_id, "offset": 0, "count": MAX_COUNT}
        data = self._call(
            READ, "GET", "v2.0/oa/conversation", params={"data": json.dumps(query)}
        )
        return [
            Incoming(
                external_id=str(m.get("message_id")),
                text=m.get("message") if isinstance(m.get("message"), str) else "",
                received_at=_time(m.get("time")),
                author_name=m.get("from_display_name") or "",
                author_id=str(m.get("from_id") or ""),
            )
            for m in (data if isinstance(data, list) else [])
            if isinstance(m, dict) and m.get("src") == FROM_FOLLOWER
        ]


class WebhookRefused(Exception):
    """`status`: 403 for a signature missing or wrong, 400 for a bad or stale
    event. The message names no person."""

    def __init__(self, reason, status):
        super().__init__(reason)
        self.status = status


def verify_event(body, signature, *, app_id, secret, now, max_age):
    """The event of a signed webhook call (`body`, raw bytes), or WebhookRefused."""
    if not signature or not secret:
        raise WebhookRefused("unsigned", 403)
    try:
        text = body.decode("utf-8")
        event = json.loads(text)
        timestamp = str(event["timestamp"])
        moment = _time(int(timestamp))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise WebhookRefused("malformed", 400) from None
    expected = (
        "mac="
        + hashlib.sha256(f"{app_id}{text}{timestamp}{secret}".encode()).hexdigest()
    )
    if not hmac.compare_digest(expected, signature.strip()):
        raise WebhookRefused("forged", 403)
    if abs((now - moment).total_seconds()) > max_age:
        raise WebhookRefused("stale", 400)
    return event


def _time(milliseconds):
    return datetime.datetime.fromtimestamp(int(milliseconds) / 1000, datetime.UTC)
