"""Engagement collection: post counts and channel followers, read from the networks.

When a publication becomes `published` with a post id, its `engagement_due_at` is
set `PUBLISHING_ENGAGEMENT_FIRST` seconds later (`first_due`, at most 5 minutes).
Each read moves it by the tier its age is in (`PUBLISHING_ENGAGEMENT_TIERS`, e.g.
hourly to 48 h, 6-hourly to day 7, daily to day 30, weekly to day 90); past the
last tier it becomes None: no longer tracked.

`sync_due` reads what is due, channel by channel, one adapter each, in chunks of
at most 50 posts; each chunk is written (short transaction) before the next call,
so a sync that stops resumes where it stopped: what was read is no longer due, the
rest still is. No transaction is held across a network call.

Storage (the issue's "Storage"): the latest counts on `Publication`; an
`EngagementSnapshot` only when a count changed; after 7 days only the last row of
each day is kept (`roll_up`). A count the network stops giving (a retired metric)
keeps its last known value; a count never known stays None (unknown). A post gone
from the network gets `removed_at`, tracking stops, its snapshots stay. Sizing:
bench/README.md, "Engagement sync and storage".

Rate limits (`RetryLater`) put a `ChannelPause` on the channel (shared with
posting: Graph counts reads and writes alike) and its reads wait until it ends;
`ReconnectNeeded` marks the channel as needing reconnection, its posts stay due
until it is reconnected; other errors are logged, the failed chunk is put back
`ERROR_WAIT` and the other channels go on.
"""

import dataclasses
import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from publishing.lifecycle import (  # noqa: F401  (the read schedule, used here)
    MAX_FIRST_DELAY,
    first_delay,
    first_due,
    next_due,
    tiers,
)
from publishing.metrics import rollups
from publishing.models import (
    COUNTERS,
    Channel,
    ChannelPause,
    ChannelStatus,
    EngagementSnapshot,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
)
from publishing.networks import NetworkError, ReconnectNeeded, RetryLater, adapter_for
from publishing.networks.base import chunks

logger = logging.getLogger("publishing.metrics.engagement")

CHUNK = 50
"""Posts read and written together (one Graph `?ids=` read of counts, one of
insights; 50 `getdetail` calls on Zalo)."""
ERROR_WAIT = datetime.timedelta(minutes=15)
"""A chunk whose read failed for another reason is due again this much later."""
KEEP_ALL_FOR = datetime.timedelta(days=7)
"""Snapshots younger than this are all kept; older ones, the last of each day."""
ROLL_UP_WINDOW = datetime.timedelta(days=7)
"""How far behind `KEEP_ALL_FOR` a roll-up looks (days a stopped scheduler missed)."""
RUN_LIMIT = 10_000
"""Posts one scheduler run reads at most (the rest is due for the next run)."""
FULL_RESYNC_AGE = datetime.timedelta(hours=1)
"""`--all` reads every tracked post not read this recently (so that it resumes)."""


# What is read ----------------------------------------------------------------------
def tracked():
    """Publications whose counts are still read."""
    return Publication.objects.filter(
        status=PublicationStatus.PUBLISHED,
        removed_at__isnull=True,
        engagement_due_at__isnull=False,
    ).exclude(external_id="")


def readable(queryset, now):
    """Leave out channels that cannot be read now: not active, or rate limited."""
    paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    return queryset.filter(channel__status=ChannelStatus.ACTIVE).exclude(
        channel_id__in=paused
    )


def due(now, everything=False):
    """Due publications; with `everything`, all tracked ones not read lately."""
    if everything:
        recent = now - FULL_RESYNC_AGE
        qs = tracked().filter(
            Q(engagement_synced_at__isnull=True) | Q(engagement_synced_at__lt=recent)
        )
    else:
        qs = tracked().filter(engagement_due_at__lte=now)
    return readable(qs, now)


def track_untracked(now):
    """Start tracking published posts that never were (published before tracking
    existed, or imported): those with a post id, younger than the last tier, never
    read. Returns how many."""
    table = tiers()
    if not table:
        return 0
    return (
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED,
            removed_at__isnull=True,
            engagement_due_at__isnull=True,
            engagement_synced_at__isnull=True,
            published_at__gt=now - table[-1][0],
        )
        .exclude(external_id="")
        .update(engagement_due_at=now)
    )


