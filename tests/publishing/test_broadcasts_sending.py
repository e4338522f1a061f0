"""Broadcasts through the outbox against the sandbox over real HTTP: sent once
after the article is verified; the window (06:00-21:59, the clock driven, never
expired); Zalo's -234, -211, -32 and token answers; the OA's quota used already;
a lost answer never resent; held with the channel; paused; cancelled with the
post; a person's resend, once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from publishing.incidents.notifications import sync_incidents
from publishing.lifecycle import BroadcastStatus, PublicationStatus
from publishing.models import (
    BroadcastTarget,
    ChannelStatus,
    Incident,
    PauseScope,
    PublishingPause,
    TargetKind,
)
from publishing.networks import BroadcastTargets, OutsideHours, adapter_for
from publishing.outbox import broadcasts, dispatcher
from publishing.planning import actions
from tests.publishing.factories import (
    FAST_ZALO,
    broadcast,
    due,
    fresh,
    zalo_channel,
)
from tests.sandbox import network_options

B, S = BroadcastStatus, PublicationStatus
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=VIETNAM)

pytestmark = pytest.mark.django_db


# Fixtures and helpers -------------------------------------------------------------
@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def oa(sandbox, clock):
    return sandbox.zalo_oa("BHXH cơ sở Bắc Sơn", verify_polls=1)


@pytest.fixture
def channel(oa, org, settings, clock):
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1  # one thread: the test's database connection
    return zalo_channel(org, oa)


@pytest.fixture
def publication(org, channel):
    return due(org.article(title="Hộ kinh doanh đóng BHXH bắt buộc"), channel)


@pytest.fixture
def published(publication):
    """The publication's article created and verified on Zalo."""
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED and publication.external_id
    return publication


def sent(sandbox, publication=None):
    """What the sandbox broadcast (of `publication`'s article)."""
    data = {"article": publication.external_id} if publication else {}
    return sandbox.control("zalo/broadcasts", data)["broadcasts"]


def message_calls(sandbox):
    return sandbox.calls("zalo", "message")


def dispatch():
    return dispatcher.dispatch_all()


def local(moment):
    return moment.astimezone(VIETNAM)


# Sent once, after the article -----------------------------------------------------
def test_sent_once_after_the_article_is_verified(sandbox, publication):
    item = broadcast(publication)
    summary = broadcasts.dispatch_broadcasts()  # the article is not on Zalo yet
    assert summary == {"waiting_article": 1}
    item = fresh(item)
    assert (item.status, item.waiting_reason) == (B.WAITING, "article")
    assert message_calls(sandbox) == []

    summary = dispatch()  # the article, then its broadcast
    publication, item = fresh(publication), fresh(item)
    assert publication.status == S.PUBLISHED
    assert summary["broadcast_sent"] == 1
    assert item.status == B.SENT and item.message_id and item.attempts == 1
    assert item.sent_at == NOW and item.waiting_reason == ""
    [out] = sent(sandbox, publication)
    assert out["message_id"] == item.message_id
    assert out["target"] == {"gender": "0"}  # every follower
    assert out["status"] == "reviewing"  # Zalo reviews it for about 30 minutes

    dispatch()
    dispatch()
    assert len(sent(sandbox, publication)) == 1
    assert len(message_calls(sandbox)) == 1


def test_the_audience_goes_as_zalos_codes(sandbox, published):
    BroadcastTarget.objects.all().delete()  # the codes are the table's, any of them
    for kind, key, name, code in [
        (TargetKind.GENDER, "female", "Nữ", 2),
        (TargetKind.AGE, "25-34", "25–34 tuổi", 3),
        (TargetKind.AGE, "35-44", "35–44 tuổi", 4),
        (TargetKind.PROVINCE, "lang-son", "Lạng Sơn", 29),
    ]:
        BroadcastTarget.objects.create(kind=kind, key=key, name=name, code=code)
    audience = {
        "gender": "female",
        "ages": ["25-34", "35-44"],
        "provinces": ["lang-son"],
    }
    item = broadcast(published, audience=audience)
    dispatch()
    assert fresh(item).status == B.SENT
    [out] = sent(sandbox, published)
    assert out["target"] == {"gender": "2", "ages": "3,4", "cities": "29"}


def test_an_audience_key_gone_from_the_table_fails_without_a_call(sandbox, published):
    item = broadcast(published, audience={"provinces": ["khong-co"]})
    dispatch()
    item = fresh(item)
    assert item.status == B.FAILED and "khong-co" in item.last_error
    assert "Zalo" in item.last_error and item.sent_at is None
    assert message_calls(sandbox) == []


