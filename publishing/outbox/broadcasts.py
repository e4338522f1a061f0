"""Broadcasts out through the outbox: a Zalo article sent to the OA's followers.

`dispatch_broadcasts`, run by `dispatcher.dispatch_all` after the publications:
1. `recover_leases`: a `sending` broadcast whose lease ran out becomes
   `unconfirmed` ("probably sent"): its attempt was recorded before the call and
   Zalo has no read-back, so it is never due again; a person may `resend` it.
2. `sort_due`: what cannot go now waits, without a call: a cancelled or withdrawn
   publication cancels its broadcasts; a pause switch pauses them (and lifting it
   schedules them again); a channel needing reconnection holds them (reconnected,
   they are scheduled again); an article not yet verified on Zalo makes them wait
   ("article"); outside 06:00-21:59 they wait until 06:00 ("window"). No expiry
   applies: waiting for the window is never overdue (`PUBLISHING_CATCH_UP` is for
   publications only).
3. One at a time, `claim_next` picks the first broadcast that may go now (pauses,
   channel, Zalo's rate-limit pause, one call at a time per channel), checks the
   OA's quota against the broadcasts already gone this month (and today: one a
   day), and records the attempt (`sending`, `sent_at`, attempts + 1, a lease) in
   the same short transaction: SKIP LOCKED on PostgreSQL, an IMMEDIATE transaction
   on SQLite. `send` makes the call; `_record` stores the outcome from the typed
   error (networks/base.py).

Broadcasts are few (at most six an OA a month), so they go one after another on
the dispatcher's thread. What people call: `resend`, `cancel`, `cancel_pending`.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Min, Q, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from publishing.conf import setting
from publishing.lifecycle import (
    BROADCAST_CANCELLABLE,
    BROADCAST_GONE,
    BROADCAST_RESENDABLE,
    WAITING_ARTICLE,
    WAITING_QUOTA,
    WAITING_RATE_LIMIT,
    WAITING_WINDOW,
)
from publishing.lifecycle import BroadcastStatus as B
from publishing.lifecycle import PublicationStatus as P
from publishing.models import (
    Broadcast,
    BroadcastTarget,
    ChannelPause,
    ChannelStatus,
    TargetKind,
)
from publishing.models.broadcasts import in_window, month_of, window_opens
from publishing.models.functions import local_range
from publishing.networks import (
    BroadcastTargets,
    ChannelBroken,
    ContentRejected,
    OutsideHours,
    QuotaUsedUp,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)
from publishing.outbox.claims import (
    STOPPING,
    _site_text,
    db_phase,
    default_worker,
    stopped_by_pause,
)
from publishing.outbox.send import backoff
from publishing.permissions import may

logger = logging.getLogger("publishing.outbox.broadcasts")

INTERRUPTED = gettext_noop(
    "Zalo's answer was lost (the sending process was interrupted): it was probably "
    "sent. It is never sent again by itself; a person may resend it."
)
HELD_REASON = gettext_noop(
    "The channel needs reconnecting: the broadcast goes out once it is reconnected."
)
CANCELLED_WITH_POST = gettext_noop("Cancelled with its post.")
UNKNOWN_TARGETS = gettext_noop(
    "The audience names targets no longer in Zalo's targeting codes (%(keys)s): "
    "choose the audience again, then resend."
)
CANNOT_BROADCAST = gettext_noop("%(network)s cannot send posts to followers.")
# The publication's post is gone: its broadcasts will not go out.
ENDED_PUBLICATION = (P.CANCELLED, P.WITHDRAWN)
# Zalo's "out of quota" (-211): the channel's managers are told (incidents).
OUT_OF_QUOTA = "-211"


# The dispatch ----------------------------------------------------------------------
def dispatch_broadcasts(now=None, worker=None, limit=None):
    """Recover, sort and send what is due; {what happened: how many} (non-zero)."""
    now = now or timezone.now()
    worker = worker or default_worker()
    limit = limit or setting("PUBLISHING_CLAIM_LIMIT")
    with translation.override(settings.LANGUAGE_CODE):
        with db_phase():
            summary = {"recovered": recover_leases(now), **sort_due(now)}
        for _n in range(limit):
            if STOPPING.is_set():
                break
            with db_phase():
                claimed = claim_next(timezone.now(), worker)
            if claimed is None:
                break
            outcome = send(claimed)
            summary[outcome] = summary.get(outcome, 0) + 1
    return {key: count for key, count in summary.items() if count}


def _due(now):
    return Broadcast.objects.filter(
        Q(status=B.SCHEDULED, send_at__lte=now)
        | Q(status=B.WAITING, next_attempt_at__lte=now)
    )


NOT_VERIFIED = ~Q(publication__status=P.PUBLISHED) | Q(publication__external_id="")


def recover_leases(now):
    """`sending` broadcasts whose lease ran out: unconfirmed, never due again."""
    return Broadcast.objects.filter(status=B.SENDING, lease_until__lt=now).update(
        status=B.UNCONFIRMED,
        lease_until=None,
        leased_by="",
        last_error=_site_text(INTERRUPTED),
        last_error_code="lease_expired",
        updated_at=now,
    )


def sort_due(now):
    """Due broadcasts that cannot go now are put to wait, without a call."""
    counts = {}
    pending = Broadcast.objects.filter(status__in=BROADCAST_CANCELLABLE)
    counts["cancelled"] = pending.filter(
        publication__status__in=ENDED_PUBLICATION
    ).update(
        status=B.CANCELLED,
        waiting_reason="",
        last_error=_site_text(CANCELLED_WITH_POST),
        updated_at=now,
    )
    stopped = stopped_by_pause("publication__channel")
    counts["resumed"] = (
        Broadcast.objects.filter(status=B.PAUSED)
        .exclude(stopped)
        .update(status=B.SCHEDULED, updated_at=now)
    )
    counts["paused"] = _due(now).filter(stopped).update(status=B.PAUSED, updated_at=now)
    counts["released"] = Broadcast.objects.filter(
        status=B.HELD, publication__channel__status=ChannelStatus.ACTIVE
    ).update(status=B.SCHEDULED, last_error="", last_error_code="", updated_at=now)
    counts["held"] = (
        _due(now)
        .filter(publication__channel__status=ChannelStatus.NEEDS_RECONNECT)
        .update(
            status=B.HELD,
            waiting_reason="",
            last_error=_site_text(HELD_REASON),
            updated_at=now,
        )
    )
    counts["waiting_article"] = (
        _due(now)
        .filter(NOT_VERIFIED)
        .exclude(status=B.WAITING, waiting_reason=WAITING_ARTICLE)
        .update(
            status=B.WAITING,
            waiting_reason=WAITING_ARTICLE,
            next_attempt_at=now,
            updated_at=now,
        )
    )
    if not in_window(now):
        counts["waiting_window"] = (
            _due(now)
            .exclude(NOT_VERIFIED)
            .update(
                status=B.WAITING,
                waiting_reason=WAITING_WINDOW,
                next_attempt_at=window_opens(now),
                updated_at=now,
            )
        )
    return counts


# Claiming --------------------------------------------------------------------------
def _candidates(now):
    return _sendable(_due(now), now).order_by("send_at", "pk")


def _sendable(broadcasts, now):
    """Those of `broadcasts` that may be sent once due: pauses, channel, Zalo's
    rate-limit pause, one call at a time per channel, the article verified."""
    rate_paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    busy = Broadcast.objects.filter(status=B.SENDING, lease_until__gt=now).values(
        "publication__channel_id"
    )
    return (
        broadcasts.filter(
            publication__status=P.PUBLISHED,
            publication__channel__status=ChannelStatus.ACTIVE,
        )
        .exclude(publication__external_id="")
        .exclude(stopped_by_pause("publication__channel"))
        .exclude(publication__channel_id__in=rate_paused)
        .exclude(publication__channel_id__in=busy)
    )


def next_due(now):
    """The earliest time a broadcast that may be sent falls due (in the past:
    now; outside the window `sort_due` puts it to wait for 06:00), or None."""
    waiting = Broadcast.objects.filter(status__in=(B.SCHEDULED, B.WAITING))
    due_at = Case(
        When(status=B.SCHEDULED, then=F("send_at")), default=F("next_attempt_at")
    )
    return _sendable(waiting, now).aggregate(at=Min(due_at))["at"]


def claim_next(now, worker):
    """The next broadcast to send, its attempt recorded (`sending`, `sent_at` =
    now, a lease), or None. Those over the OA's quota are put to wait on the way."""
    if not in_window(now):
        return None
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS"))
    candidates = _candidates(now).select_related("publication__channel")
    if connection.vendor == "postgresql":
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    with transaction.atomic():
        while (broadcast := candidates.first()) is not None:
            until = quota_wait(broadcast, now)
            if until is None:
                break
            Broadcast.objects.filter(pk=broadcast.pk).update(
                status=B.WAITING,
                waiting_reason=WAITING_QUOTA,
                next_attempt_at=until,
                updated_at=now,
            )
        if broadcast is None:
            return None
        Broadcast.objects.filter(pk=broadcast.pk).update(
            status=B.SENDING,
            attempts=F("attempts") + 1,
            sent_at=now,
            lease_until=lease,
            leased_by=worker,
            waiting_reason="",
            updated_at=now,
        )
    broadcast.status, broadcast.sent_at = B.SENDING, now
    broadcast.attempts += 1
    return broadcast