@dataclasses.dataclass
class SyncSummary:
    total: int = 0
    done: int = 0
    calls: int = 0
    errors: int = 0
    snapshots: int = 0
    removed: int = 0
    stopped: list = dataclasses.field(default_factory=list)  # channels left for later
    days_rolled_up: int = 0  # local days whose dashboard roll-ups were adjusted

    def as_dict(self):
        return dataclasses.asdict(self)


FIELDS = ("pk", "channel_id", "external_id", "published_at", *COUNTERS)


def sync_due(now=None, limit=None, progress=None, everything=False):
    """Read the counts of what is due (at most `limit` posts) and store them.
    `progress(summary)` is called after each chunk. Returns a `SyncSummary`."""
    now = now or timezone.now()
    queryset = due(now, everything).order_by("engagement_due_at", "pk")
    rows = list(queryset.values(*FIELDS)[:limit])
    summary = SyncSummary(total=len(rows))
    by_channel = {}
    for row in rows:
        by_channel.setdefault(row["channel_id"], []).append(row)
    channels = Channel.objects.in_bulk(list(by_channel))
    days = set()  # of the posts whose counts changed
    try:
        for channel_id, channel_rows in by_channel.items():
            _sync_channel(
                channels[channel_id], channel_rows, now, summary, progress, days
            )
    finally:  # the roll-ups were adjusted as each chunk was stored
        summary.days_rolled_up = len(days)
    if summary.total:
        logger.info(
            "engagement: %s posts read in %s calls, %s snapshots, %s removed, "
            "%s errors",
            summary.done,
            summary.calls,
            summary.snapshots,
            summary.removed,
            summary.errors,
        )
    return summary


def _sync_channel(channel, rows, now, summary, progress, days):
    try:
        adapter = adapter_for(channel)
    except Exception:
        logger.exception("engagement: no adapter for %s", channel)
        summary.errors += 1
        summary.stopped.append(channel.pk)
        return
    counter = _count_calls(adapter, summary)
    for chunk in chunks(rows, CHUNK):
        try:
            results = adapter.fetch_engagement([row["external_id"] for row in chunk])
        except RetryLater as error:
            _rate_limited(channel, error)
            summary.stopped.append(channel.pk)
            break
        except ReconnectNeeded as error:
            _needs_reconnect(channel, error)
            summary.stopped.append(channel.pk)
            break
        except Exception as error:
            known = isinstance(error, NetworkError)
            logger.log(
                logging.WARNING if known else logging.ERROR,
                "engagement: reading %s failed: %s",
                channel,
                error,
                exc_info=not known,
            )
            summary.errors += 1
            Publication.objects.filter(pk__in=[row["pk"] for row in chunk]).update(
                engagement_due_at=timezone.now() + ERROR_WAIT
            )
            summary.stopped.append(channel.pk)
            break
        finally:
            counter.flush()
        _store(chunk, results, timezone.now(), summary, days)
        if progress:
            progress(summary)


def _count_calls(adapter, summary):
    """Count the HTTP requests the adapter makes (a response hook on its session)."""
    session = getattr(adapter, "session", None) or getattr(
        getattr(adapter, "graph", None), "session", None
    )

    class Counter:
        seen = 0

        def hook(self, response, *args, **kwargs):
            self.seen += 1
            return response

        def flush(self):
            summary.calls += self.seen
            self.seen = 0

    counter = Counter()
    if session is not None:
        session.hooks.setdefault("response", []).append(counter.hook)
    return counter


