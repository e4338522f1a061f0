"""The dispatcher: due publications out to the networks, never twice, never lost.

1. Claim: due publications get a lease (status `publishing`, `lease_until`,
   `leased_by`) in one short transaction - `select_for_update(skip_locked=True)`
   on PostgreSQL, an IMMEDIATE transaction on SQLite. No transaction is ever held
   across a network call. A full batch is followed by the next at once.
2. Send: a thread pool, one publication at a time per channel, at most
   PUBLISHING_WORKERS network calls in flight; preparing the next publication
   and recording the last one overlap with the calls. The payload is stored
   before it is sent; every attempt is a PublishAttempt row.
3. Record: the typed error decides the next status (see DESIGN.md).

An unknown outcome (`unconfirmed`, or a lease that expired mid-call) is reconciled
with `find_published` before any new attempt (guarantee 1).
"""

import contextlib
import datetime
import logging
import os
import random
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cms.core.models import Unit

from .compose import compose
from .models import (
    AttemptOutcome,
    ChannelPause,
    ChannelStatus,
    PauseScope,
    Publication,
    PublicationStatus,
    PublishAttempt,
    PublishingPause,
)
from .networks import (
    ChannelBroken,
    ContentRejected,
    NetworkError,
    OutcomeUnknown,
    Payload,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)

logger = logging.getLogger(__name__)

S = PublicationStatus
DUE = (S.SCHEDULED, S.RETRYING)
BACKOFF_BASE = 30  # seconds; doubled per attempt, with jitter
# Set on SIGTERM: calls in flight finish, nothing new starts, the rest is given back.
STOPPING = threading.Event()


_SQLITE_WRITES = threading.Lock()


def db_phase():
    """On SQLite the dispatch threads take turns for their (short) database work;
    network calls still overlap. SQLite has one writer anyway, and an in-memory
    shared-cache database fails at once ("table is locked") instead of waiting."""
    if connection.vendor == "sqlite":
        return _SQLITE_WRITES
    return contextlib.nullcontext()


def setting(name, default):
    return getattr(settings, name, default)


def default_worker():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


# Claiming -----------------------------------------------------------------------
def due_queryset(now):
    """Due publications that may be attempted now (pauses and channel state apply)."""
    qs = Publication.objects.filter(
        Q(status=S.SCHEDULED, publish_at__lte=now)
        | Q(status=S.RETRYING, next_attempt_at__lte=now),
        channel__status=ChannelStatus.ACTIVE,
        # An article taken offline after planning is not shared; its publications
        # wait and go out if it comes back.
        page__live=True,
    )
    pauses = list(PublishingPause.objects.values_list("scope", "unit_id", "channel_id"))
    if any(scope == PauseScope.GLOBAL for scope, _u, _c in pauses):
        return qs.none()
    # A pause on a unit covers the units below it, like the roles do.
    units = {
        pk
        for scope, unit_id, _c in pauses
        if scope == PauseScope.UNIT and unit_id
        for pk in Unit(pk=unit_id).descendant_ids()
    }
    channels = [c for scope, _u, c in pauses if scope == PauseScope.CHANNEL and c]
    if units:
        qs = qs.exclude(channel__unit_id__in=units)
    if channels:
        qs = qs.exclude(channel_id__in=channels)
    rate_paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    busy = Publication.objects.filter(status=S.PUBLISHING, lease_until__gt=now).values(
        "channel_id"
    )
    return qs.exclude(channel_id__in=rate_paused).exclude(channel_id__in=busy)


EXPIRED_REASON = gettext_noop(
    "Too late to post automatically: a person decides to post it now or cancel it."
)
INTERRUPTED_REASON = gettext_noop(
    "Not known whether it was posted (the sending process was interrupted); it will "
    "be looked for on the channel before any new attempt."
)