# The window ------------------------------------------------------------------------
def test_due_at_2205_goes_at_six_and_never_expires(sandbox, clock, channel, org):
    clock.move_to(NOW.replace(hour=22, minute=5))
    publication = due(org.article(), channel, ago=datetime.timedelta(0))
    item = broadcast(publication)
    dispatch()  # the article is created at once, the broadcast waits
    item = fresh(item)
    assert fresh(publication).status == S.PUBLISHED
    assert (item.status, item.waiting_reason) == (B.WAITING, "window")
    six = datetime.datetime(2027, 3, 11, 6, 0, tzinfo=VIETNAM)
    assert item.next_attempt_at == six and item.attempts == 0
    clock.move_to(six - datetime.timedelta(minutes=1))
    dispatch()
    assert message_calls(sandbox) == []
    # Eight hours late, beyond the catch-up age of publications: no expiry.
    clock.move_to(six)
    dispatch()
    item = fresh(item)
    assert item.status == B.SENT and item.sent_at == six
    assert len(sent(sandbox, publication)) == 1


def test_zalo_answering_outside_hours_retries_at_six(sandbox, clock, published):
    item = broadcast(published)
    body = {"error": -234, "message": "Broadcast is only allowed from 6:00 to 22:00"}
    sandbox.fault("zalo", "message", "error", body=body)
    dispatch()
    item = fresh(item)
    assert (item.status, item.waiting_reason) == (B.WAITING, "window")
    assert item.last_error_code == "-234" and item.sent_at is None
    six = datetime.datetime(2027, 3, 11, 6, 0, tzinfo=VIETNAM)
    assert item.next_attempt_at == six
    clock.move_to(six - datetime.timedelta(seconds=1))
    dispatch()
    assert len(message_calls(sandbox)) == 1
    clock.move_to(six)
    dispatch()
    assert fresh(item).status == B.SENT


def test_the_sandbox_keeps_zalos_hours(sandbox, clock, published):
    clock.move_to(NOW.replace(hour=22, minute=30))
    adapter = adapter_for(published.channel)
    with pytest.raises(OutsideHours) as raised:
        adapter.broadcast(published.external_id, BroadcastTargets())
    assert raised.value.code == -234
    assert raised.value.after == datetime.timedelta(hours=7, minutes=30)
    assert sent(sandbox) == []


# Quota ------------------------------------------------------------------------------
def test_out_of_quota_waits_for_the_1st_and_tells_the_manager_once(
    sandbox, oa, published, mailoutbox, org
):
    manager = org.user("ql_bac_son", "manager", org.bac_son)
    manager.email = "ql_bac_son@bhxh.example"
    manager.save(update_fields=["email"])
    sandbox.control("zalo/oas", {"id": oa["id"], "name": "OA", "broadcast_quota": 0})
    first, second = broadcast(published), broadcast(published)
    dispatch()
    april = datetime.datetime(2027, 4, 1, 0, 0, tzinfo=VIETNAM)
    for item in (first, second):
        item = fresh(item)
        assert (item.status, item.waiting_reason) == (B.WAITING, "quota")
        assert item.next_attempt_at == april and item.last_error_code == "-211"
        assert "1" in item.last_error  # "… the 1st of next month"
    assert fresh(published.channel).status == ChannelStatus.ACTIVE  # not a hold
    sync_incidents()
    sync_incidents()
    [incident] = Incident.objects.filter(kind="quota")
    assert incident.channel == published.channel and incident.publication is None
    [mail] = mailoutbox
    assert mail.to == ["ql_bac_son@bhxh.example"]
    assert "đã hết lượt gửi đến người theo dõi trong tháng này" in mail.subject
    assert "ngày 1 tháng sau" in mail.body
    dispatch()
    assert len(message_calls(sandbox)) == 2  # nothing more before April


def test_a_quota_used_by_sent_broadcasts_waits_without_a_call(sandbox, published):
    channel = published.channel
    channel.broadcasts_per_month = 2
    channel.save()
    early = NOW - datetime.timedelta(days=5)
    broadcast(published, send_at=early, status=B.SENT, sent_at=early)
    broadcast(published, send_at=early, status=B.UNCONFIRMED, sent_at=early)
    item = broadcast(published)
    dispatch()
    item = fresh(item)
    assert (item.status, item.waiting_reason) == (B.WAITING, "quota")
    assert item.next_attempt_at == datetime.datetime(2027, 4, 1, tzinfo=VIETNAM)
    assert message_calls(sandbox) == []


def test_one_a_day(sandbox, published):
    published.channel.broadcasts_per_month = 4
    published.channel.save()
    earlier = NOW - datetime.timedelta(hours=2)
    broadcast(published, send_at=earlier, status=B.SENT, sent_at=earlier)
    item = broadcast(published)
    dispatch()
    item = fresh(item)
    assert (item.status, item.waiting_reason) == (B.WAITING, "quota")
    tomorrow_six = datetime.datetime(2027, 3, 11, 6, 0, tzinfo=VIETNAM)
    assert item.next_attempt_at == tomorrow_six
    assert message_calls(sandbox) == []


