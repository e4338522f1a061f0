"""Engagement collection against the sandbox: call counts, retired metrics, removed
posts, snapshots only on change, tiers, roll-up, rate limits, followers."""

import datetime
import io
import math

import pytest
from django.core.management import call_command
from django.utils import timezone

from publishing.metrics import engagement
from publishing.models import (
    Channel,
    ChannelPause,
    ChannelStatus,
    EngagementSnapshot,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
    SharePlan,
)
from publishing.networks.facebook import POST_INSIGHTS, FacebookNetwork
from publishing.networks.facebook import reads as facebook_reads
from publishing.outbox import dispatcher
from tests.publishing.factories import (
    FAST_ZALO,
    due,
    fb_channel,
    make_due,
    zalo_channel,
)
from tests.publishing.helpers import link_payload, set_counts, zalo_article
from tests.sandbox import network_options

S = PublicationStatus
RETIRED = "post_impressions"
"""A metric Graph retired: the sandbox rejects it with code 100, as Graph does."""


# Helpers ------------------------------------------------------------------------------
@pytest.fixture
def channel(org, sandbox):
    return fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn", followers=1200))


@pytest.fixture
def adapter(channel):
    return FacebookNetwork(channel)


def published(org, channel, adapter, count, age=datetime.timedelta(minutes=10)):
    """`count` posts on the sandbox Page and their publications, all due now."""
    page = org.article()
    plan = SharePlan.objects.create(page=page, channel=channel)
    now = timezone.now()
    publications = []
    for n in range(count):
        post = adapter.publish(link_payload(f"pub-x{n}"))
        publications.append(
            Publication(
                page=page,
                channel=channel,
                plan=plan,
                round=n + 1,
                publish_at=now - age,
                status=S.PUBLISHED,
                external_id=post.external_id,
                published_at=now - age,
                engagement_due_at=now - datetime.timedelta(seconds=1),
            )
        )
    return Publication.objects.bulk_create(publications)


def reads(sandbox):
    return len(sandbox.calls("facebook", "read"))


def fresh(publication):
    publication.refresh_from_db()
    return publication


@pytest.fixture
def retired_metric(monkeypatch):
    """`views` read through a metric Graph no longer knows."""
    metrics = {RETIRED: "views"}
    metrics.update((m, f) for m, f in POST_INSIGHTS.items() if f != "views")
    monkeypatch.setattr(facebook_reads, "POST_INSIGHTS", metrics)
    return metrics


# Tracking starts when posted ----------------------------------------------------------
def test_a_post_sent_is_due_for_its_first_read_within_five_minutes(
    org, sandbox, channel
):
    publication = due(org.article(), channel)

    dispatcher.dispatch_due()

    publication = fresh(publication)
    assert publication.status == S.PUBLISHED and publication.external_id
    wait = publication.engagement_due_at - publication.published_at
    assert wait == datetime.timedelta(seconds=120)
    assert wait <= datetime.timedelta(minutes=5)


def test_no_post_id_no_tracking():
    now = timezone.now()
    assert engagement.first_due(now, "") is None
    assert engagement.first_due(now, "123_456") == now + datetime.timedelta(minutes=2)


# Calls --------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 50, 120])
def test_n_posts_cost_ceil_n_over_50_count_reads_plus_the_insights_reads(
    org, sandbox, channel, adapter, count
):
    publications = published(org, channel, adapter, count)
    set_counts(sandbox, publications[0], reactions=12, comments=3, shares=2)
    set_counts(sandbox, publications[-1], views=900, reach=700, clicks=40)
    before = sandbox.calls("facebook", "read")

    summary = engagement.sync_due()

    calls = sandbox.calls("facebook", "read")[len(before) :]
    fields = [call["params"]["fields"] for call in calls]
    chunks = math.ceil(count / 50)
    assert sum("insights" not in f for f in fields) == chunks  # count reads
    assert sum(f.startswith("insights.metric(") for f in fields) == chunks
    assert len(calls) == 2 * chunks == summary.calls
    assert max(len(c["params"]["ids"].split(",")) for c in calls) <= 50
    assert (summary.total, summary.done, summary.errors) == (count, count, 0)
    first, last = fresh(publications[0]), fresh(publications[-1])
    assert (first.reactions, first.comments, first.shares) == (12, 3, 2)
    assert (last.views, last.reach, last.clicks) == (900, 700, 40)
    assert EngagementSnapshot.objects.count() == count  # the first reading of each
    assert first.engagement_synced_at is not None
    assert first.engagement_due_at > timezone.now()


