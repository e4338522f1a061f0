"""seed_demo with the sandbox running: demo channels, their follower history from
before they were connected, and shares that go out at once."""

import datetime
import io
import zoneinfo

from django.core.management import call_command
from django.utils import timezone

from cms.core.models import Campaign
from publishing.demo import (
    DEMO_UNITS,
    HISTORY_HOURS,
    HISTORY_MARK,
    HISTORY_WEEKS,
    SHARE_AT_ONCE,
)
from publishing.models import (
    Broadcast,
    Channel,
    FollowerSnapshot,
    Network,
    Publication,
    PublicationStatus,
    SharePlan,
)
from publishing.outbox import dispatcher
from tests.sandbox import network_options

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_shares_fill_the_sandbox_feed_and_seeding_again_adds_none(
    db, sandbox, settings
):
    settings.SANDBOX_URL = sandbox.url
    settings.PUBLISHING_WORKERS = 1  # threads cannot share the in-memory test database
    network_options(settings, "zalo", verify_interval=0)
    seed()
    assert Channel.objects.count() == 6
    plans = SharePlan.objects.count()
    # The region Page's past posts (best times) are not shares of the seed.
    history = Publication.objects.filter(external_id__startswith=HISTORY_MARK)
    assert history.count() == HISTORY_WEEKS * len(HISTORY_HOURS)
    assert {p.channel.unit.slug for p in history} == {"khu-vuc-v"}
    shares = Publication.objects.exclude(pk__in=history)
    publications = shares.count()
    assert plans == publications > 0  # round 1 made when the plans were published
    # One demo share, the newest article's first on a Zalo OA, goes to its followers.
    [broadcast] = Broadcast.objects.select_related("publication__channel")
    assert broadcast.publication.channel.network == Network.ZALO
    assert broadcast.audience == {}
    assert SharePlan.objects.filter(broadcast=True).count() == 1

    now = timezone.now()
    due = shares.filter(publish_at__lte=now)
    later = shares.filter(publish_at__gt=now)
    assert due.values("page").distinct().count() == SHARE_AT_ONCE
    assert later.exists()
    assert later.filter(publish_at__lte=now + timezone.timedelta(hours=12)).count() < (
        later.count()
    )  # spread over the coming days, not all at once

    while dispatcher.dispatch_due()["claimed"]:
        pass
    published = shares.filter(status=PublicationStatus.PUBLISHED)
    assert set(published) == set(due), [
        (p.channel.name, p.status, p.last_error) for p in due.exclude(pk__in=published)
    ]
    assert all(p.permalink for p in published)
    posted = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    articles = list(sandbox.state.data["articles"].values())
    assert len(posted) + len(articles) == due.count()

    seed()  # idempotent: no new plan, share round, broadcast or past post
    assert (
        SharePlan.objects.count(),
        Publication.objects.count(),
        Broadcast.objects.count(),
    ) == (plans, publications + HISTORY_WEEKS * len(HISTORY_HOURS), 1)


def test_demo_channels_get_a_follower_history_before_they_were_connected(
    db, sandbox, settings, time_machine
):
    # Mid half-year: on its first day (1 January, 1 July) the campaign has no day
    # before the channels were connected, so no history.
    time_machine.move_to(datetime.datetime(2026, 10, 15, 10, 0, tzinfo=LOCAL))
    settings.SANDBOX_URL = sandbox.url
    settings.PUBLISHING_WORKERS = 1
    seed()
    campaign = Campaign.objects.get()
    channels = Channel.objects.all()
    assert channels.count() == 6
    yesterday = datetime.date(2026, 10, 14)
    days = (yesterday - campaign.starts_on).days + 1
    assert campaign.starts_on == datetime.date(2026, 7, 1) and days == 106
    for channel in channels:
        history = list(channel.follower_snapshots.order_by("captured_on"))
        assert len(history) == days
        assert history[0].captured_on == campaign.starts_on
        assert history[-1].captured_on == yesterday
        counts = [row.followers for row in history]
        assert counts == sorted(counts) and counts[0] < counts[-1]
        final = DEMO_UNITS[channel.unit.slug]
        if channel.network == Network.ZALO:
            final //= 2
        assert counts[-1] == final

    before = sorted(FollowerSnapshot.objects.values_list("channel", "captured_on"))
    seed()
    after = sorted(FollowerSnapshot.objects.values_list("channel", "captured_on"))
    assert after == before
