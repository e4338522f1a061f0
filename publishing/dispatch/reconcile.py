"""Unknown outcomes and channels coming back.

`recover_leases` (a lease that ran out mid-call: unconfirmed),
`reconcile_unconfirmed` (look for the post with `find_published` before any
new attempt: guarantee 1), `release_held` and `on_channel_saved` (a
reconnected channel's held publications are scheduled again).
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from .. import rollups
from ..models import (
    AttemptOutcome,
    ChannelPause,
    ChannelStatus,
    Publication,
    PublishAttempt,
)
from ..networks import NetworkError, adapter_for
from .claims import S, _site_text, default_worker, setting
from .send import _finish, _mark_published

logger = logging.getLogger("publishing.dispatch")

INTERRUPTED_REASON = gettext_noop(
    "Not known whether it was posted (the sending process was interrupted); it will "
    "be looked for on the channel before any new attempt."
)


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
        outcome = _reconcile(pk, worker)
        summary[outcome] += 1
        if outcome == "published":
            rollups.refresh_publications([pk])
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
