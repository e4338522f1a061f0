"""Collecting comments under our Facebook posts into `Question` rows.

Every run (`collect_comments`, a scheduler job every
`PUBLISHING_QUESTIONS_INTERVAL` seconds, 10 minutes by default so that a comment is
in the inbox within 15): per active Facebook Page, one batched `?ids=` read per 50
posts (`FacebookNetwork.fetch_comments`) of
- every post published in the last `YOUNG` (7 days), and
- older posts whose comment count, read with their engagement
  (`Publication.comments`), has grown past the count seen at their last read
  (`CommentWatch.comments_seen`): an old post costs nothing until someone comments.
A post with more than 25 comments since the last read is paged on its own edge.
Rows are keyed by (channel, comment id): reading again never duplicates. The Page's
own replies are not questions. A Page whose token lacks `pages_read_user_content`
is recorded on its `InboxAccess` (the inbox says so, its managers are told once by
an incident) and left alone until it is reconnected; its posting is untouched.

Nothing personal is logged: counts and channel ids only.
"""

import dataclasses
import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from publishing.models import (
    Channel,
    ChannelPause,
    ChannelStatus,
    CommentWatch,
    InboxAccess,
    Network,
    Publication,
    PublicationStatus,
    Question,
    QuestionKind,
)
from publishing.networks import NetworkError, ReconnectNeeded, RetryLater, adapter_for

logger = logging.getLogger("publishing.inbox")

YOUNG = datetime.timedelta(days=7)
"""Posts this young are read every run; older ones when their count grows."""
PERMISSIONS = ("pages_read_user_content", "pages_manage_engagement")
"""What Facebook wants for reading comments, and for replying and hiding."""


@dataclasses.dataclass
class Collected:
    posts: int = 0
    calls: int = 0
    new: int = 0
    channels_lacking: list = dataclasses.field(default_factory=list)


def collect_comments(now=None):
    """One run over every readable Facebook Page. Returns a `Collected`."""
    now = now or timezone.now()
    summary = Collected()
    for channel in _readable_pages(now):
        watched = list(_posts_to_read(channel, now))
        if watched:
            _collect_channel(channel, watched, now, summary)
    if summary.posts:
        logger.info(
            "inbox: %s posts read in %s calls, %s new comments",
            summary.posts,
            summary.calls,
            summary.new,
        )
    return summary


def _readable_pages(now):
    paused = ChannelPause.objects.filter(until__gt=now).values("channel_id")
    lacking = InboxAccess.objects.lacking().values("channel_id")
    return (
        Channel.objects.filter(network=Network.FACEBOOK, status=ChannelStatus.ACTIVE)
        .exclude(pk__in=paused)
        .exclude(pk__in=lacking)
    )


def _posts_to_read(channel, now):
    posts = Publication.objects.filter(
        channel=channel, status=PublicationStatus.PUBLISHED, removed_at__isnull=True
    ).exclude(external_id="")
    young = Q(published_at__gte=now - YOUNG)
    grown = Q(comments__gt=0) & (
        Q(comment_watch__isnull=True)
        | Q(comments__gt=F("comment_watch__comments_seen"))
    )
    return posts.filter(young | grown).values_list(
        "pk", "external_id", "comment_watch__newest_at"
    )


def _collect_channel(channel, watched, now, summary):
    adapter = adapter_for(channel)
    calls = _count_calls(adapter)
    stop_at = {external: newest for _pk, external, newest in watched if newest}
    try:
        read = adapter.fetch_comments([e for _pk, e, _n in watched], stop_at)
    except ReconnectNeeded as error:
        _lacking(channel, error, now, summary)
        return
    except RetryLater as error:
        ChannelPause.extend_until(channel, now + error.after, error.message)
        return
    except NetworkError as error:
        logger.warning("inbox: reading comments of channel %s failed", channel.pk)
        logger.debug("inbox: %s", error.code)
        return
    finally:
        summary.calls += calls()
    summary.posts += len(watched)
    for pk, external_id, _newest in watched:
        found = read.get(external_id)
        if found is not None and not found.removed:
            summary.new += store_comments(channel, pk, external_id, found, now)
    InboxAccess.objects.update_or_create(
        channel=channel,
        defaults={"missing_permissions": [], "checked_at": now, "collected_at": now},
    )


def _lacking(channel, error, now, summary):
    """A permission refused: recorded, the channel's posting untouched. A token
    refused altogether (190) is the channel check's business."""
    if error.code not in (10,) and not (error.code and 200 <= error.code <= 299):
        logger.warning("inbox: channel %s refused its token", channel.pk)
        return
    missing = [error.permission] if error.permission else list(PERMISSIONS)
    InboxAccess.objects.update_or_create(
        channel=channel, defaults={"missing_permissions": missing, "checked_at": now}
    )
    summary.channels_lacking.append(channel.pk)
    logger.info("inbox: channel %s lacks %s", channel.pk, ", ".join(missing))


def store_comments(channel, publication_id, post_id, found, now):
    """Store one post's comments read; returns how many were new."""
    incoming = [c for c in found.comments if c.external_id and c.received_at]
    known = set(
        Question.objects.filter(
            channel=channel, external_id__in=[c.external_id for c in incoming]
        ).values_list("external_id", flat=True)
    )
    fresh = [
        Question(
            channel=channel,
            network=channel.network,
            kind=QuestionKind.COMMENT,
            publication_id=publication_id,
            post_external_id=post_id,
            external_id=c.external_id,
            parent_external_id=c.parent_id,
            author_name=c.author_name[:200],
            text=c.text,
            received_at=c.received_at,
            collected_at=now,
        )
        for c in incoming
        if c.external_id not in known
    ]
    newest = max((c.received_at for c in incoming), default=None)
    with transaction.atomic():
        # ignore_conflicts: a webhook or another run may have stored one meanwhile.
        Question.objects.bulk_create(fresh, ignore_conflicts=True)
        watch, _ = CommentWatch.objects.get_or_create(publication_id=publication_id)
        watch.read_at = now
        watch.comments_seen = found.total
        if newest and (watch.newest_at is None or newest > watch.newest_at):
            watch.newest_at = newest
        watch.save()
    return len(fresh)


def _count_calls(adapter):
    """A function giving the HTTP requests the adapter made since (a response hook
    on its session)."""
    session = getattr(getattr(adapter, "graph", None), "session", None)
    seen = []
    if session is not None:
        session.hooks.setdefault("response", []).append(
            lambda response, *a, **k: seen.append(1)
        )
    return lambda: len(seen)
