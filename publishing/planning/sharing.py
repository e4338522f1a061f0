"""Share plans -> publications, exactly once per share round; what was not approved
waits as a share request.

The first time a page goes live with share plans, round 1 is created. Publishing an
edited page again never re-shares it (guarantee 4): only a person's "share again"
starts a new round. `create_round` is idempotent per round: the unique (page,
channel, round) constraint and `get_or_create` make a second call create nothing.

What goes out was approved (guarantee 5): a plan on a channel the person who put the
page live may not approve becomes a pending `ShareRequest` instead of a publication.
Code paths without a person (management commands, demo data) are trusted.
"""

import datetime
import logging
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from publishing.lifecycle import NOT_A_SHARE
from publishing.models import (
    Broadcast,
    Network,
    Publication,
    PublicationStatus,
    SharePlan,
    ShareRequest,
    ShareRequestStatus,
)
from publishing.permissions import may
from publishing.planning.slots import default_time

logger = logging.getLogger(__name__)


def next_round(page):
    current = Publication.objects.filter(page=page).aggregate(m=Max("round"))["m"]
    return (current or 0) + 1


def may_approve(user, channel):
    """May `user` let a share go out on `channel` without a request? None: trusted."""
    return user is None or may(user, "approve", channel)


class Frozen(NamedTuple):
    """What was approved with the article for one channel: its first plan's text,
    kind of post and video (None: the article's featured video)."""

    message: str = ""
    kind: str = ""
    video: object = None


def frozen_text(page, channel):
    """The `Frozen` plan of `page` on `channel`, or the defaults."""
    plan = (
        SharePlan.objects.filter(page_id=page.pk, channel=channel)
        .select_related("video")
        .order_by("sort_order", "pk")
        .first()
    )
    return Frozen(plan.message, plan.kind, plan.video) if plan else Frozen()


def create_round(page, user=None, round=1):
    """One scheduled Publication per SharePlan of `page` in share round `round`.

    Returns the publications created by this call (none if the round exists).
    Several plans for one channel give one publication (the first plan wins). A plan
    on a channel `user` may not approve becomes a pending ShareRequest instead.
    """
    now = timezone.now()
    created = []
    seen = set()
    plans = SharePlan.objects.filter(page_id=page.pk).select_related("channel", "video")
    for plan in plans.order_by("sort_order", "pk"):
        if plan.channel_id in seen:
            continue
        seen.add(plan.channel_id)
        fields = {"message": plan.message, "kind": plan.kind, "video": plan.video}
        if not may_approve(user, plan.channel):
            request_share(
                page,
                plan.channel,
                user,
                publish_at=plan.publish_at,
                **fields,
                **planned_broadcast(plan),
            )
            continue
        try:
            with transaction.atomic():
                publication, made = Publication.objects.get_or_create(
                    page_id=page.pk,
                    channel_id=plan.channel_id,
                    round=round,
                    defaults={
                        "plan": plan,
                        "publish_at": plan.publish_at
                        or default_time(plan.channel, now),
                        "status": PublicationStatus.SCHEDULED,
                        **fields,
                    },
                )
        except IntegrityError:  # made by a concurrent call at the same moment
            continue
        if made:
            created.append(publication)
            if plan.broadcast:
                add_broadcast(publication, plan.audience, user)
    if created:
        logger.info(
            "share round %s of page %s: %s publication(s)", round, page.pk, len(created)
        )
        log(
            instance=page,
            action="publishing.plan",
            user=user,
            data={
                "round": round,
                "channels": [str(p.channel) for p in created],
                "times": [p.publish_at.isoformat() for p in created],
            },
        )
    return created


def planned_broadcast(plan):
    """A plan's broadcast, as the request or publication made of it carries it."""
    if not plan.broadcast or plan.channel.network != Network.ZALO:
        return {}
    return {"broadcast": True, "audience": plan.audience or {}}


def add_broadcast(publication, audience=None, user=None, send_at=None):
    """The broadcast of `publication`'s article to the OA's followers, its audience
    frozen now; due with the article (the outbox sends it once the article is
    verified, between 06:00 and 21:59). One per publication: a second call
    returns the first (a resend is `outbox.broadcasts.resend`)."""
    if publication.channel.network != Network.ZALO:
        return None
    existing = publication.broadcasts.filter(resend_of=None).first()
    if existing is not None:
        return existing
    return Broadcast.objects.create(
        publication=publication,
        audience=audience or {},
        send_at=send_at or publication.publish_at,
        created_by=user,
    )