def test_a_retired_metric_leaves_the_counts_and_other_metrics(
    org, sandbox, channel, adapter, retired_metric
):
    publications = published(org, channel, adapter, 60)
    for publication in publications:
        set_counts(sandbox, publication, reactions=5, views=9, reach=8, clicks=2)

    summary = engagement.sync_due()

    assert (summary.done, summary.errors) == (60, 0)
    for publication in publications:
        publication = fresh(publication)
        assert (publication.reactions, publication.comments) == (5, 0)
        assert publication.views is None  # unknown, not 0
        assert (publication.reach, publication.clicks) == (8, 2)
        assert publication.removed_at is None
    snapshot = EngagementSnapshot.objects.first()
    assert (snapshot.views, snapshot.reach) == (None, 8)

    # Remembered: the next sync (a new adapter) costs 2 x ceil(N/50) again.
    make_due(publications)
    before = reads(sandbox)
    engagement.sync_due()
    assert reads(sandbox) - before == 4
    assert RETIRED not in sandbox.calls("facebook", "read")[-1]["params"]["fields"]


def test_insights_refused_keep_the_counts(org, sandbox, channel, adapter):
    publications = published(org, channel, adapter, 3)
    set_counts(sandbox, publications[1], comments=4, views=7)
    sandbox.fault("facebook", "read", "latency", seconds=0)  # the counts read
    body = {"error": {"message": "(#10) read_insights", "type": "OAuthException"}}
    body["error"]["code"] = 10
    sandbox.fault("facebook", "read", "error", status=403, body=body)

    summary = engagement.sync_due()

    assert (summary.done, summary.errors) == (3, 0)
    publication = fresh(publications[1])
    assert (publication.comments, publication.views) == (4, None)
    assert fresh(channel).status == ChannelStatus.ACTIVE


# Removed posts ------------------------------------------------------------------------
def test_a_removed_post_stops_being_tracked_and_keeps_its_history(
    org, sandbox, channel, adapter
):
    publications = published(org, channel, adapter, 5)
    gone = publications[2]
    set_counts(sandbox, gone, reactions=9)
    engagement.sync_due()
    adapter.withdraw(gone.external_id)
    make_due(publications)

    summary = engagement.sync_due()

    gone = fresh(gone)
    assert summary.removed == 1 and summary.done == 5
    assert gone.removed_at is not None and gone.engagement_due_at is None
    assert gone.reactions == 9  # the last counts stay
    assert gone.snapshots.count() == 1  # history kept
    assert all(fresh(p).removed_at is None for p in publications if p != gone)

    make_due(publications)
    before = sandbox.calls("facebook", "read")
    engagement.sync_due()
    ids = ",".join(c["params"]["ids"] for c in sandbox.calls("facebook", "read"))
    assert (
        gone.external_id not in ids[len(",".join(c["params"]["ids"] for c in before)) :]
    )
    assert not engagement.due(timezone.now() + datetime.timedelta(days=99)).filter(
        pk=gone.pk
    )


# Snapshots ----------------------------------------------------------------------------
def test_a_snapshot_only_when_a_count_changed(org, sandbox, channel, adapter):
    (publication,) = published(org, channel, adapter, 1)
    set_counts(sandbox, publication, reactions=3)
    engagement.sync_due()
    assert publication.snapshots.count() == 1

    make_due([publication])
    summary = engagement.sync_due()
    assert summary.done == 1 and summary.snapshots == 0
    assert publication.snapshots.count() == 1

    set_counts(sandbox, publication, comments=2)
    make_due([publication])
    engagement.sync_due()
    rows = list(publication.snapshots.values_list("reactions", "comments"))
    assert rows == [(3, 0), (3, 2)]
    assert (fresh(publication).reactions, fresh(publication).comments) == (3, 2)


