"""Article bodies and the verify polling, for `ZaloNetwork`.

Creating an article is asynchronous: `create` gives a token, `verify` turns it into
the article id once Zalo has processed the media. The token is handed to
`remember_receipt` before polling: it is the key to reconcile after a crash.
"""

import logging
import time
from urllib.parse import urlsplit

from django.utils import timezone

from publishing.networks import messages
from publishing.networks.base import (
    ChannelBroken,
    NetworkError,
    OutcomeUnknown,
    Published,
    ReconnectNeeded,
    RetryLater,
)
from publishing.networks.zalo.api import PROCESSING, READ

logger = logging.getLogger("publishing.networks.zalo")


class ArticleVerification:
    """Verify polling of `ZaloNetwork`: uses its `_call`, `on_receipt`,
    `verify_attempts` and `verify_interval`."""

    def remember_receipt(self, token):
        """Hand the verify token to the caller at once, before polling: after a
        crash it finds the article (`find_published(token, since)`). The
        `on_receipt` hook (`BaseNetwork`) must commit by itself."""
        try:
            self.on_receipt(token)
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
