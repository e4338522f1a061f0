"""The dispatcher: due publications out to the networks, never twice, never lost.

1. Claim: due publications get a lease (status `publishing`, `lease_until`,
   `leased_by`) in one short transaction - `select_for_update(skip_locked=True)`
   on PostgreSQL, an IMMEDIATE transaction on SQLite. No transaction is ever held
   across a network call. A full batch is followed by the next at once.
2. Send: a thread pool, one publication at a time per channel, at most
   PUBLISHING_WORKERS network calls in flight; preparing the next publication
   and recording the last one overlap with the calls. The payload is stored
   before it is sent; every attempt is a PublishAttempt row.
3. Record: the typed error decides the next status (docs/architecture.md, "Life cycle").

An unknown outcome (`unconfirmed`, or a lease that expired mid-call) is reconciled
with `find_published` before any new attempt (guarantee 1).

This module holds the batch loop (`dispatch_due`, `dispatch_all`, one channel's
queue per thread) and the public API; the parts live in `claims` (due
publications, pauses, claiming, leases and their heartbeat), `send` (one
publication sent and its outcome recorded) and `reconcile` (unknown outcomes,
lease recovery, held publications released). Log records go to the
`publishing.outbox.dispatcher` logger from every part.
"""

import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.utils import timezone

from publishing.conf import setting
from publishing.models import AttemptOutcome
from publishing.networks import adapter_for
from publishing.outbox import broadcasts
from publishing.outbox.broadcasts import dispatch_broadcasts
from publishing.outbox.claims import (
    EXPIRED_REASON,
    STOPPING,
    Heartbeat,
    _release,
    claim,
    db_phase,
    default_worker,
    due_queryset,
    expire_overdue,
)
from publishing.outbox.claims import next_due as next_publication
from publishing.outbox.reconcile import (
    INTERRUPTED_REASON,
    on_channel_saved,
    reconcile_unconfirmed,
    recover_leases,
    release_held,
)
from publishing.outbox.send import BACKOFF_BASE, Batch, backoff, publish_one
from publishing.signals import publications_changed

__all__ = [
    "BACKOFF_BASE",
    "Batch",
    "DispatchPool",
    "EXPIRED_REASON",
    "INTERRUPTED_REASON",
    "STOPPING",
    "Heartbeat",
    "adapter_for",
    "backoff",
    "claim",
    "db_phase",
    "default_worker",
    "dispatch_all",
    "dispatch_broadcasts",
    "dispatch_due",
    "next_due",
    "due_queryset",
    "expire_overdue",
    "on_channel_saved",
    "publish_one",
    "reconcile_unconfirmed",
    "recover_leases",
    "release_held",
]

logger = logging.getLogger("publishing.outbox.dispatcher")


# Dispatching --------------------------------------------------------------------
def dispatch_due(now=None, worker=None, limit=None, pool=None):
    """Claim and send what is due; returns {"claimed", "expired", outcome: n}.
    `pool`: the threads of a `dispatch_all`; without one, threads for this batch."""
    now = now or timezone.now()
    worker = worker or default_worker()
    limit = limit or setting("PUBLISHING_CLAIM_LIMIT")
    summary = {"expired": expire_overdue(now)}
    rows = claim(now, worker, limit)
    summary["claimed"] = len(rows)
    groups = {}
    for pk, channel_id, status in rows:
        groups.setdefault(channel_id, []).append((pk, status))
    workers = max(1, int(setting("PUBLISHING_WORKERS")))
    # Twice as many threads as calls in flight: while one thread waits for the
    # network, another prepares (database, payload) or records.
    calls = threading.BoundedSemaphore(workers)
    batch = Batch([pk for pk, _channel, _status in rows]) if rows else None
    with Heartbeat(worker) if rows else contextlib.nullcontext():
        if len(groups) <= 1 or workers == 1:
            results = [
                _run_group(items, worker, calls, batch) for items in groups.values()
            ]
        else:
            threads = pool or DispatchPool(min(2 * workers, len(groups)))
            try:
                results = threads.run(
                    [(items, worker, calls, batch) for items in groups.values()]
                )
            finally:
                if pool is None:
                    threads.close()
    for outcomes in results:
        for outcome in outcomes:
            summary[outcome] = summary.get(outcome, 0) + 1
    if rows:  # the days of what went out, in the dashboard's roll-ups
        publications_changed.send(
            sender=__name__, publication_ids=[pk for pk, _channel, _status in rows]
        )
    return summary


def dispatch_all(worker=None):
    """Dispatch batch after batch while batches come back full: a backlog (after
    downtime, a campaign going out at once) drains at the network's pace instead
    of one claim limit per scheduler interval. Summaries are added up. The batches
    share one set of threads (`DispatchPool`). Then the broadcasts due
    (`broadcasts.dispatch_broadcasts`), their counts as `broadcast_<what>`."""
    total = {}
    limit = setting("PUBLISHING_CLAIM_LIMIT")
    workers = max(1, int(setting("PUBLISHING_WORKERS")))
    pool = DispatchPool(2 * workers)
    try:
        while True:
            summary = dispatch_due(worker=worker, limit=limit, pool=pool)
            for key, count in summary.items():
                total[key] = total.get(key, 0) + count
            if summary["claimed"] < limit or STOPPING.is_set():
                break
    finally:
        pool.close()
    # After the publications: a broadcast waits for its article to be verified.
    for key, count in dispatch_broadcasts(worker=worker).items():
        total[f"broadcast_{key}"] = count
    return total


def next_due(now=None):
    """When `dispatch_all` next has work: the earliest of the publications'
    (`claims.next_due`) and the broadcasts' due times; None: nothing planned."""
    now = now or timezone.now()
    times = (next_publication(now), broadcasts.next_due(now))
    return min((at for at in times if at is not None), default=None)


class DispatchPool:
    """Threads that send one channel's publications each, kept from batch to batch
    of a `dispatch_all` so that each keeps its database connection: threads made
    per batch opened a connection each per batch (on PostgreSQL a server process
    to start and authenticate; bench/README.md). Started on first use. `close()`
    closes every thread's connection in that thread (a Django connection belongs
    to its thread): a barrier makes each thread take exactly one closing task."""

    def __init__(self, size):
        self.size = size
        self.executor = None

    def run(self, jobs):
        """`_run_group(*job)` for each job, on the pool's threads; their results."""
        if self.executor is None:
            self.executor = ThreadPoolExecutor(self.size, thread_name_prefix="dispatch")
        futures = [self.executor.submit(_run_group, *job) for job in jobs]
        return [future.result() for future in futures]

    def close(self):
        if self.executor is None:
            return
        barrier = threading.Barrier(self.size)

        def close_connection():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            connection.close()

        for _ in range(self.size):
            self.executor.submit(close_connection)
        self.executor.shutdown(wait=True)
        self.executor = None


def _run_group(items, worker, calls, batch):
    """One channel's claimed publications, one after another."""
    outcomes = []
    for index, (pk, _status) in enumerate(items):
        if STOPPING.is_set():
            _release(items[index:], worker, held=False)
            break
        try:
            outcome = publish_one(pk, worker, calls, batch)
        except Exception:  # a bug of ours: the lease expires, reconcile decides
            logger.exception("dispatch of publication %s failed", pk)
            outcome = AttemptOutcome.UNKNOWN
        outcomes.append(outcome)
        if outcome in (AttemptOutcome.RETRY, AttemptOutcome.HELD):
            _release(items[index + 1 :], worker, held=outcome == AttemptOutcome.HELD)
            break
    return outcomes
