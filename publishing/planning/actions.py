"""What people do with publications and share requests.

Each function takes the acting user first and checks `permissions.may` on the
channel (PermissionDenied), then the current status (a ValidationError that says
why and what to do). Rows change by a conditional UPDATE on the statuses the action
expects: the dispatcher claims with the same kind of update, so a person and the
scheduler never both win (guarantee 1). Correct and withdraw call the network from
the request, outside any transaction, with the adapters' timeout; a network error
changes nothing and says so. Every action is kept in Wagtail's log of the object.
"""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from publishing.lifecycle import (
    CANCELLABLE,
    LIVE,
    MARKABLE,
    RESCHEDULABLE,
    RETRYABLE,
    first_due,
)
from publishing.lifecycle import PublicationStatus as S
from publishing.models import ChannelStatus, Network, Publication, ShareRequest
from publishing.models import ShareRequestStatus as R
from publishing.models import audience as audiences
from publishing.networks import NetworkError, OutcomeUnknown, adapter_for, post_hosts
from publishing.outbox import broadcasts
from publishing.outbox.compose import checked, problems
from publishing.permissions import may
from publishing.planning import sharing
from publishing.signals import publications_changed


# Checks -------------------------------------------------------------------------
def _require(user, action, channel):
    if not may(user, action, channel):
        raise PermissionDenied


def _why_not(status):
    """What a person can do instead, for a publication in `status`."""
    hints = {
        S.PUBLISHING: _("It is being sent right now: wait a moment and reload."),
        S.PUBLISHED: _("It is already published: use Withdraw or Correct instead."),
        S.UNCONFIRMED: _(
            "It is not yet known whether it was posted: the scheduler is looking for "
            "it on the channel. If you can see it there, use Already posted manually."
        ),
        S.CANCELLED: _("It was cancelled: use Share again to post the article again."),
        S.WITHDRAWN: _("It was withdrawn: use Share again to post the article again."),
    }
    return hints.get(status, _("It has not been published."))


def _refuse(publication, action_label):
    status = S(publication.status)
    raise ValidationError(
        _("%(action)s is not possible while the post is “%(status)s”. %(hint)s")
        % {"action": action_label, "status": status.label, "hint": _why_not(status)}
    )


def _check(publication, allowed, action_label):
    if publication.status not in allowed:
        _refuse(publication, action_label)


def _transition(publication, allowed, action_label, **fields):
    """UPDATE … WHERE status IN allowed; refuse if the row moved meanwhile."""
    now = timezone.now()
    changed = Publication.objects.filter(pk=publication.pk, status__in=allowed).update(
        updated_at=now, **fields
    )
    publication.refresh_from_db()
    if not changed:
        _refuse(publication, action_label)
    if S.PUBLISHED in allowed or fields.get("status") == S.PUBLISHED:
        # in or out of the dashboard's figures
        publications_changed.send(sender=__name__, publication_ids=[publication])


def _record(user, instance, action, **data):
    """Wagtail's log, on the publication (or share request) and on its article:
    the article's history shows what was done to its posts, by whom and when."""
    channel = getattr(instance, "channel", None)
    if channel is not None:
        data.setdefault("channel", str(channel))
    log(instance=instance, action=f"publishing.{action}", user=user, data=data)
    page = getattr(instance, "page", None)
    if page is not None:
        log(
            instance=page,
            action=f"publishing.{action}",
            user=user,
            data={**data, "object": f"{instance._meta.model_name}-{instance.pk}"},
        )


AGAIN = {  # a new attempt starts clean: nothing of these went out
    "status": S.SCHEDULED,
    "next_attempt_at": None,
    "attempts": 0,
    "payload": None,
    "last_error": "",
    "last_error_code": "",
    "lease_until": None,
    "leased_by": "",
}


# Before posting ---------------------------------------------------------------------
def cancel(user, publication):
    _require(user, "cancel", publication.channel)
    label = _("Cancelling")
    _check(publication, CANCELLABLE, label)
    _transition(publication, CANCELLABLE, label, status=S.CANCELLED)
    broadcasts.cancel_pending(publication)
    _record(user, publication, "cancel")


def retry_now(user, publication):
    """Post it at the next dispatch: attempts start again from zero."""
    _require(user, "retry", publication.channel)
    label = _("Retrying now")
    _check(publication, RETRYABLE, label)
    if publication.channel.status != ChannelStatus.ACTIVE:
        raise ValidationError(
            _(
                "The channel %(channel)s cannot post now (%(status)s): reconnect it "
                "in Channels first; its held posts then go out by themselves."
            )
            % {
                "channel": publication.channel,
                "status": publication.channel.get_status_display(),
            }
        )
    _transition(publication, RETRYABLE, label, publish_at=timezone.now(), **AGAIN)
    _record(user, publication, "retry")