def _site_text(message):
    """Stored reasons are in the site's language, whatever thread writes them."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def expire_overdue(now):
    """Never-attempted publications older than the catch-up age: expired."""
    age = datetime.timedelta(seconds=setting("PUBLISHING_CATCH_UP", 6 * 3600))
    return (
        due_queryset(now)
        .filter(status=S.SCHEDULED, attempts=0, publish_at__lt=now - age)
        .update(
            status=S.EXPIRED,
            last_error=_site_text(EXPIRED_REASON),
            last_error_code="expired",
            updated_at=now,
        )
    )


def claim(now, worker, limit):
    """Lease up to `limit` due publications; [(pk, channel_id, previous status)].
    One short transaction: on PostgreSQL the rows are locked, skipping those
    another scheduler is claiming; SQLite has one writer and our transactions
    are IMMEDIATE (the write lock is taken at BEGIN), so nobody writes between
    the read and the update."""
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS", 120))
    candidates = due_queryset(now).order_by("publish_at", "pk")
    if connection.vendor == "postgresql":
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    with transaction.atomic():
        rows = list(candidates.values_list("pk", "channel_id", "status")[:limit])
        Publication.objects.filter(pk__in=[r[0] for r in rows]).update(
            status=S.PUBLISHING, lease_until=lease, leased_by=worker, updated_at=now
        )
    return rows


# Dispatching --------------------------------------------------------------------
def dispatch_due(now=None, worker=None, limit=None):
    """Claim and send what is due; returns {"claimed", "expired", outcome: n}."""
    now = now or timezone.now()
    worker = worker or default_worker()
    limit = limit or setting("PUBLISHING_CLAIM_LIMIT", 100)
    summary = {"expired": expire_overdue(now)}
    rows = claim(now, worker, limit)
    summary["claimed"] = len(rows)
    groups = {}
    for pk, channel_id, status in rows:
        groups.setdefault(channel_id, []).append((pk, status))
    workers = max(1, int(setting("PUBLISHING_WORKERS", 4)))
    # Twice as many threads as calls in flight: while one thread waits for the
    # network, another prepares (database, payload) or records.
    calls = threading.BoundedSemaphore(workers)
    with Heartbeat(worker) if rows else contextlib.nullcontext():
        if len(groups) <= 1 or workers == 1:
            results = [_run_group(items, worker, calls) for items in groups.values()]
        else:
            threads = min(2 * workers, len(groups))
            with ThreadPoolExecutor(max_workers=threads) as pool:
                futures = [
                    pool.submit(_run_group_in_thread, items, worker, calls)
                    for items in groups.values()
                ]
                results = [f.result() for f in futures]
    for outcomes in results:
        for outcome in outcomes:
            summary[outcome] = summary.get(outcome, 0) + 1
    return summary


def dispatch_all(worker=None):
    """Dispatch batch after batch while batches come back full: a backlog (after
    downtime, a campaign going out at once) drains at the network's pace instead
    of one claim limit per scheduler interval. Summaries are added up."""
    total = {}
    limit = setting("PUBLISHING_CLAIM_LIMIT", 100)
    while True:
        summary = dispatch_due(worker=worker, limit=limit)
        for key, count in summary.items():
            total[key] = total.get(key, 0) + count
        if summary["claimed"] < limit or STOPPING.is_set():
            return total


def _run_group_in_thread(items, worker, calls):
    try:
        return _run_group(items, worker, calls)
    finally:
        connection.close()


def _run_group(items, worker, calls):
    """One channel's claimed publications, one after another."""
    outcomes = []
    for index, (pk, _status) in enumerate(items):
        if STOPPING.is_set():
            _release(items[index:], worker, held=False)
            break
        try:
            outcome = publish_one(pk, worker, calls)
        except Exception:  # a bug of ours: the lease expires, reconcile decides
            logger.exception("dispatch of publication %s failed", pk)
            outcome = AttemptOutcome.UNKNOWN
        outcomes.append(outcome)
        if outcome in (AttemptOutcome.RETRY, AttemptOutcome.HELD):
            _release(items[index + 1 :], worker, held=outcome == AttemptOutcome.HELD)
            break
    return outcomes


def _release(items, worker, held):
    """Give back claimed publications the channel cannot take now."""
    with db_phase():
        _give_back(items, worker, held)


def _give_back(items, worker, held):
    for pk, status in items:
        Publication.objects.filter(pk=pk, status=S.PUBLISHING, leased_by=worker).update(
            status=S.HELD if held else status,
            lease_until=None,
            leased_by="",
            updated_at=timezone.now(),
        )