def quota_wait(broadcast, now):
    """When `broadcast` may go if the OA's quota is used by the broadcasts gone
    this month (the 1st of next month, 00:00 local) or today (tomorrow's 06:00);
    None when it may go now."""
    channel = broadcast.publication.channel
    today = timezone.localtime(now).date()
    month_start, month_end = local_range(*month_of(today))
    gone = list(
        Broadcast.objects.filter(
            publication__channel_id=channel.pk,
            status__in=BROADCAST_GONE,
            sent_at__gte=month_start,
            sent_at__lt=month_end,
        )
        .exclude(pk=broadcast.pk)
        .values_list("sent_at", flat=True)
    )
    if len(gone) >= channel.broadcasts_per_month:
        return month_end
    day_start, day_end = local_range(today, today)
    if any(day_start <= sent_at < day_end for sent_at in gone):
        return window_opens(day_end)
    return None


# Sending ---------------------------------------------------------------------------
def targets_of(audience):
    """Zalo's codes for an audience of `BroadcastTarget` keys ({}: every follower);
    ContentRejected naming the keys the table no longer has."""
    audience = audience or {}
    wanted = {
        TargetKind.GENDER: [audience["gender"]] if audience.get("gender") else [],
        TargetKind.AGE: list(audience.get("ages") or []),
        TargetKind.PROVINCE: list(audience.get("provinces") or []),
    }
    rows = BroadcastTarget.objects.filter(
        key__in=[key for keys in wanted.values() for key in keys]
    )
    codes = {(row.kind, row.key): row.code for row in rows}
    missing = [
        key for kind, keys in wanted.items() for key in keys if (kind, key) not in codes
    ]
    if missing:
        raise ContentRejected(_(UNKNOWN_TARGETS) % {"keys": ", ".join(missing)})

    def code_list(kind):
        return [codes[(kind, key)] for key in wanted[kind]]

    genders = code_list(TargetKind.GENDER)
    return BroadcastTargets(
        gender=genders[0] if genders else None,
        ages=code_list(TargetKind.AGE),
        cities=code_list(TargetKind.PROVINCE),
    )