def add_publication(
    page,
    channel,
    *,
    round=None,
    message="",
    kind="",
    video=None,
    publish_at=None,
    link_code=None,
):
    """A scheduled publication of `page` on `channel` in share round `round` (by
    default a new one; a round taken meanwhile on this channel moves to the next);
    `video`, a video post's media item (None: the featured video); `link_code`, the
    short link an approved request showed (None: a new one)."""
    now = timezone.now()
    plan = SharePlan.objects.filter(page_id=page.pk, channel=channel).first()
    for _try in range(3):
        code = {"link_code": link_code} if link_code else {}
        try:
            with transaction.atomic():
                return Publication.objects.create(
                    page_id=page.pk,
                    channel=channel,
                    plan=plan,
                    round=round or next_round(page),
                    publish_at=max(publish_at or default_time(channel, now), now),
                    message=message,
                    kind=kind,
                    video=video,
                    status=PublicationStatus.SCHEDULED,
                    **code,
                )
        except IntegrityError:  # another round was made at the same moment
            # (or, once in ~10^12, the request's code is another post's: a new one)
            round = link_code = None
    raise IntegrityError(f"no free share round for page {page.pk} on {channel}")


def new_round(
    page, channels, *, message=None, publish_at=None, broadcast=False, audience=None
):
    """Publications of one new share round on `channels` (already approved).

    `message` None keeps each channel's planned text and kind (what was approved
    with the article); a given message replaces the text, the kind and video stay.
    `broadcast`: each Zalo OA's publication is also sent to its followers.
    """
    made = []
    round = next_round(page)
    for channel in channels:
        planned = frozen_text(page, channel)
        publication = add_publication(
            page,
            channel,
            round=round,
            message=planned.message if message is None else message,
            kind=planned.kind,
            video=planned.video,
            publish_at=publish_at,
        )
        if broadcast:
            add_broadcast(publication, audience)
        made.append(publication)
    return made


def request_share(
    page,
    channel,
    user,
    *,
    message="",
    kind="",
    video=None,
    publish_at=None,
    broadcast=False,
    audience=None,
    broadcast_for=None,
):
    """A pending ShareRequest (one per page and channel while it waits; a
    broadcast of a post already out, `broadcast_for`, one per publication)."""
    waiting = ShareRequest.objects.filter(
        page_id=page.pk,
        channel=channel,
        status=ShareRequestStatus.PENDING,
        broadcast_for=broadcast_for,
    ).first()
    if waiting:
        return waiting
    return ShareRequest.objects.create(
        page_id=page.pk,
        channel=channel,
        message=message,
        kind=kind,
        video=video,
        publish_at=publish_at,
        requested_by=user,
        broadcast=bool(broadcast) and channel.network == Network.ZALO,
        audience=audience or {},
        broadcast_for=broadcast_for,
    )


# A share "already exists" when the same article goes to the same channel this close
# to the planned time, unless that one was cancelled or failed (`NOT_A_SHARE`).
NEAR = datetime.timedelta(hours=1)


def existing_near(page, channel, publish_at=None):
    """Publications of `page` on `channel` within NEAR of `publish_at` (empty: when
    a share without a time would go out), not cancelled or failed."""
    at = publish_at or default_time(channel, timezone.now())
    return (
        Publication.objects.filter(
            page_id=page.pk,
            channel=channel,
            publish_at__gte=at - NEAR,
            publish_at__lte=at + NEAR,
        )
        .exclude(status__in=NOT_A_SHARE)
        .order_by("publish_at", "pk")
    )


def share_again(page, user=None):
    """A new share round on every planned channel, with no permission checks (for
    code paths without a person; people go through `actions.share_again`)."""
    channels = [plan.channel for plan in SharePlan.objects.filter(page_id=page.pk)]
    return new_round(page, list(dict.fromkeys(channels)))


def publishing_user(revision):
    """Who put `revision` live: the approver of the page's workflow (approved after
    the revision was made), the person who scheduled it, or the revision's author
    (an approver who published directly). None: no person (a trusted path)."""
    if revision is None:
        return None
    from wagtail.models import PageLogEntry, TaskState

    approved = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=revision.base_content_type_id,
            workflow_state__object_id=revision.object_id,
            status=TaskState.STATUS_APPROVED,
            finished_at__gte=revision.created_at,
        )
        .exclude(finished_by=None)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if approved:
        return approved.finished_by
    scheduled = (
        PageLogEntry.objects.filter(
            revision=revision, action="wagtail.publish.schedule"
        )
        .exclude(user=None)
        .order_by("-timestamp", "-pk")
        .first()
    )
    return scheduled.user if scheduled else revision.user


def on_page_published(sender, instance, revision=None, **kwargs):
    """`page_published` receiver: round 1 on the first publish only."""
    # The plans saved with the live revision, read from the database (never the
    # in-memory cluster of `instance`).
    if not hasattr(instance, "share_plans"):
        return
    if not instance.live:
        return  # Wagtail also sends page_published when it schedules a new page
    if (
        Publication.objects.filter(page_id=instance.pk).exists()
        or ShareRequest.objects.filter(page_id=instance.pk).exists()
    ):
        return  # re-publishing an edited page never re-shares it
    create_round(instance, user=publishing_user(revision), round=1)