# Tiers --------------------------------------------------------------------------------
def test_tiers_from_the_setting(settings):
    settings.PUBLISHING_ENGAGEMENT_TIERS = [(48, 1), (168, 6), (720, 24), (2160, 168)]
    posted = timezone.now()
    h = datetime.timedelta(hours=1)

    def after(age):
        return engagement.next_due(posted, posted + age) - (posted + age)

    assert after(10 * datetime.timedelta(minutes=1)) == h
    assert after(47 * h) == h
    assert after(48 * h) == 6 * h
    assert after(6 * 24 * h) == 6 * h
    assert after(8 * 24 * h) == 24 * h
    assert after(31 * 24 * h) == 168 * h
    # The last weekly read is not pushed past day 90; at day 90 tracking stops.
    assert engagement.next_due(posted, posted + 88 * 24 * h) == posted + 90 * 24 * h
    assert engagement.next_due(posted, posted + 90 * 24 * h) is None

    settings.PUBLISHING_ENGAGEMENT_TIERS = [(2, 1)]
    assert after(30 * datetime.timedelta(minutes=1)) == h
    assert engagement.next_due(posted, posted + 2 * h) is None


def test_a_read_moves_the_post_to_its_tier(org, sandbox, channel, adapter):
    young, old = published(org, channel, adapter, 2)
    Publication.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10)
    )
    Publication.objects.filter(pk=young.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=91)
    )

    engagement.sync_due()

    now = timezone.now()
    old = fresh(old)
    assert abs(old.engagement_due_at - (now + datetime.timedelta(days=1))) < (
        datetime.timedelta(minutes=1)
    )
    assert fresh(young).engagement_due_at is None  # past day 90: no longer read
    assert fresh(young).engagement_synced_at is not None