def send(broadcast):
    """Make the call for a claimed broadcast and record its outcome."""
    publication = broadcast.publication
    message_id = error = None
    try:
        adapter = adapter_for(publication.channel)
        if not adapter.broadcast:
            label = {"network": type(adapter).label}
            raise ContentRejected(_(CANNOT_BROADCAST) % label)
        targets = targets_of(broadcast.audience)
        message_id = adapter.broadcast(publication.external_id, targets)
    except Exception as raised:  # noqa: BLE001  (recorded below)
        error = raised
    with db_phase():
        return _record(broadcast, message_id, error)


def _record(broadcast, message_id, error):
    if error is None:
        _end(
            broadcast, B.SENT, message_id=message_id, last_error="", last_error_code=""
        )
        logger.info("broadcast %s sent: %s", broadcast.pk, message_id)
        return "sent"
    if isinstance(error, OutsideHours):
        return _wait(broadcast, error, WAITING_WINDOW, error.after)
    if isinstance(error, QuotaUsedUp):
        return _wait(broadcast, error, WAITING_QUOTA, error.after)
    if isinstance(error, RetryLater):
        return _retry(broadcast, error)
    if isinstance(error, ReconnectNeeded):
        _end(broadcast, B.HELD, sent_at=None, **_error(error))
        channel = broadcast.publication.channel
        channel.mark_needs_reconnect(error.message, hold_posts=True, code=error.code)
        return "held"
    if isinstance(error, ContentRejected | ChannelBroken):
        _end(broadcast, B.FAILED, sent_at=None, **_error(error))
        logger.warning("broadcast %s failed: %s", broadcast.pk, error.message)
        return "failed"
    # The request went out and its answer is lost: probably sent, never again.
    _end(broadcast, B.UNCONFIRMED, **_error(error))
    logger.warning("broadcast %s: answer lost, probably sent", broadcast.pk)
    return "unconfirmed"