def reschedule(user, publication, publish_at):
    _require(user, "reschedule", publication.channel)
    label = _("Changing the time")
    _check(publication, RESCHEDULABLE, label)
    if publish_at is None or publish_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future."))
    _transition(publication, RESCHEDULABLE, label, publish_at=publish_at, **AGAIN)
    _record(user, publication, "reschedule", publish_at=publish_at.isoformat())


def mark_posted(user, publication, url):
    """A person posted it by hand: `published`, with the link they give."""
    _require(user, "mark_posted", publication.channel)
    label = _("Marking as posted manually")
    _check(publication, MARKABLE, label)
    url = _post_url(publication.channel, url)
    now = timezone.now()
    _transition(
        publication,
        MARKABLE,
        label,
        status=S.PUBLISHED,
        permalink=url,
        published_at=now,
        # Read only with a post id (one found by an earlier attempt): not from a link.
        engagement_due_at=first_due(now, publication.external_id),
        next_attempt_at=None,
        lease_until=None,
        leased_by="",
        last_error="",
        last_error_code="",
    )
    _record(user, publication, "mark_posted", url=url)


def _post_url(channel, url):
    url = (url or "").strip()
    hosts = post_hosts(channel.network)  # the network's, and its API's (sandbox)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        host = None
    else:
        host = (urlsplit(url).hostname or "").lower()
    if not host or not any(host == h or host.endswith("." + h) for h in hosts):
        raise ValidationError(
            _(
                "Paste the address of the post on %(network)s (it starts with "
                "https://%(host)s/…); open the post and copy it from the browser."
            )
            % {"network": channel.get_network_display(), "host": (hosts or ("",))[0]}
        )
    return url


# After posting -----------------------------------------------------------------------
def correct(user, publication, message):
    """Edit the post on the network with a new text (same marker, same link)."""
    _require(user, "correct", publication.channel)
    label = _("Correcting")
    _check(publication, LIVE, label)
    _need_post_id(publication)
    payload, problems = checked(
        publication.page.specific,
        publication.channel,
        publication.marker,
        message=message or None,
        kind=publication.kind or None,
        code=publication.link_code,
        video=publication.video,
    )
    if problems:
        raise ValidationError(problems)
    adapter = adapter_for(publication.channel)
    _call_network(publication, lambda: adapter.update(publication.external_id, payload))
    _transition(
        publication, LIVE, label, payload=payload.as_dict(), message=message or ""
    )
    _record(user, publication, "correct", message=message)


def withdraw(user, publication):
    """Remove the post from the network; the publication becomes `withdrawn`."""
    _require(user, "withdraw", publication.channel)
    label = _("Withdrawing")
    _check(publication, LIVE, label)
    _need_post_id(publication)
    adapter = adapter_for(publication.channel)
    _call_network(publication, lambda: adapter.withdraw(publication.external_id))
    _transition(publication, LIVE, label, status=S.WITHDRAWN)
    broadcasts.cancel_pending(publication)
    _record(user, publication, "withdraw")


def _need_post_id(publication):
    if not publication.external_id:
        raise ValidationError(
            _(
                "This post was marked as posted manually, so its id on %(network)s "
                "is not known: change or remove it on %(network)s directly."
            )
            % {"network": publication.channel.get_network_display()}
        )


def _call_network(publication, call):
    network = publication.channel.get_network_display()
    try:
        call()
    except OutcomeUnknown as error:
        raise ValidationError(
            _(
                "%(network)s did not confirm the change (%(reason)s). Open the post "
                "to see whether it changed, and try again if it did not."
            )
            % {"network": network, "reason": error.message}
        ) from None
    except NetworkError as error:
        raise ValidationError(
            _(
                "%(network)s refused the change: %(reason)s Nothing was changed; "
                "try again later."
            )
            % {"network": network, "reason": error.message}
        ) from None


# Share again and share requests (guarantee 5) -----------------------------------------
def share_again(
    user, page, channels, message=None, publish_at=None, broadcast=False, audience=None
):
    """A new share of a live page: at once on the channels `user` may approve, as
    pending requests on the others. Returns (publications, requests).
    `broadcast`: each Zalo OA also sends it to its followers (`audience`), within
    its monthly quota."""
    channels = list(channels)
    if not channels:
        raise ValidationError(_("Choose at least one channel."))
    for channel in channels:
        _require(user, "share_again", channel)
    if not page.live:
        raise ValidationError(
            _("The article is not live: publish it first, then share it again.")
        )
    if publish_at is not None and publish_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future, or leave it empty."))
    _check_composes(page, channels, message)
    if broadcast:
        _check_quota([c for c in channels if c.network == Network.ZALO], publish_at)
    direct = [c for c in channels if may(user, "approve", c)]
    waiting = [c for c in channels if c not in direct]
    with transaction.atomic():
        publications = sharing.new_round(
            page,
            direct,
            message=message,
            publish_at=publish_at,
            broadcast=broadcast,
            audience=audience,
        )
        requests = []
        for channel in waiting:
            planned = sharing.frozen_text(page, channel)
            requests.append(
                sharing.request_share(
                    page,
                    channel,
                    user,
                    message=planned.message if message is None else message,
                    kind=planned.kind,
                    video=planned.video,
                    publish_at=publish_at,
                    broadcast=broadcast,
                    audience=audience,
                )
            )
    for publication in publications:
        _record(user, publication, "share_again")
    return publications, requests


