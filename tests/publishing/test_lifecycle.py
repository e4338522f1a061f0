"""One home per rule: the life cycle's status groups, the PUBLISHING_* defaults, the
one way a channel comes to need reconnecting, and a rate-limit pause that only
extends (the dispatcher and engagement reads used to disagree)."""

import datetime
import pathlib
import re

import pytest
from django.utils import timezone

from publishing import lifecycle
from publishing.conf import DEFAULTS, setting
from publishing.models import Channel, ChannelPause, ChannelStatus, Publication
from publishing.models import PublicationStatus as S
from publishing.networks import CheckResult
from publishing.outbox import dispatcher
from tests.publishing.factories import fb_channel

NOW = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)
PUBLISHING = pathlib.Path(__file__).resolve().parents[2] / "publishing"


# The pauses below are written around NOW: the clock stands there too.
@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def fb(sandbox, org):
    return fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))


def claimed(org, channel):
    """A publication of `channel`, claimed by worker "w" (its call about to start)."""
    publication = Publication.objects.create(
        page=org.article(),
        channel=channel,
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert dispatcher.claim(timezone.now(), "w", 10)
    return publication


# The life cycle -------------------------------------------------------------------
def test_every_status_is_shown_or_hidden_once_and_explained():
    shown, hidden = lifecycle.SHOWN_BY_DEFAULT, lifecycle.HIDDEN_BY_DEFAULT
    assert sorted(shown + hidden) == sorted(S.values)
    assert set(lifecycle.HELP) == set(S.values)
    assert set(lifecycle.TONES) == set(shown)  # cancelled, withdrawn: grey


def test_a_person_never_touches_a_post_being_sent_or_not_yet_known():
    for group in (lifecycle.CANCELLABLE, lifecycle.RETRYABLE, lifecycle.MARKABLE):
        assert S.PUBLISHING not in group
    assert S.UNCONFIRMED not in lifecycle.CANCELLABLE + lifecycle.RETRYABLE
    assert set(lifecycle.DUE) <= set(lifecycle.TAKEN)


# Settings -------------------------------------------------------------------------
def test_each_publishing_setting_has_its_default_in_one_place():
    read = set()
    for path in PUBLISHING.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"getattr\(\s*settings,\s*\"PUBLISHING_", text), path
        read |= set(re.findall(r"setting\(\"(PUBLISHING_[A-Z_]+)\"\)", text))
    assert "PUBLISHING_CLAIM_LIMIT" in read
    assert read <= set(DEFAULTS)


def test_a_site_setting_wins_over_the_default(settings):
    settings.PUBLISHING_LEASE_SECONDS = 30
    assert setting("PUBLISHING_LEASE_SECONDS") == 30
    del settings.PUBLISHING_LEASE_SECONDS
    assert setting("PUBLISHING_LEASE_SECONDS") == 120


# Needing reconnection -------------------------------------------------------------
@pytest.mark.django_db
def test_marking_keeps_the_latest_reason_and_never_wakes_a_disabled_channel(org):
    channel = Channel.objects.create(
        unit=org.bac_son, network="facebook", name="BHXH", external_id="1"
    )
    channel.mark_needs_reconnect("Token hết hạn")
    channel.mark_needs_reconnect("Thiếu quyền đăng bài")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert channel.status_reason == "Thiếu quyền đăng bài"

    Channel.objects.filter(pk=channel.pk).update(
        status=ChannelStatus.DISABLED, status_reason="Tắt để bảo trì"
    )
    channel.mark_needs_reconnect("Token hết hạn")
    assert (channel.status, channel.status_reason) == (
        ChannelStatus.DISABLED,
        "Tắt để bảo trì",
    )
    # A check is a fresh reading of the channel: it may say so.
    channel.record_check(CheckResult(ok=False, reconnect=True, reason="Token cũ"))
    channel.refresh_from_db()
    assert (channel.status, channel.status_reason) == (
        ChannelStatus.NEEDS_RECONNECT,
        "Token cũ",
    )
    assert channel.checked_at is not None


@pytest.mark.django_db
def test_a_channel_switched_off_during_a_call_stays_off_when_its_token_fails(
    sandbox, fb, org
):
    """send._hold used to overwrite `disabled`; reconcile never did. A person's
    switch (or the network's "cannot post") wins: the post is held all the same."""
    publication = claimed(org, fb)
    waiting = Publication.objects.create(
        page=org.article(title="Bài sau"), channel=fb, publish_at=timezone.now()
    )
    Channel.objects.filter(pk=fb.pk).update(
        status=ChannelStatus.DISABLED, status_reason="Tắt để bảo trì"
    )
    sandbox.fault("facebook", "feed", "expired_token")

    dispatcher.publish_one(publication.pk, "w")

    fb.refresh_from_db()
    assert (fb.status, fb.status_reason) == (ChannelStatus.DISABLED, "Tắt để bảo trì")
    publication.refresh_from_db()
    waiting.refresh_from_db()
    assert publication.status == S.HELD and waiting.status == S.HELD
    assert waiting.last_error == publication.last_error != ""


# Rate limits ----------------------------------------------------------------------
@pytest.mark.django_db
def test_a_pause_only_extends(org):
    channel = Channel.objects.create(
        unit=org.bac_son, network="facebook", name="BHXH", external_id="1"
    )
    hour = datetime.timedelta(hours=1)
    ChannelPause.extend_until(channel, NOW + hour, "giới hạn đọc")
    ChannelPause.extend_until(channel, NOW + hour / 60, "giới hạn đăng")
    pause = ChannelPause.objects.get(channel=channel)
    assert (pause.until, pause.reason) == (NOW + hour, "giới hạn đọc")
    ChannelPause.extend_until(channel, NOW + 2 * hour, "giới hạn đăng")
    pause.refresh_from_db()
    assert (pause.until, pause.reason) == (NOW + 2 * hour, "giới hạn đăng")


@pytest.mark.django_db
def test_a_later_shorter_rate_limit_does_not_shorten_a_longer_one(sandbox, fb, org):
    """Engagement reads were told to wait an hour while a post was being sent; the
    post's own rate limit (a minute) must not lift that pause."""
    publication = claimed(org, fb)
    long_pause = timezone.now() + datetime.timedelta(hours=1)
    ChannelPause.objects.create(channel=fb, until=long_pause, reason="đọc")
    sandbox.fault("facebook", "feed", "rate_limit", code=32, minutes=1)

    dispatcher.publish_one(publication.pk, "w")

    publication.refresh_from_db()
    assert publication.status == S.RETRYING
    pause = ChannelPause.objects.get(channel=fb)
    assert (pause.until, pause.reason) == (long_pause, "đọc")