def _store(chunk, results, now, summary, days):
    """Write one chunk's answers: latest counts, snapshots of changes, removals.
    Posts whose counts did not change (most of them) are updated together, one
    UPDATE per next due time; a changed post has an UPDATE of its own (Django's
    `bulk_update` spent 90 % of a sync's CPU building its CASE expressions)."""
    snapshots, changed, removed, unchanged = [], [], [], {}
    for row in chunk:
        engagement = results.get(row["external_id"])
        if engagement is None:
            continue  # not answered: stays due
        summary.done += 1
        if engagement.removed:
            removed.append(row["pk"])
            continue
        latest = {name: row[name] for name in COUNTERS}
        for name in COUNTERS:
            value = getattr(engagement, name)
            if value is not None and value != latest[name]:
                latest[name] = value
        following = next_due(row["published_at"], now)
        if latest == {name: row[name] for name in COUNTERS}:
            unchanged.setdefault(following, []).append(row["pk"])
            continue
        changed.append((row["pk"], latest, following))
        snapshots.append(
            EngagementSnapshot(publication_id=row["pk"], captured_at=now, **latest)
        )
    publications = Publication.objects
    with transaction.atomic():
        # First, while the posts still hold their old counts (it locks them):
        # the roll-ups get the difference to the new ones.
        days.update(
            rollups.add_count_changes({pk: latest for pk, latest, _f in changed})
        )
        for following, pks in unchanged.items():
            publications.filter(pk__in=pks).update(
                engagement_synced_at=now, engagement_due_at=following
            )
        for pk, latest, following in changed:
            publications.filter(pk=pk).update(
                engagement_synced_at=now, engagement_due_at=following, **latest
            )
        if removed:
            publications.filter(pk__in=removed).update(
                engagement_synced_at=now, engagement_due_at=None, removed_at=now
            )
        EngagementSnapshot.objects.bulk_create(snapshots)
    summary.removed += len(removed)
    summary.snapshots += len(snapshots)


def _rate_limited(channel, error):
    until = timezone.now() + error.after
    ChannelPause.extend_until(channel, until, error.message)
    logger.info("engagement: %s rate limited, reads resume at %s", channel, until)


def _needs_reconnect(channel, error):
    channel.mark_needs_reconnect(error.message)
    logger.warning("engagement: %s needs reconnecting: %s", channel, error.message)


# Followers -------------------------------------------------------------------------
def sync_followers(now=None):
    """Each active channel's followers: `Channel.followers` and the day's
    `FollowerSnapshot` (one row per channel per day, the day's latest reading).
    Returns {"channels", "read", "errors"}."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    channels = list(readable_channels(now))
    read = errors = 0
    for channel in channels:
        try:
            followers = adapter_for(channel).fetch_followers()
        except Exception as error:
            errors += 1
            if isinstance(error, RetryLater):
                _rate_limited(channel, error)
            elif isinstance(error, ReconnectNeeded):
                _needs_reconnect(channel, error)
            else:
                logger.warning("followers of %s: %s", channel, error)
            continue
        if not isinstance(followers, int) or isinstance(followers, bool):
            continue
        with transaction.atomic():
            FollowerSnapshot.objects.update_or_create(
                channel=channel,
                captured_on=day,
                defaults={"followers": max(0, followers), "captured_at": now},
            )
            Channel.objects.filter(pk=channel.pk).update(followers=max(0, followers))
        read += 1
    return {"channels": len(channels), "read": read, "errors": errors}


def readable_channels(now):
    paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    return Channel.objects.filter(status=ChannelStatus.ACTIVE).exclude(pk__in=paused)


# Roll-up ---------------------------------------------------------------------------
def roll_up(now=None, window=ROLL_UP_WINDOW):
    """Snapshots older than `KEEP_ALL_FOR` (and at most `window` older than that):
    only the last of each local day per publication stays. Returns rows deleted."""
    now = now or timezone.now()
    cutoff = now - KEEP_ALL_FOR
    snapshots = EngagementSnapshot.objects.annotate(day=TruncDate("captured_at"))
    later = snapshots.filter(
        publication_id=OuterRef("publication_id"),
        captured_at__gt=OuterRef("captured_at"),
        day=OuterRef("day"),
    )
    deleted = 0
    start = cutoff - window
    while start < cutoff:  # a day at a time: the ids of one day fit in memory
        end = min(start + datetime.timedelta(days=1), cutoff)
        doomed = snapshots.filter(captured_at__gte=start, captured_at__lt=end)
        ids = list(doomed.filter(Exists(later)).values_list("pk", flat=True))
        for batch in chunks(ids, 5000):
            deleted += EngagementSnapshot.objects.filter(pk__in=batch).delete()[0]
        start = end
    if deleted:
        logger.info("engagement: rolled up, %s snapshots removed", deleted)
    return deleted
