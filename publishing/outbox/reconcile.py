"""Unknown outcomes and channels coming back.

`recover_leases` (a lease that ran out mid-call: unconfirmed),
`reconcile_unconfirmed` (look for the post with the adapter's `reconcile` before
any new attempt: guarantee 1; when the network cannot tell, a person decides),
`release_held` and `on_channel_saved` (a reconnected channel's held publications
are scheduled again).
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from publishing.conf import setting
from publishing.lifecycle import BroadcastStatus
from publishing.lifecycle import PublicationStatus as S
from publishing.models import (
    AttemptOutcome,
    Broadcast,
    ChannelPause,
    ChannelStatus,
    Publication,
    PublishAttempt,
)
from publishing.models.publications import SHORT_LINK_PREFIX
from publishing.networks import (
    CannotTell,
    ContentRejected,
    Lookup,
    NetworkError,
    ReconnectNeeded,
    adapter_for,
)
from publishing.outbox.claims import _site_text, default_worker
from publishing.outbox.send import _fail, _finish, _mark_published
from publishing.signals import publications_changed

logger = logging.getLogger("publishing.outbox.dispatcher")

INTERRUPTED_REASON = gettext_noop(
    "Not known whether it was posted (the sending process was interrupted); it will "
    "be looked for on the channel before any new attempt."
)
# `last_error_code` of an unconfirmed publication the network could not tell
# about: it waits for a person ("Already posted manually"), never sent again.
CANNOT_TELL = "cannot_tell"


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
    again (a new attempt is allowed), or failed (the network says the post it
    made cannot be: a video whose processing failed). Returns {"published",
    "scheduled", "left"} and "failed" when any.
    Those the network could not tell about wait for a person; they are looked
    for again every PUBLISHING_CANNOT_TELL_RECHECK seconds, only to be found."""
    now = now or timezone.now()
    worker = worker or default_worker()
    recover_leases(now)
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS"))
    recheck = datetime.timedelta(seconds=setting("PUBLISHING_CANNOT_TELL_RECHECK"))
    summary = {"published": 0, "scheduled": 0, "left": 0}
    pks = (
        Publication.objects.filter(status=S.UNCONFIRMED)
        .exclude(last_error_code=CANNOT_TELL, updated_at__gt=now - recheck)
        .values_list("pk", flat=True)
    )
    for pk in list(pks):
        # Compare-and-set: only one process reconciles a publication at a time.
        if not Publication.objects.filter(pk=pk, status=S.UNCONFIRMED).update(
            status=S.PUBLISHING, lease_until=lease, leased_by=worker
        ):
            continue
        outcome = _reconcile(pk, worker)
        summary[outcome] = summary.get(outcome, 0) + 1  # "failed" when it happens
        if outcome == "published":
            publications_changed.send(sender=__name__, publication_ids=[pk])
    return summary


def _reconcile(pk, worker):
    with translation.override(settings.LANGUAGE_CODE):
        return _reconcile_one(pk, worker)


def _reconcile_one(pk, worker):
    publication = Publication.objects.select_related("channel").get(pk=pk)
    lookup = _lookup(publication)
    attempt = PublishAttempt.objects.create(publication=publication, worker=worker)
    try:
        found = adapter_for(publication.channel).reconcile(lookup)
    except Exception as error:  # noqa: BLE001  (unconfirmed, see _not_settled)
        return _not_settled(publication, attempt, error)
    if found:
        _mark_published(publication, attempt, found, AttemptOutcome.RECONCILED)
        return "published"
    if publication.last_error_code == CANNOT_TELL:
        # A person was told it waits for them: only finding it changes that.
        _wait(publication, last_error_code=CANNOT_TELL)
        _finish(attempt, AttemptOutcome.RECONCILED, "", "not found: still waiting")
        return "left"
    Publication.objects.filter(pk=pk).update(
        status=S.SCHEDULED, lease_until=None, leased_by="", updated_at=timezone.now()
    )
    _finish(attempt, AttemptOutcome.RECONCILED, "", "not found: will try again")
    return "scheduled"


def _lookup(publication):
    """What the network is asked: the markers (`pub-<id>`, the short link's path),
    the title sent, the verify token, since when (the first attempt that may have
    posted: unknown or unfinished), and which posts other publications of the
    channel already have."""
    history = publication.attempt_history.order_by("started_at", "pk")
    unknown = (AttemptOutcome.UNKNOWN, "")
    first = history.filter(outcome__in=unknown).first() or history.first()

    def taken(ids):
        others = Publication.objects.filter(
            channel_id=publication.channel_id, external_id__in=ids
        ).exclude(pk=publication.pk)
        return set(others.values_list("external_id", flat=True))

    return Lookup(
        publication.marker,
        first.started_at if first else publication.created_at,
        title=(publication.payload or {}).get("title", ""),
        token=publication.verify_token,
        taken=taken,
        short_path=SHORT_LINK_PREFIX + publication.link_code,
        kind=(publication.payload or {}).get("kind", ""),
    )


def _not_settled(publication, attempt, error):
    """Failed when the network refused what it found (the reason shown); else
    still unconfirmed. The network cannot tell: the reason is shown and it waits
    for a person. A token to renew: the channel is marked (a person reconnects it;
    nothing else may, when no other post of the channel is due). Anything else is
    asked again on the next run."""
    message = getattr(error, "message", "") or type(error).__name__
    code = getattr(error, "code", "")
    if isinstance(error, ContentRejected):
        # Found, and the network refused it (a video it could not process): the
        # person is told why, and nothing is sent again by itself.
        _fail(publication, attempt, message, code)
        return "failed"
    if isinstance(error, CannotTell):
        _wait(publication, last_error=message, last_error_code=CANNOT_TELL)
    else:
        _wait(publication)
        if isinstance(error, ReconnectNeeded):
            _needs_reconnect(publication.channel, error)
        elif not isinstance(error, NetworkError):
            logger.error("reconciling %s failed", publication, exc_info=error)
    _finish(attempt, AttemptOutcome.UNKNOWN, code, message)
    return "left"


def _wait(publication, **fields):
    Publication.objects.filter(pk=publication.pk).update(
        status=S.UNCONFIRMED,
        lease_until=None,
        leased_by="",
        updated_at=timezone.now(),
        **fields,
    )


def _needs_reconnect(channel, error):
    """As a failed publish would (`send._hold`), without its post on hold: it
    stays unconfirmed, and is looked for again once the channel is reconnected."""
    channel.mark_needs_reconnect(error.message)


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
    # Its held broadcasts go out again too (the dispatch would find them anyway).
    Broadcast.objects.filter(
        publication__channel=instance, status=BroadcastStatus.HELD
    ).update(status=BroadcastStatus.SCHEDULED, last_error="", updated_at=timezone.now())
    if Publication.objects.filter(channel=instance, status=S.HELD).exists():
        ChannelPause.objects.filter(channel=instance).delete()
        release_held(instance)