def _check_composes(page, channels, message):
    found = []
    page = page.specific
    for channel in channels:
        planned = sharing.frozen_text(page, channel)
        text = planned.message if message is None else message
        for problem in problems(
            page, channel, message=text or None, kind=planned.kind, video=planned.video
        ):
            found.append(f"{channel}: {problem}")
    if found:
        raise ValidationError(found)


def _check_quota(channels, send_at=None):
    """Refuse a broadcast beyond a Zalo OA's monthly quota (or a second one a
    day), naming the days used."""
    day = audiences.broadcast_day(send_at)
    found = [audiences.quota_problem(c, day) for c in channels]
    if any(found):
        raise ValidationError([problem for problem in found if problem])


def broadcast_to_followers(user, publication, audience=None, send_at=None):
    """ "Send to followers" on a Zalo publication already out: a broadcast at once
    for an approver of its channel, a share request for an editor (guarantee 5).
    Returns (broadcast, request), one of them None."""
    _require(user, "share_again", publication.channel)
    if publication.channel.network != Network.ZALO:
        raise ValidationError(_("Only a Zalo OA sends posts to its followers."))
    if publication.status not in (S.SCHEDULED, S.PUBLISHED):
        raise ValidationError(
            _(
                "Only a post that is published or scheduled can be sent to "
                "followers; this one is “%(status)s”."
            )
            % {"status": publication.get_status_display()}
        )
    if send_at is not None and send_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future, or leave it empty."))
    _check_quota([publication.channel], send_at)
    if not may(user, "approve", publication.channel):
        request = sharing.request_share(
            publication.page,
            publication.channel,
            user,
            publish_at=send_at,
            broadcast=True,
            audience=audience,
            broadcast_for=publication,
        )
        _record(user, request, "request_broadcast")
        return None, request
    broadcast = sharing.add_broadcast(
        publication, audience, user, send_at=send_at or timezone.now()
    )
    _record(user, publication, "broadcast")
    return broadcast, None


def approve_request(user, share_request):
    """Approve a pending request: its publication is made in a new share round
    (with its broadcast, if it asks for one); a request to send a post already out
    to followers makes only the broadcast."""
    _require(user, "approve", share_request.channel)
    if share_request.broadcast_for_id:
        return _approve_broadcast(user, share_request)
    if share_request.broadcast:
        _check_quota([share_request.channel], share_request.publish_at)
    with transaction.atomic():
        _decide(share_request, user, R.APPROVED, "")
        publication = sharing.add_publication(
            share_request.page,
            share_request.channel,
            message=share_request.message,
            kind=share_request.kind,
            video=share_request.video,
            publish_at=share_request.publish_at,
            link_code=share_request.link_code,
        )
        if share_request.broadcast:
            sharing.add_broadcast(publication, share_request.audience, user)
        ShareRequest.objects.filter(pk=share_request.pk).update(publication=publication)
    share_request.refresh_from_db()
    for instance in (share_request, publication):  # the post's history says who
        _record(user, instance, "approve_request")
    return publication


def _approve_broadcast(user, share_request):
    publication = share_request.broadcast_for
    _check_quota([share_request.channel], share_request.publish_at)
    with transaction.atomic():
        _decide(share_request, user, R.APPROVED, "")
        sharing.add_broadcast(
            publication,
            share_request.audience,
            user,
            send_at=max(share_request.publish_at or timezone.now(), timezone.now()),
        )
    share_request.refresh_from_db()
    for instance in (share_request, publication):
        _record(user, instance, "approve_request")
    return publication


def reject_request(user, share_request, note):
    _require(user, "approve", share_request.channel)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say why, so the editor knows what to change."))
    _decide(share_request, user, R.REJECTED, note)
    share_request.refresh_from_db()
    _record(user, share_request, "reject_request", note=note)


def _decide(share_request, user, status, note):
    changed = ShareRequest.objects.filter(pk=share_request.pk, status=R.PENDING).update(
        status=status, decided_by=user, decided_at=timezone.now(), note=note
    )
    if not changed:
        share_request.refresh_from_db()
        raise ValidationError(
            _("This request was already decided (%(status)s).")
            % {"status": share_request.get_status_display()}
        )