def _error(error):
    message = getattr(error, "message", "") or type(error).__name__
    code = getattr(error, "code", None)
    return {"last_error": str(message), "last_error_code": str(code or "")[:50]}


def _end(broadcast, status, **fields):
    """The outcome of the attempt that began at `sent_at`: also after lease
    recovery made it unconfirmed meanwhile (Zalo's answer says more)."""
    Broadcast.objects.filter(
        pk=broadcast.pk,
        sent_at=broadcast.sent_at,
        status__in=(B.SENDING, B.UNCONFIRMED),
    ).update(
        status=status,
        lease_until=None,
        leased_by="",
        updated_at=timezone.now(),
        **fields,
    )


def _wait(broadcast, error, reason, after):
    fields = {"waiting_reason": reason, "next_attempt_at": timezone.now() + after}
    _end(broadcast, B.WAITING, sent_at=None, **fields, **_error(error))
    return f"waiting_{reason}"


def _retry(broadcast, error):
    """Rate limited, or Zalo did not answer a call that never went out."""
    if broadcast.attempts >= setting("PUBLISHING_MAX_ATTEMPTS"):
        _end(broadcast, B.FAILED, sent_at=None, **_error(error))
        return "failed"
    now = timezone.now()
    ChannelPause.extend_until(
        broadcast.publication.channel, now + error.after, error.message
    )
    return _wait(
        broadcast,
        error,
        WAITING_RATE_LIMIT,
        max(error.after, backoff(broadcast.attempts)),
    )


# What people do --------------------------------------------------------------------
def cancel_pending(publication):
    """A cancelled or withdrawn publication: its broadcasts not gone yet are
    cancelled with it (the dispatch does the same for any it finds)."""
    return Broadcast.objects.filter(
        publication_id=publication.pk, status__in=BROADCAST_CANCELLABLE
    ).update(
        status=B.CANCELLED,
        waiting_reason="",
        last_error=_site_text(CANCELLED_WITH_POST),
        updated_at=timezone.now(),
    )


def cancel(broadcast, user):
    """A person cancels a broadcast not gone yet (an approver of its channel)."""
    if not may(user, "cancel", broadcast.publication.channel):
        raise PermissionDenied
    changed = Broadcast.objects.filter(
        pk=broadcast.pk, status__in=BROADCAST_CANCELLABLE
    ).update(status=B.CANCELLED, waiting_reason="", updated_at=timezone.now())
    broadcast.refresh_from_db()
    if not changed:
        raise ValidationError(
            _("This broadcast cannot be cancelled now: it is “%(status)s”.")
            % {"status": broadcast.get_status_display()}
        )


def resend(broadcast, user):
    """A new broadcast of the same article and audience, `resend_of` this one,
    due now; allowed for an unconfirmed or failed broadcast of a post still
    published, once: of parallel requests one creates it, the others are told
    it was resent (the row is locked on PostgreSQL; SQLite's IMMEDIATE
    transactions run one at a time)."""
    if not may(user, "retry", broadcast.publication.channel):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Broadcast.objects.select_for_update()
            .select_related("publication")
            .get(pk=broadcast.pk)
        )
        _check_resend(locked)
        return Broadcast.objects.create(
            publication=locked.publication,
            audience=locked.audience,
            send_at=timezone.now(),
            resend_of=locked,
            created_by=user,
        )


def _check_resend(broadcast):
    if broadcast.resends.exclude(status=B.CANCELLED).exists():
        raise ValidationError(
            _(
                "This broadcast was resent already: follow the new one on the "
                "publication's page."
            )
        )
    if broadcast.status not in BROADCAST_RESENDABLE:
        raise ValidationError(
            _(
                "Only an unconfirmed or failed broadcast can be resent; this one is "
                "“%(status)s”."
            )
            % {"status": broadcast.get_status_display()}
        )
    if broadcast.publication.status != P.PUBLISHED:
        raise ValidationError(
            _("The article is no longer on Zalo (the post is “%(status)s”).")
            % {"status": broadcast.publication.get_status_display()}
        )
