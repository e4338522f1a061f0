"""Attempts held for a reconnection are no tries of the network: they count neither
against PUBLISHING_MAX_ATTEMPTS nor in the backoff (found by bench/chaos.py: a
publication held twice waited 4 minutes after its first temporary error)."""

import datetime

import pytest
from django.utils import timezone

from publishing.models import AttemptOutcome, ChannelStatus, PublicationStatus
from publishing.outbox import dispatcher
from tests.publishing.factories import due, fb_channel, feed_calls, fresh, posts

S = PublicationStatus
TRANSIENT = {
    "error": {"message": "Try later", "type": "X", "code": 2, "is_transient": True}
}


def held_then_reconnected(sandbox, channel, publication, times):
    """`times` attempts refused for an expired token, the channel reconnected each
    time (as a person does: saved active, which releases its held publications)."""
    for _ in range(times):
        sandbox.fault("facebook", "feed", "expired_token")
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.HELD
        channel.refresh_from_db()
        channel.status, channel.status_reason = ChannelStatus.ACTIVE, ""
        channel.save()
        assert fresh(publication).status == S.SCHEDULED


@pytest.mark.django_db
def test_held_attempts_do_not_grow_the_backoff(sandbox, org):
    channel = fb_channel(org, sandbox.facebook_page("Trang thử"))
    publication = due(org.article(), channel)
    held_then_reconnected(sandbox, channel, publication, times=2)
    sandbox.fault("facebook", "feed", "error", body=TRANSIENT)
    start = timezone.now()
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.RETRYING
    assert publication.attempts == 3
    # The first try's wait: Graph's minute (backoff(1) is 24-36 s); counted as the
    # third try it was 96-144 s.
    wait = (publication.next_attempt_at - start).total_seconds()
    assert 55 <= wait <= 65, wait
    outcomes = [a.outcome for a in publication.attempt_history.all()]
    assert outcomes == [AttemptOutcome.HELD, AttemptOutcome.HELD, AttemptOutcome.RETRY]
    later = timezone.now() + datetime.timedelta(minutes=2)
    dispatcher.dispatch_due(now=later)
    assert fresh(publication).status == S.PUBLISHED
    assert len(posts(sandbox)) == 1 and len(feed_calls(sandbox)) == 4


@pytest.mark.django_db
def test_held_attempts_do_not_use_the_retries_up(sandbox, org, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 2
    channel = fb_channel(org, sandbox.facebook_page("Trang thử"))
    publication = due(org.article(), channel)
    held_then_reconnected(sandbox, channel, publication, times=2)
    sandbox.fault("facebook", "feed", "error", body=TRANSIENT, times=2)
    dispatcher.dispatch_due()
    assert fresh(publication).status == S.RETRYING  # the first try, not the third
    later = timezone.now() + datetime.timedelta(minutes=5)
    dispatcher.dispatch_due(now=later)
    publication = fresh(publication)
    # The second temporary error is the second try: the retries are used up.
    assert publication.status == S.FAILED and publication.last_error
    assert posts(sandbox) == [] and len(feed_calls(sandbox)) == 4
