"""Keeping the daily roll-ups (`ChannelDay`, `ArticleDay`) equal to the posts.

The rows of a local day are recomputed from that day's posts, all of them in one
transaction, so a refresh that runs twice or late still leaves them right. One
exception: the engagement sync's new counts are added to the rows as differences
(`add_count_changes`, in the sync's own transaction, under the same lock), since a
sync run reads posts of up to 90 days and recomputing those days took ~14 s a run
at 1,000 channels. Who refreshes what:

- the dispatcher, after each batch, the days of the posts it published;
- the engagement sync, as it stores counts, the rows of the posts whose counts
  changed (by difference);
- the actions on one post (mark posted, withdraw, ...), that post's day;
- publishing an article (its campaign or target groups may have changed), and
  moving a channel to another unit, the days of their posts;
- deleting published posts (an article deleted with its posts), their days, once
  the deletion is committed;
- the scheduler, every night, everything (`rebuild`): whatever a crash between a
  change and its refresh left behind is right again by the morning; at its start,
  everything only when there are no roll-ups yet, else today and yesterday
  (`catch_up`).

`python manage.py rebuild_rollups` does the same by hand (after a restore, say).
"""

import datetime
import itertools
import logging
import threading

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from publishing.models import (
    COUNTERS,
    ENGAGEMENT_COUNTERS,
    EVERY_GROUP,
    ArticleDay,
    ChannelDay,
    Publication,
    PublicationStatus,
)
from publishing.models.functions import LocalDate, local_range
from publishing.outbox.locks import lock_key

logger = logging.getLogger(__name__)

DAYS_PER_TRANSACTION = 31


def local_day(moment):
    return timezone.localtime(moment).date()


def figures():
    """The roll-up's sums over a queryset of posts (latest counters)."""
    engagement = sum((Coalesce(F(name), 0) for name in ENGAGEMENT_COUNTERS), Value(0))
    # reach_unknown first: once "reach" names the sum, Q(reach...) would mean it.
    return {
        "reach_unknown": Count("pk", filter=Q(reach__isnull=True)),
        "posts": Count("pk"),
        "reach": Coalesce(Sum("reach"), 0),
        "engagements": Coalesce(Sum(engagement), Value(0)),
    }


def _posts(first, last):
    lower, upper = local_range(first, last)
    return Publication.objects.filter(
        status=PublicationStatus.PUBLISHED,
        published_at__gte=lower,
        published_at__lt=upper,
    ).order_by()


def _compute(first, last):
    """The roll-up rows of the local days `first` to `last`, from their posts."""
    offset = local_range(first, first)[0].utcoffset().total_seconds()
    posts = _posts(first, last).annotate(day=LocalDate("published_at", offset))
    sums = figures()
    channel_sums = {**sums, "later_rounds": Count("pk", filter=Q(round__gt=1))}
    keys = ("page__campaign_id", "channel_id", "day")
    every = posts.values(*keys).annotate(**channel_sums)
    grouped = (
        posts.filter(page__target_groups__isnull=False)
        .values(*keys, "page__target_groups")
        .annotate(**channel_sums)
    )
    rows = [
        ChannelDay(
            campaign_id=row["page__campaign_id"],
            channel_id=row["channel_id"],
            day=row["day"],
            group=row.get("page__target_groups", EVERY_GROUP),
            **{name: row[name] for name in ChannelDay.FIGURES},
        )
        for row in itertools.chain(every, grouped)
    ]
    articles = []
    by_article = posts.filter(page__campaign__isnull=False).values(
        "page__campaign_id", "page_id", "channel__unit_id", "channel__network", "day"
    )
    for row in by_article.annotate(**sums):
        articles.append(
            ArticleDay(
                campaign_id=row["page__campaign_id"],
                page_id=row["page_id"],
                unit_id=row["channel__unit_id"],
                network=row["channel__network"],
                day=row["day"],
                **{name: row[name] for name in ArticleDay.FIGURES},
            )
        )
    return rows, articles


