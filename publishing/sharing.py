"""Share plans -> publications, exactly once per share round.

The first time a page goes live with share plans, round 1 is created. Publishing an
edited page again never re-shares it (guarantee 4): only `share_again` starts a new
round. `create_round` is idempotent per round: the unique (page, channel, round)
constraint and `get_or_create` make a second call create nothing.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import Publication, PublicationStatus, SharePlan

logger = logging.getLogger(__name__)


def next_round(page):
    current = Publication.objects.filter(page=page).aggregate(m=Max("round"))["m"]
    return (current or 0) + 1


def create_round(page, user=None, round=1):
    """One scheduled Publication per SharePlan of `page` in share round `round`.

    Returns the publications created by this call (none if the round exists).
    Several plans for one channel give one publication (the first plan wins).
    """
    now = timezone.now()
    created = []
    seen = set()
    plans = SharePlan.objects.filter(page_id=page.pk).select_related("channel")
    for plan in plans.order_by("sort_order", "pk"):
        if plan.channel_id in seen:
            continue
        seen.add(plan.channel_id)
        try:
            with transaction.atomic():
                publication, made = Publication.objects.get_or_create(
                    page_id=page.pk,
                    channel_id=plan.channel_id,
                    round=round,
                    defaults={
                        "plan": plan,
                        "publish_at": plan.publish_at or now,
                        "message": plan.message,
                        "kind": plan.kind,
                        "status": PublicationStatus.SCHEDULED,
                    },
                )
        except IntegrityError:  # made by a concurrent call at the same moment
            continue
        if made:
            created.append(publication)
    if created:
        logger.info(
            "share round %s of page %s: %s publication(s)", round, page.pk, len(created)
        )
    return created


def share_again(page, user=None):
    """Start a new share round for `page` explicitly (the admin's "share again")."""
    return create_round(page, user=user, round=next_round(page))


def on_page_published(sender, instance, revision=None, **kwargs):
    """`page_published` receiver: round 1 on the first publish only."""
    # The plans saved with the live revision, read from the database (never the
    # in-memory cluster of `instance`).
    if not hasattr(instance, "share_plans"):
        return
    if Publication.objects.filter(page_id=instance.pk).exists():
        return  # re-publishing an edited page never re-shares it
    user = getattr(revision, "user", None) if revision is not None else None
    create_round(instance, user=user, round=1)
