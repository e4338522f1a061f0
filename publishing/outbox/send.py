"""Sending one claimed publication and recording what happened.

`publish_one` prepares (payload stored, lease renewed as the fence, attempt
row), makes the network call, and records the outcome from the typed error:
`_retry`, `_hold`, `_fail`, `_unknown`, or `_mark_published` (the one way a
publication becomes `published`). `backoff` is the retry delay. `Batch` holds what
the publications of one claimed batch share, loaded once.
"""

import contextlib
import datetime
import logging
import random
import threading

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from cms.content.models import ArticlePage
from publishing.conf import setting
from publishing.lifecycle import PublicationStatus as S
from publishing.lifecycle import first_due
from publishing.models import AttemptOutcome, ChannelPause, Publication, PublishAttempt
from publishing.networks import (
    ChannelBroken,
    ContentRejected,
    OutcomeUnknown,
    Payload,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)
from publishing.outbox.audio import as_video
from publishing.outbox.claims import db_phase
from publishing.outbox.compose import compose

logger = logging.getLogger("publishing.outbox.dispatcher")

BACKOFF_BASE = 30  # seconds; doubled per attempt, with jitter


class Batch:
    """What the publications of one claimed batch share, loaded once instead of
    per post (bench/README.md: the per-post SELECT of a wide article row, composing
    the same article again for each channel, and a new adapter, decrypted token
    and HTTP session per post were most of the dispatcher's CPU time):
    - the publications with their channels, in one query;
    - the articles still to compose, in one query, with campaign, cover image and
      tags; a page is composed by one thread at a time (its lazily parsed body and
      cached properties are shared by the threads);
    - one adapter per channel: one channel's publications go one after another on
      one thread, so an adapter (and its HTTP session) is never used by two
      threads at once.
    The rows are read after the claim: while `publishing`, no person's action
    changes them (actions are conditional updates on other statuses), and the
    fence in `_prepare` still decides whether to send."""

    def __init__(self, pks):
        self.publications = Publication.objects.select_related("channel").in_bulk(pks)
        to_compose = {p.page_id for p in self.publications.values() if not p.payload}
        self.pages = (
            ArticlePage.objects.select_related("campaign", "cover_image")
            .prefetch_related("tags")
            .in_bulk(to_compose)
        )
        self.page_locks = {pk: threading.Lock() for pk in self.pages}
        self.adapters = {}

    def publication(self, pk):
        publication = self.publications.pop(pk, None)
        if publication is None:  # not in the batch: read it now
            return Publication.objects.select_related("channel", "page").get(pk=pk)
        page = self.pages.get(publication.page_id)
        if page is not None:
            publication.page = page
        return publication

    def compose_lock(self, page_id):
        return self.page_locks.get(page_id) or contextlib.nullcontext()

    def adapter(self, channel):
        if channel.pk not in self.adapters:
            self.adapters[channel.pk] = adapter_for(channel)
        return self.adapters[channel.pk]


def publish_one(pk, worker, calls=None, batch=None):
    """Send one claimed publication and record what happened; returns the outcome.
    Messages are stored in the site's language (Vietnamese), whatever the thread."""
    with translation.override(settings.LANGUAGE_CODE):
        return _publish_one(
            pk, worker, calls or contextlib.nullcontext(), batch or Batch([pk])
        )


def _publish_one(pk, worker, calls, batch):
    with db_phase():
        prepared = _prepare(pk, worker, batch)
    if not isinstance(prepared, tuple):
        return prepared  # lease lost (None), or failed before sending
    publication, attempt, adapter, payload = prepared
    result = error = None
    try:
        # An audio's video is made first, outside the calls' limit (no call yet).
        with as_video(payload) as sent, calls:  # at most PUBLISHING_WORKERS calls
            result = adapter.publish(sent)
    except Exception as raised:  # noqa: BLE001  (recorded below)
        error = raised
    with db_phase():
        return _record(publication, attempt, result, error)