# Roll-up ------------------------------------------------------------------------------
def test_roll_up_keeps_each_days_last_after_a_week(org, sandbox, channel, adapter):
    (publication,) = published(org, channel, adapter, 1)
    now = timezone.now()
    local = timezone.localtime(now - datetime.timedelta(days=9)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    old_day = [local + datetime.timedelta(hours=h) for h in (0, 3, 6)]
    next_day = [t + datetime.timedelta(days=1) for t in old_day]
    recent = [now - datetime.timedelta(hours=h) for h in (1, 2, 3)]
    for n, moment in enumerate(old_day + next_day + recent):
        EngagementSnapshot.objects.create(
            publication=publication, captured_at=moment, reactions=n
        )

    deleted = engagement.roll_up(now)

    assert deleted == 4
    kept = list(publication.snapshots.values_list("reactions", flat=True))
    assert kept == [2, 5, 8, 7, 6]  # the last of each old day, every recent one
    assert engagement.roll_up(now) == 0


# Rate limits and reconnection ---------------------------------------------------------
def test_a_rate_limit_stops_the_channel_and_the_sync_resumes_where_it_stopped(
    org, sandbox, channel, adapter
):
    publications = published(org, channel, adapter, 120)
    sandbox.fault("facebook", "read", "latency", seconds=0, times=2)  # chunk 1
    sandbox.fault("facebook", "read", "rate_limit", code=32, minutes=3)

    summary = engagement.sync_due()

    assert (summary.total, summary.done) == (120, 50)
    assert summary.stopped == [channel.pk]
    pause = ChannelPause.objects.get(channel=channel)
    assert pause.until > timezone.now() + datetime.timedelta(minutes=2)
    read = [p for p in publications if fresh(p).engagement_synced_at]
    assert len(read) == 50
    assert engagement.due(timezone.now()).count() == 0  # paused: nothing read now

    before = reads(sandbox)
    assert engagement.sync_due().total == 0
    assert reads(sandbox) == before

    ChannelPause.objects.filter(channel=channel).update(
        until=timezone.now() - datetime.timedelta(seconds=1)
    )
    summary = engagement.sync_due()
    assert (summary.total, summary.done, summary.calls) == (70, 70, 4)
    assert all(fresh(p).engagement_synced_at for p in publications)
    assert EngagementSnapshot.objects.count() == 120


def test_a_revoked_token_stops_the_channel_and_loses_nothing(
    org, sandbox, channel, adapter
):
    publications = published(org, channel, adapter, 3)
    sandbox.fault("facebook", "read", "expired_token")

    summary = engagement.sync_due()

    assert summary.done == 0 and summary.stopped == [channel.pk]
    assert fresh(channel).status == ChannelStatus.NEEDS_RECONNECT
    assert all(fresh(p).engagement_due_at <= timezone.now() for p in publications)

    Channel.objects.filter(pk=channel.pk).update(status=ChannelStatus.ACTIVE)
    assert engagement.sync_due().done == 3


def test_another_error_is_logged_and_other_channels_go_on(
    org, sandbox, channel, adapter
):
    other_page = sandbox.facebook_page("BHXH Lộc Bình")
    other = fb_channel(org, other_page, name="BHXH Lộc Bình")
    mine = published(org, channel, adapter, 2)
    theirs = published(org, other, FacebookNetwork(other), 2)
    body = {"error": {"message": "(#100) Something else", "code": 100}}
    sandbox.fault("facebook", "read", "error", body=body)  # no retry for a 100

    summary = engagement.sync_due()

    assert summary.errors == 1 and summary.done == 2
    failed = [p for p in mine + theirs if not fresh(p).engagement_synced_at]
    assert len(failed) == 2
    assert all(fresh(p).engagement_due_at > timezone.now() for p in failed)


# Followers ----------------------------------------------------------------------------
def test_followers_one_row_per_channel_per_day(org, sandbox, channel):
    now = timezone.now()

    assert engagement.sync_followers(now)["read"] == 1
    sandbox.control(
        "followers",
        {"network": "facebook", "id": channel.external_id, "followers": 1500},
    )
    engagement.sync_followers(now + datetime.timedelta(minutes=5))

    rows = list(FollowerSnapshot.objects.values_list("captured_on", "followers"))
    assert rows == [(timezone.localdate(now), 1500)]
    assert fresh(channel).followers == 1500

    engagement.sync_followers(now + datetime.timedelta(days=1))
    assert FollowerSnapshot.objects.filter(channel=channel).count() == 2


# The command --------------------------------------------------------------------------
def test_sync_engagement_command_with_a_progress_bar(org, sandbox, channel, adapter):
    published(org, channel, adapter, 60)
    out, err = io.StringIO(), io.StringIO()

    call_command("sync_engagement", "--limit", "55", stdout=out, stderr=err)

    assert "55/55" in err.getvalue() and "lượt gọi" in err.getvalue()
    assert "55/55 bài đăng đã đọc, 4 lượt gọi" in out.getvalue()
    assert engagement.due(timezone.now()).count() == 5

    # --all also starts tracking a post published before tracking existed.
    (older,) = published(org, channel, adapter, 1)
    Publication.objects.filter(pk=older.pk).update(engagement_due_at=None)
    call_command("sync_engagement", "--all", stdout=out, stderr=err)
    assert engagement.due(timezone.now()).count() == 0
    assert "1 bài đăng bắt đầu được theo dõi" in out.getvalue()
    assert "6/6 bài đăng đã đọc" in out.getvalue()
    assert fresh(older).engagement_synced_at is not None


# Zalo ---------------------------------------------------------------------------------
def test_zalo_views_when_present_and_followers(org, sandbox, settings):
    network_options(settings, "zalo", **FAST_ZALO)
    oa = sandbox.zalo_oa("OA Bắc Sơn", followers=500)
    channel = zalo_channel(org, oa)
    adapter = engagement.adapter_for(channel)
    page = org.article()
    now = timezone.now()
    publications = []
    for n in range(3):
        posted = adapter.publish(zalo_article(f"pub-z{n}"))
        publications.append(
            Publication.objects.create(
                page=page,
                channel=channel,
                round=n + 1,
                publish_at=now,
                status=S.PUBLISHED,
                external_id=posted.external_id,
                published_at=now,
                engagement_due_at=now,
            )
        )
    set_counts(sandbox, publications[0], views=321)
    before = len(sandbox.calls("zalo", "getdetail"))

    summary = engagement.sync_due()

    assert (summary.done, summary.errors) == (3, 0)
    first = fresh(publications[0])
    assert first.views == 321
    assert first.reactions is None and first.shares is None  # Zalo does not say
    assert EngagementSnapshot.objects.filter(publication__channel=channel).count() == 3
    assert len(sandbox.calls("zalo", "getdetail")) - before == 3  # one per article

    assert engagement.sync_followers()["read"] == 1
    assert FollowerSnapshot.objects.get(channel=channel).followers == 500
