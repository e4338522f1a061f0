"""seed_demo with the sandbox running: demo channels, and shares that go out at once."""

import io

from django.core.management import call_command
from django.utils import timezone

from publishing.demo import SHARE_AT_ONCE
from publishing.models import Channel, Publication, PublicationStatus, SharePlan
from publishing.outbox import dispatcher
from tests.sandbox import network_options


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
    publications = Publication.objects.count()
    assert plans == publications > 0  # round 1 made when the plans were published

    now = timezone.now()
    due = Publication.objects.filter(publish_at__lte=now)
    later = Publication.objects.filter(publish_at__gt=now)
    assert due.values("page").distinct().count() == SHARE_AT_ONCE
    assert later.exists()
    assert later.filter(publish_at__lte=now + timezone.timedelta(hours=12)).count() < (
        later.count()
    )  # spread over the coming days, not all at once

    while dispatcher.dispatch_due()["claimed"]:
        pass
    published = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
    assert set(published) == set(due), [
        (p.channel.name, p.status, p.last_error) for p in due.exclude(pk__in=published)
    ]
    assert all(p.permalink for p in published)
    posted = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    articles = list(sandbox.state.data["articles"].values())
    assert len(posted) + len(articles) == due.count()

    seed()  # idempotent: no new plan, no new share round
    assert (SharePlan.objects.count(), Publication.objects.count()) == (
        plans,
        publications,
    )