def _lock():
    """Refreshes of the same days must not interleave (delete, delete, insert,
    insert): on PostgreSQL a transaction advisory lock; SQLite's writers are
    serialised already (IMMEDIATE transactions, cms/settings/base.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key("rollups")])


def runs(days):
    """Sorted days as (first, last) runs of consecutive days."""
    result = []
    for day in sorted(set(days)):
        if result and day == result[-1][1] + datetime.timedelta(days=1):
            result[-1][1] = day
        else:
            result.append([day, day])
    return [tuple(run) for run in result]


def refresh_days(days):
    """Recompute the roll-up rows of these local days. Returns how many days."""
    days = set(days)
    for first, last in runs(days):
        while first <= last:
            end = min(last, first + datetime.timedelta(days=DAYS_PER_TRANSACTION - 1))
            _refresh_range(first, end)
            first = end + datetime.timedelta(days=1)
    return len(days)


def _refresh_range(first, last):
    with transaction.atomic():
        _lock()  # then read: a refresh that waited sees what the other committed
        rows, articles = _compute(first, last)
        ChannelDay.objects.filter(day__gte=first, day__lte=last).delete()
        ArticleDay.objects.filter(day__gte=first, day__lte=last).delete()
        ChannelDay.objects.bulk_create(rows, batch_size=2000)
        ArticleDay.objects.bulk_create(articles, batch_size=2000)


def add_count_changes(changes):
    """Inside the engagement sync's transaction, before it stores the new counts:
    `changes` {publication id: new counters}. The posts are locked and their
    counters as they stand read; each roll-up row a published post counts in (its
    channel's day, every post and each target group; its article's day) gets the
    difference of its reach, posts of unknown reach and engagements. A row not
    there yet (the day's refresh still to come) is left to that refresh, which
    reads the posts' new counters. Returns the local days adjusted."""
    from cms.content.models import ArticlePage

    posts = list(
        Publication.objects.select_for_update(of=("self",))
        .filter(
            pk__in=list(changes),
            status=PublicationStatus.PUBLISHED,
            published_at__isnull=False,
        )
        .values(
            *COUNTERS,
            "pk",
            "page_id",
            "page__campaign_id",
            "channel_id",
            "channel__unit_id",
            "channel__network",
            "published_at",
        )
    )
    groups = {}
    through = ArticlePage.target_groups.through.objects.filter(
        articlepage_id__in={post["page_id"] for post in posts}
    )
    for page_id, group_id in through.values_list("articlepage_id", "targetgroup_id"):
        groups.setdefault(page_id, []).append(group_id)
    by_channel, by_article = {}, {}
    for post in posts:
        difference = _difference(post, changes[post["pk"]])
        if not any(difference):
            continue
        day, campaign = local_day(post["published_at"]), post["page__campaign_id"]
        for group in [EVERY_GROUP, *groups.get(post["page_id"], [])]:
            key = (campaign, post["channel_id"], day, group)
            by_channel[key] = _plus(by_channel.get(key), difference)
        if campaign is not None:
            unit, network = post["channel__unit_id"], post["channel__network"]
            key = (campaign, post["page_id"], unit, network, day)
            by_article[key] = _plus(by_article.get(key), difference)
    if not by_channel:
        return set()
    _lock()
    for (campaign, channel, day, group), difference in by_channel.items():
        ChannelDay.objects.filter(
            campaign_id=campaign, channel_id=channel, day=day, group=group
        ).update(**_increments(difference))
    for (campaign, page, unit, network, day), difference in by_article.items():
        ArticleDay.objects.filter(
            campaign_id=campaign, page_id=page, unit_id=unit, network=network, day=day
        ).update(**_increments(difference))
    return {key[2] for key in by_channel}


def _difference(old, new):
    """(reach, posts of unknown reach, engagements) of `new` minus `old`, as the
    roll-ups count them (unknown reach adds nothing and is counted apart)."""

    def engagements(counters):
        return sum(counters.get(name) or 0 for name in ENGAGEMENT_COUNTERS)

    return (
        (new.get("reach") or 0) - (old.get("reach") or 0),
        (new.get("reach") is None) - (old.get("reach") is None),
        engagements(new) - engagements(old),
    )


def _plus(total, difference):
    return (
        difference
        if total is None
        else tuple(map(sum, zip(total, difference, strict=True)))
    )


def _increments(difference):
    reach, unknown, engagements = difference
    return {
        "reach": F("reach") + reach,
        "reach_unknown": F("reach_unknown") + unknown,
        "engagements": F("engagements") + engagements,
    }


def refresh_publications(publications):
    """After a change to these posts (instances or ids)."""
    ids = [getattr(p, "pk", p) for p in publications]
    moments = Publication.objects.filter(pk__in=ids, published_at__isnull=False)
    moments = moments.values_list("published_at", flat=True)
    return refresh_days(local_day(m) for m in moments)


def refresh_pages(page_ids):
    """After an article changed (its campaign, its target groups)."""
    moments = Publication.objects.filter(
        page_id__in=page_ids, status=PublicationStatus.PUBLISHED
    ).values_list("published_at", flat=True)
    return refresh_days(local_day(m) for m in moments.distinct())


def refresh_channel(channel_id):
    """After a channel moved to another unit."""
    moments = Publication.objects.filter(
        channel_id=channel_id, status=PublicationStatus.PUBLISHED
    ).values_list("published_at", flat=True)
    return refresh_days(local_day(m) for m in moments.distinct())


def rebuild():
    """Every roll-up row again from the posts; rows of days without posts go.
    Returns how many days were recomputed."""
    bounds = (
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED, published_at__isnull=False
        )
        .order_by()
        .aggregate(first=Min("published_at"), last=Max("published_at"))
    )
    if bounds["first"] is None:
        with transaction.atomic():
            _lock()
            ChannelDay.objects.all().delete()
            ArticleDay.objects.all().delete()
        return 0
    first, last = local_day(bounds["first"]), local_day(bounds["last"])
    with transaction.atomic():
        _lock()
        outside = Q(day__lt=first) | Q(day__gt=last)
        ChannelDay.objects.filter(outside).delete()
        ArticleDay.objects.filter(outside).delete()
    days = (last - first).days + 1
    return refresh_days(first + datetime.timedelta(days=n) for n in range(days))