def publish_one(pk, worker, calls=None):
    """Send one claimed publication and record what happened; returns the outcome.
    Messages are stored in the site's language (Vietnamese), whatever the thread."""
    with translation.override(settings.LANGUAGE_CODE):
        return _publish_one(pk, worker, calls or contextlib.nullcontext())


def _publish_one(pk, worker, calls):
    with db_phase():
        prepared = _prepare(pk, worker)
    if not isinstance(prepared, tuple):
        return prepared  # lease lost (None), or failed before sending
    publication, attempt, adapter, payload = prepared
    result = error = None
    try:
        with calls:  # at most PUBLISHING_WORKERS calls in flight
            result = adapter.publish(payload)
    except Exception as raised:  # noqa: BLE001  (recorded below)
        error = raised
    with db_phase():
        return _record(publication, attempt, result, error)


def _prepare(pk, worker):
    """Payload, fence, attempt row: (publication, attempt, adapter, payload)."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS", 120))
    publication = Publication.objects.select_related("channel", "page").get(pk=pk)
    stored, problem = bool(publication.payload), None
    try:
        payload = _payload(publication)
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
    adapter = adapter_for(publication.channel)

    def on_token(token):  # Zalo: stored before polling, committed at once
        with db_phase():
            Publication.objects.filter(pk=pk).update(verify_token=token)

    adapter.on_token = on_token
    return publication, attempt, adapter, payload


def _record(publication, attempt, result, error):
    """The next status from what the network said (typed errors, see DESIGN.md)."""
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
    Publication.objects.filter(pk=publication.pk).update(
        status=S.PUBLISHED,
        external_id=result.external_id,
        permalink=result.permalink or "",
        published_at=result.published_at or timezone.now(),
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
    )


class Heartbeat:
    """Keeps a batch's leases alive while its calls run (Zalo polls, uploads, the
    queue of one channel), so lease recovery never takes a call still in flight,
    or waiting its turn, for a dead one. One thread per batch, not per call. If
    the process dies, the heartbeat dies with it and the leases expire."""

    def __init__(self, worker):
        self.worker = worker
        self.seconds = float(setting("PUBLISHING_LEASE_SECONDS", 120))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        try:
            while not self.stop.wait(self.seconds / 3):
                with db_phase():
                    self.renew()
        except Exception:
            logger.exception("lease heartbeat of %s failed", self.worker)
        finally:
            connection.close()

    def renew(self):
        Publication.objects.filter(status=S.PUBLISHING, leased_by=self.worker).update(
            lease_until=timezone.now() + datetime.timedelta(seconds=self.seconds)
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def _payload(publication):
    """The stored payload, or a new one composed (the caller stores it)."""
    if not publication.payload:
        payload = compose(
            publication.page.specific,
            publication.channel,
            publication.marker,
            message=publication.message or None,
            kind=publication.kind or None,
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


def _retry(publication, attempt, error):
    now = timezone.now()
    max_attempts = setting("PUBLISHING_MAX_ATTEMPTS", 5)
    max_age = datetime.timedelta(seconds=setting("PUBLISHING_MAX_RETRY_AGE", 86400))
    if publication.attempts >= max_attempts or now - publication.publish_at > max_age:
        return _fail(publication, attempt, error.message, error.code)
    wait = max(error.after, backoff(publication.attempts))
    _end(
        publication,
        S.RETRYING,
        error.message,
        error.code,
        next_attempt_at=now + wait,
    )
    ChannelPause.objects.update_or_create(
        channel_id=publication.channel_id,
        defaults={"until": now + error.after, "reason": str(error.message)},
    )
    _finish(attempt, AttemptOutcome.RETRY, error.code, error.message)
    logger.info("%s on %s: retry at %s", publication, publication.channel, now + wait)
    return AttemptOutcome.RETRY


def _hold(publication, attempt, error):
    channel = publication.channel
    _end(publication, S.HELD, error.message, error.code)
    Publication.objects.filter(channel=channel, status__in=DUE).update(
        status=S.HELD,
        last_error=str(error.message),
        last_error_code=str(error.code or "")[:50],
        updated_at=timezone.now(),
    )
    channel.status = ChannelStatus.NEEDS_RECONNECT
    channel.status_reason = str(error.message)
    channel.save(update_fields=["status", "status_reason", "updated_at"])
    _finish(attempt, AttemptOutcome.HELD, error.code, error.message)
    logger.warning("%s held: %s needs reconnecting", publication, channel)
    return AttemptOutcome.HELD


def _fail(publication, attempt, message, code):
    _end(publication, S.FAILED, message, code)
    _finish(attempt, AttemptOutcome.FAILED, code, message)
    logger.warning("%s failed on %s: %s", publication, publication.channel, message)
    return AttemptOutcome.FAILED


def _unknown(publication, attempt, message, code, token):
    fields = {"verify_token": token} if token else {}
    _end(publication, S.UNCONFIRMED, message, code, **fields)
    _finish(attempt, AttemptOutcome.UNKNOWN, code, message)
    logger.warning("%s on %s: outcome unknown", publication, publication.channel)
    return AttemptOutcome.UNKNOWN


# Reconciliation -----------------------------------------------------------------
def recover_leases(now=None):
    """Publications whose lease expired mid-call: unconfirmed (to be reconciled)."""
    now = now or timezone.now()
    return Publication.objects.filter(status=S.PUBLISHING, lease_until__lt=now).update(
        status=S.UNCONFIRMED,
        lease_until=None,
        leased_by="",
        last_error=_site_text(INTERRUPTED_REASON),
        last_error_code="lease_expired",
        updated_at=now,
    )


def reconcile_unconfirmed(now=None, worker=None):
    """Find each unconfirmed publication on its channel: published, or scheduled
    again (a new attempt is allowed). Returns {"published", "scheduled", "left"}."""
    now = now or timezone.now()
    worker = worker or default_worker()
    recover_leases(now)
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS", 120))
    summary = {"published": 0, "scheduled": 0, "left": 0}
    pks = Publication.objects.filter(status=S.UNCONFIRMED).values_list("pk", flat=True)
    for pk in list(pks):
        # Compare-and-set: only one process reconciles a publication at a time.
        if not Publication.objects.filter(pk=pk, status=S.UNCONFIRMED).update(
            status=S.PUBLISHING, lease_until=lease, leased_by=worker
        ):
            continue
        summary[_reconcile(pk, worker)] += 1
    return summary


def _reconcile(pk, worker):
    with translation.override(settings.LANGUAGE_CODE):
        return _reconcile_one(pk, worker)


def _reconcile_one(pk, worker):
    publication = Publication.objects.select_related("channel").get(pk=pk)
    first = publication.attempt_history.order_by("started_at").first()
    since = first.started_at if first else publication.created_at
    attempt = PublishAttempt.objects.create(publication=publication, worker=worker)
    try:
        found = adapter_for(publication.channel).find_published(
            publication.verify_token or publication.marker, since=since
        )
    except Exception as error:  # noqa: BLE001  (ask again on the next run)
        message = getattr(error, "message", "") or type(error).__name__
        Publication.objects.filter(pk=pk).update(
            status=S.UNCONFIRMED, lease_until=None, leased_by=""
        )
        _finish(attempt, AttemptOutcome.UNKNOWN, getattr(error, "code", ""), message)
        if not isinstance(error, NetworkError):
            logger.exception("reconciling %s failed", publication)
        return "left"
    if found:
        _mark_published(publication, attempt, found, AttemptOutcome.RECONCILED)
        return "published"
    Publication.objects.filter(pk=pk).update(
        status=S.SCHEDULED, lease_until=None, leased_by="", updated_at=timezone.now()
    )
    _finish(attempt, AttemptOutcome.RECONCILED, "", "not found: will try again")
    return "scheduled"


# Channels -------------------------------------------------------------------------
def release_held(channel):
    """A reconnected channel: its held publications are scheduled again."""
    return Publication.objects.filter(channel=channel, status=S.HELD).update(
        status=S.SCHEDULED,
        lease_until=None,
        leased_by="",
        last_error="",
        last_error_code="",
        updated_at=timezone.now(),
    )


def on_channel_saved(sender, instance, created=False, **kwargs):
    """`post_save` on Channel: an active channel releases its held publications."""
    if created or instance.status != ChannelStatus.ACTIVE:
        return
    if Publication.objects.filter(channel=instance, status=S.HELD).exists():
        ChannelPause.objects.filter(channel=instance).delete()
        release_held(instance)