def _prepare(pk, worker, batch):
    """Payload, fence, attempt row: (publication, attempt, adapter, payload)."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS"))
    publication = batch.publication(pk)
    adapter = batch.adapter(publication.channel)
    stored, problem = bool(publication.payload), None
    try:
        with batch.compose_lock(publication.page_id):
            payload = _payload(publication, adapter)
    except Exception as error:
        payload, problem = None, str(error) or type(error).__name__
    # Renewing the lease is the fence: lost it (recovered) -> do not send. The
    # same statement counts the attempt and stores a new payload before sending.
    fields = {} if stored or payload is None else {"payload": publication.payload}
    mine = Publication.objects.filter(pk=pk, status=S.PUBLISHING, leased_by=worker)
    if not mine.update(
        lease_until=lease, updated_at=now, attempts=F("attempts") + 1, **fields
    ):
        return None
    publication.attempts += 1
    attempt = PublishAttempt.objects.create(
        publication=publication, started_at=now, worker=worker
    )
    if problem is not None:
        return _fail(publication, attempt, problem, "")

    def on_receipt(token):  # Zalo's verify token: stored before polling, at once
        with db_phase():
            Publication.objects.filter(pk=pk).update(verify_token=token)

    adapter.on_receipt = on_receipt  # the adapter is the channel's, for the batch
    return publication, attempt, adapter, payload


def _record(publication, attempt, result, error):
    """The next status from what the network said (typed errors: networks/base.py)."""
    if isinstance(error, RetryLater):
        return _retry(publication, attempt, error)
    if isinstance(error, ReconnectNeeded):
        return _hold(publication, attempt, error)
    if isinstance(error, ContentRejected | ChannelBroken):
        return _fail(publication, attempt, error.message, error.code)
    if isinstance(error, OutcomeUnknown):
        token = getattr(error, "verify_token", "") or ""
        return _unknown(publication, attempt, error.message, error.code, token)
    if error is not None:  # we do not know whether it went out
        return _unknown(publication, attempt, type(error).__name__, "", "")
    _mark_published(publication, attempt, result, AttemptOutcome.OK)
    return AttemptOutcome.OK


def _mark_published(publication, attempt, result, outcome):
    """The one way a publication becomes `published` (sent, or found on the channel)."""
    published_at = result.published_at or timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        status=S.PUBLISHED,
        external_id=result.external_id,
        permalink=result.permalink or "",
        published_at=published_at,
        engagement_due_at=first_due(published_at, result.external_id),
        lease_until=None,
        leased_by="",
        last_error="",
        last_error_code="",
        updated_at=timezone.now(),
    )
    _finish(attempt, outcome, "", result.external_id)
    logger.info(
        "posted %s on %s: %s%s",
        publication,
        publication.channel,
        result.permalink,
        " (reconciled)" if outcome == AttemptOutcome.RECONCILED else "",
        extra=_ids(publication),
    )


def _ids(publication):
    """The ids a log collector filters on (LOG_FORMAT=json, cms/logging.py)."""
    return {"publication_id": publication.pk, "channel_id": publication.channel_id}


def _payload(publication, adapter):
    """The stored payload, or a new one composed (the caller stores it)."""
    if not publication.payload:
        payload = compose(
            publication.page.specific,
            publication.channel,
            publication.marker,
            message=publication.message or None,
            kind=publication.kind or None,
            adapter=adapter,
            code=publication.link_code,
            video=publication.video,
        )
        publication.payload = payload.as_dict()
    return Payload.from_dict(publication.payload)


def _finish(attempt, outcome, code, message):
    attempt.finished_at = timezone.now()
    attempt.outcome = outcome
    attempt.error_code = str(code or "")[:50]
    attempt.message = str(message or "")
    attempt.save(update_fields=["finished_at", "outcome", "error_code", "message"])


def _end(publication, status, message, code, **fields):
    Publication.objects.filter(pk=publication.pk).update(
        status=status,
        last_error=str(message or ""),
        last_error_code=str(code or "")[:50],
        lease_until=None,
        leased_by="",
        updated_at=timezone.now(),
        **fields,
    )


def backoff(attempts):
    """Exponential backoff with jitter for the n-th attempt (1-based)."""
    seconds = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def _tries(publication):
    """The attempts that count against PUBLISHING_MAX_ATTEMPTS and the backoff:
    all but those held for a reconnection (waiting for a person is no try of the
    network; counted, a publication held a few times failed on its first temporary
    error, or waited minutes after it: bench/chaos.py)."""
    held = PublishAttempt.objects.filter(
        publication_id=publication.pk, outcome=AttemptOutcome.HELD
    ).count()
    return max(publication.attempts - held, 1)


def _retry(publication, attempt, error):
    now = timezone.now()
    max_attempts = setting("PUBLISHING_MAX_ATTEMPTS")
    max_age = datetime.timedelta(seconds=setting("PUBLISHING_MAX_RETRY_AGE"))
    tries = _tries(publication)
    if tries >= max_attempts or now - publication.publish_at > max_age:
        return _fail(publication, attempt, error.message, error.code)
    wait = max(error.after, backoff(tries))
    _end(
        publication,
        S.RETRYING,
        error.message,
        error.code,
        next_attempt_at=now + wait,
    )
    ChannelPause.extend_until(publication.channel, now + error.after, error.message)
    _finish(attempt, AttemptOutcome.RETRY, error.code, error.message)
    logger.info(
        "%s on %s: retry at %s",
        publication,
        publication.channel,
        now + wait,
        extra=_ids(publication),
    )
    return AttemptOutcome.RETRY


def _hold(publication, attempt, error):
    channel = publication.channel
    _end(publication, S.HELD, error.message, error.code)
    channel.mark_needs_reconnect(error.message, hold_posts=True, code=error.code)
    _finish(attempt, AttemptOutcome.HELD, error.code, error.message)
    logger.warning(
        "%s held: %s needs reconnecting", publication, channel, extra=_ids(publication)
    )
    return AttemptOutcome.HELD


def _fail(publication, attempt, message, code):
    _end(publication, S.FAILED, message, code)
    _finish(attempt, AttemptOutcome.FAILED, code, message)
    logger.warning(
        "%s failed on %s: %s",
        publication,
        publication.channel,
        message,
        extra=_ids(publication),
    )
    return AttemptOutcome.FAILED


def _unknown(publication, attempt, message, code, token):
    fields = {"verify_token": token} if token else {}
    _end(publication, S.UNCONFIRMED, message, code, **fields)
    _finish(attempt, AttemptOutcome.UNKNOWN, code, message)
    logger.warning(
        "%s on %s: outcome unknown",
        publication,
        publication.channel,
        extra=_ids(publication),
    )
    return AttemptOutcome.UNKNOWN