def catch_up():
    """What a scheduler's start needs: everything rebuilt when there are posts and
    no roll-ups at all (a database migrated from before them, or restored without
    them); else today and yesterday again (what a dispatcher killed between a batch
    and its refresh left). Older days wait for the nightly rebuild."""
    posts = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
    if posts.exists() and not ChannelDay.objects.exists():
        return {"rebuilt": rebuild()}
    today = timezone.localdate()
    return {"refreshed": refresh_days([today - datetime.timedelta(days=1), today])}


# Receivers (connected in apps.py) -------------------------------------------------
def on_publications_changed(sender, publication_ids, **kwargs):
    """Publications sent, reconciled or acted on: their days are counted again."""
    refresh_publications(publication_ids)


def on_page_published(sender, instance, **kwargs):
    """An article published again may have another campaign or other groups."""
    refresh_pages([instance.pk])


def on_channel_pre_save(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        stored = type(instance).objects.filter(pk=instance.pk)
        instance._unit_before_save = stored.values_list("unit_id", flat=True).first()


def on_channel_saved(sender, instance, created=False, raw=False, **kwargs):
    """A channel moved to another unit takes its posts' figures with it."""
    before = getattr(instance, "_unit_before_save", None)
    if not created and not raw and before is not None and before != instance.unit_id:
        refresh_channel(instance.pk)


# Days of published posts deleted in this thread's transaction, refreshed once it
# commits. A rolled-back deletion leaves days behind: the next commit refreshes
# them too, which is harmless (a refresh recomputes a day from what is there).
_deleted = threading.local()


def on_publication_deleted(sender, instance, **kwargs):
    """A published post deleted (with its article, say) leaves its day's rows."""
    if instance.status != PublicationStatus.PUBLISHED or not instance.published_at:
        return
    days = _deleted.__dict__.setdefault("days", set())
    days.add(local_day(instance.published_at))
    transaction.on_commit(_refresh_deleted)  # one per post; all but one find none


def _refresh_deleted():
    days, _deleted.days = getattr(_deleted, "days", set()), set()
    if days:
        refresh_days(days)