# Lost answers ------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["500_but_created", "drop_after_create"])
def test_a_lost_answer_is_unconfirmed_and_never_resent(sandbox, clock, published, mode):
    item = broadcast(published)
    sandbox.fault("zalo", "message", mode)
    dispatch()
    item = fresh(item)
    assert item.status == B.UNCONFIRMED and item.sent_at == NOW
    assert item.message_id == "" and item.last_error
    assert len(sent(sandbox, published)) == 1  # Zalo has it
    for minutes in (1, 10, 60 * 24):
        clock.move_to(NOW + datetime.timedelta(minutes=minutes))
        dispatch()
    assert fresh(item).status == B.UNCONFIRMED
    assert len(message_calls(sandbox)) == 1
    assert len(sent(sandbox, published)) == 1


def test_an_expired_lease_is_unconfirmed_never_due_again(sandbox, clock, published):
    """A process died mid-call: its attempt was recorded before the call."""
    item = broadcast(published)
    claimed = broadcasts.claim_next(NOW, "dead-worker")
    assert claimed.pk == item.pk and fresh(item).status == B.SENDING
    clock.move_to(NOW + datetime.timedelta(minutes=5))
    dispatch()
    item = fresh(item)
    assert item.status == B.UNCONFIRMED and item.last_error_code == "lease_expired"
    assert message_calls(sandbox) == []


# Channel, pauses, cancellation ----------------------------------------------------
def test_held_with_the_channel_then_sent_after_reconnecting(sandbox, published):
    item = broadcast(published)
    sandbox.fault("zalo", "message", "expired_token", times=2)  # refreshed once
    dispatch()
    item, channel = fresh(item), fresh(published.channel)
    assert item.status == B.HELD and item.last_error_code == "-216"
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert len(sandbox.calls("zalo", "oauth_token")) == 1
    later = broadcast(published)
    dispatch()
    assert fresh(later).status == B.HELD  # held with the channel, no call
    assert len(message_calls(sandbox)) == 2
    channel.status = ChannelStatus.ACTIVE  # reconnected
    channel.save()
    assert fresh(item).status == B.SCHEDULED
    dispatch()
    assert fresh(item).status == B.SENT


@pytest.mark.parametrize("scope", ["global", "unit", "channel"])
def test_paused_by_a_switch_then_sent(sandbox, published, org, scope):
    pause = PublishingPause.objects.create(
        scope=scope,
        unit=org.bac_son if scope == PauseScope.UNIT else None,
        channel=published.channel if scope == PauseScope.CHANNEL else None,
    )
    item = broadcast(published)
    dispatch()
    assert fresh(item).status == B.PAUSED
    assert message_calls(sandbox) == []
    pause.delete()
    dispatch()
    assert fresh(item).status == B.SENT


def test_rate_limited_waits_with_the_channel_paused(sandbox, published):
    item = broadcast(published)
    sandbox.fault("zalo", "message", "rate_limit")
    dispatch()
    item = fresh(item)
    assert (item.status, item.waiting_reason) == (B.WAITING, "rate_limit")
    assert item.next_attempt_at >= NOW + datetime.timedelta(minutes=1)
    assert published.channel.rate_pause.until == NOW + datetime.timedelta(minutes=1)


def test_a_cancelled_post_cancels_its_broadcasts(sandbox, publication, admin_user):
    item = broadcast(publication)
    actions.cancel(admin_user, publication)
    assert fresh(item).status == B.CANCELLED
    dispatch()
    assert fresh(item).status == B.CANCELLED and message_calls(sandbox) == []


# Resend ---------------------------------------------------------------------------
def test_resend_once(sandbox, published, admin_user):
    item = broadcast(published, status=B.UNCONFIRMED, sent_at=NOW)
    again = broadcasts.resend(item, admin_user)
    assert again.resend_of == item and again.status == B.SCHEDULED
    with pytest.raises(ValidationError) as refused:
        broadcasts.resend(item, admin_user)
    assert "đã được gửi lại" in str(refused.value)
    sent_one = broadcast(published, status=B.SENT, sent_at=NOW)
    with pytest.raises(ValidationError) as refused:
        broadcasts.resend(sent_one, admin_user)
    assert "Chỉ có thể gửi lại" in str(refused.value)


@pytest.mark.parametrize("code", [-221, -224, -235, -204, -205, -248, -201])
def test_refused_by_zalo_fails_without_a_retry(sandbox, clock, published, code):
    item = broadcast(published)
    sandbox.fault("zalo", "message", "error", body={"error": code, "message": "Không"})
    dispatch()
    clock.move_to(NOW + datetime.timedelta(hours=1))
    dispatch()
    item = fresh(item)
    assert item.status == B.FAILED and item.last_error_code == str(code)
    assert item.sent_at is None and item.last_error
    assert len(message_calls(sandbox)) == 1
