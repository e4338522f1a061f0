"""Claiming: which publications are due, and the leases that make a claim hold.

`due_queryset` (pauses, channel state, one call at a time per channel),
`expire_overdue`, `claim` (one short transaction), giving claimed publications
back (`_release`), and the `Heartbeat` that keeps a batch's leases alive. Also
the small shared pieces every part uses: `STOPPING`, `db_phase`,
`default_worker`, `_site_text` (statuses: `lifecycle`; settings: `conf`).
"""

import contextlib
import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Min, Q, When
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cms.core.models import Unit
from publishing.conf import setting
from publishing.lifecycle import PublicationStatus as S
from publishing.models import (
    ChannelPause,
    ChannelStatus,
    PauseScope,
    Publication,
    PublishingPause,
)

logger = logging.getLogger("publishing.outbox.dispatcher")

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


def default_worker():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


# Claiming -----------------------------------------------------------------------
def paused():
    """What the pause switches stop: (everything, unit ids, channel ids). A pause
    on a unit covers the units below it, like the roles do."""
    pauses = list(PublishingPause.objects.values_list("scope", "unit_id", "channel_id"))
    everything = any(scope == PauseScope.GLOBAL for scope, _u, _c in pauses)
    units = {
        pk
        for scope, unit_id, _c in pauses
        if scope == PauseScope.UNIT and unit_id
        for pk in Unit(pk=unit_id).descendant_ids()
    }
    channels = [c for scope, _u, c in pauses if scope == PauseScope.CHANNEL and c]
    return everything, units, channels


def stopped_by_pause(channel="channel"):
    """A Q of the rows the pause switches stop, `channel` being the path from a
    row to its channel (none when nothing is paused). Posts, broadcasts and answers
    all wait with their channel."""
    everything, units, channels = paused()
    if everything:
        return Q(pk__isnull=False)
    found = Q(pk__in=[])
    if units:
        found |= Q(**{f"{channel}__unit_id__in": units})
    if channels:
        found |= Q(**{f"{channel}_id__in": channels})
    return found


def due_queryset(now):
    """Due publications that may be attempted now (pauses and channel state apply)."""
    return claimable(now).filter(
        Q(status=S.SCHEDULED, publish_at__lte=now)
        | Q(status=S.RETRYING, next_attempt_at__lte=now)
    )


def claimable(now):
    """Scheduled and retrying publications the dispatcher may attempt once they are
    due: pauses, channel state, one call at a time per channel."""
    qs = Publication.objects.filter(
        status__in=(S.SCHEDULED, S.RETRYING),
        channel__status=ChannelStatus.ACTIVE,
        # An article taken offline after planning is not shared; its publications
        # wait and go out if it comes back.
        page__live=True,
    )
    qs = qs.exclude(stopped_by_pause())
    rate_paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    busy = Publication.objects.filter(status=S.PUBLISHING, lease_until__gt=now).values(
        "channel_id"
    )
    return qs.exclude(channel_id__in=rate_paused).exclude(channel_id__in=busy)


DUE_AT = Case(When(status=S.SCHEDULED, then=F("publish_at")), default="next_attempt_at")


def next_due(now):
    """When a publication may next be claimed: the earliest due time among those
    `claimable` (in the past: now), or the end of a channel's rate pause; None
    when nothing waits for a time. Indexed by status (publication_due_idx)."""
    times = (
        claimable(now).aggregate(at=Min(DUE_AT))["at"],
        ChannelPause.objects.filter(until__gt=now).aggregate(at=Min("until"))["at"],
    )
    return min((at for at in times if at is not None), default=None)


EXPIRED_REASON = gettext_noop(
    "Too late to post automatically: a person decides to post it now or cancel it."
)


def _site_text(message):
    """Stored reasons are in the site's language, whatever thread writes them."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def expire_overdue(now):
    """Never-attempted publications older than the catch-up age: expired."""
    age = datetime.timedelta(seconds=setting("PUBLISHING_CATCH_UP"))
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
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS"))
    candidates = due_queryset(now).order_by("publish_at", "pk")
    if connection.vendor == "postgresql":
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    with transaction.atomic():
        rows = list(candidates.values_list("pk", "channel_id", "status")[:limit])
        Publication.objects.filter(pk__in=[r[0] for r in rows]).update(
            status=S.PUBLISHING, lease_until=lease, leased_by=worker, updated_at=now
        )
    return rows


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


class Heartbeat:
    """Keeps a batch's leases alive while its calls run (Zalo polls, uploads, the
    queue of one channel), so lease recovery never takes a call still in flight,
    or waiting its turn, for a dead one. One thread per batch, not per call. If
    the process dies, the heartbeat dies with it and the leases expire."""

    def __init__(self, worker):
        self.worker = worker
        self.seconds = float(setting("PUBLISHING_LEASE_SECONDS"))
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
