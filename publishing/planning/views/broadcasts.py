"""A publication's broadcasts on its page: status, audience by name, the wait for
06:00, "unconfirmed: probably sent" with Resend, and "Send to followers" for a
Zalo post already out, its audience chosen by name as in the share tab (an
editor's becomes a share request).

Resend is single-use under parallel requests: `outbox.broadcasts.resend` locks the
broadcast and refuses a second resend; the view only reports its answer.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from publishing.editor.plans import AudienceChooser
from publishing.lifecycle import BROADCAST_RESENDABLE, broadcast_tone
from publishing.lifecycle import BroadcastStatus as B
from publishing.lifecycle import PublicationStatus as P
from publishing.models import Broadcast, Network, Publication
from publishing.models import audience as audiences
from publishing.models.broadcasts import window_opens
from publishing.outbox import broadcasts as outbox
from publishing.permissions import may
from publishing.planning import actions


def rows(user, publication):
    """What the publication's page shows of each of its broadcasts."""
    may_resend = may(user, "retry", publication.channel)
    found = []
    for broadcast in publication.broadcasts.select_related("resend_of"):
        waiting = audiences.waits_for_06(broadcast)
        found.append(
            {
                "broadcast": broadcast,
                "tone": broadcast_tone(broadcast.status),
                "audience": audiences.describe(broadcast.audience),
                "waits_for_06": waiting,
                "opens": window_opens(broadcast.next_attempt_at or broadcast.send_at)
                if waiting
                else None,
                "unconfirmed": broadcast.status == B.UNCONFIRMED,
                "resend": may_resend
                and broadcast.status in BROADCAST_RESENDABLE
                and not broadcast.resends.exclude(status=B.CANCELLED).exists(),
            }
        )
    return found


def may_send_to_followers(user, publication):
    return (
        publication.channel.network == Network.ZALO
        and publication.status in (P.SCHEDULED, P.PUBLISHED)
        and may(user, "share_again", publication.channel)
    )


class SendToFollowersForm(AudienceChooser):
    prefix = "followers"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._audience_fields()


def context(user, publication):
    may_send = may_send_to_followers(user, publication)
    return {
        "broadcasts": rows(user, publication),
        "send_to_followers": may_send,
        "followers_form": SendToFollowersForm() if may_send else None,
        "broadcasts_left": audiences.left_text(publication.channel)
        if publication.channel.network == Network.ZALO
        else "",
    }


def _back(pk):
    return redirect("publishing_publications:inspect", pk)


@require_POST
def resend(request, pk, broadcast_pk):
    broadcast = get_object_or_404(
        Broadcast.objects.select_related("publication__channel"),
        pk=broadcast_pk,
        publication_id=pk,
    )
    try:
        outbox.resend(broadcast, request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _back(pk)
    log(
        instance=broadcast.publication,
        action="publishing.resend_broadcast",
        user=request.user,
        data={"channel": str(broadcast.publication.channel)},
    )
    messages.success(
        request,
        _("Resent: the broadcast goes out again at the next dispatch (06:00-21:59)."),
    )
    return _back(pk)


@require_POST
def send_to_followers(request, pk):
    publication = get_object_or_404(
        Publication.objects.select_related("page", "channel"), pk=pk
    )
    if not may(request.user, "share_again", publication.channel):
        raise PermissionDenied
    form = SendToFollowersForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return _back(pk)
    try:
        made, asked = actions.broadcast_to_followers(
            request.user, publication, audience=form.chosen_audience()
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _back(pk)
    if asked is not None:
        messages.success(
            request,
            _("Asked: it goes to the followers once an approver approves it."),
        )
    else:
        messages.success(request, _("Planned: it goes to the followers next."))
    return _back(pk)
