"""The dispatcher against the sandbox: every fault of the life cycle, asserting the
database AND what the sandbox received (guarantees 1-3)."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from publishing.models import (
    AttemptOutcome,
    ChannelStatus,
    PauseScope,
    Publication,
    PublicationStatus,
    PublishingPause,
)
from publishing.networks import Payload
from publishing.networks import messages as texts
from publishing.outbox import dispatcher
from publishing.outbox.compose import compose
from tests.conftest import make_image
from tests.publishing.factories import (
    due,
    fb_channel,
    feed_calls,
    fresh,
    posts,
    zalo_channel,
)
from tests.sandbox import network_options

S = PublicationStatus


# Helpers ------------------------------------------------------------------------
# Happy paths ----------------------------------------------------------------------
@pytest.mark.django_db
class TestHappyPath:
    def test_facebook_link(self, sandbox, fb, article):
        publication = due(article, fb)
        summary = dispatcher.dispatch_due()
        publication = fresh(publication)
        assert summary["claimed"] == 1 and summary[AttemptOutcome.OK] == 1
        assert publication.status == S.PUBLISHED
        assert publication.external_id and publication.permalink
        assert publication.published_at is not None
        assert publication.attempts == 1 and publication.leased_by == ""
        assert publication.payload["kind"] == "link"
        assert f"utm_content=pub-{publication.pk}" in publication.payload["link"]
        assert len(posts(sandbox)) == 1
        assert len(feed_calls(sandbox)) == 1
        post = sandbox.state.data["posts"][publication.external_id]
        assert f"pub-{publication.pk}" in str(post)
        history = list(publication.attempt_history.all())
        assert [a.outcome for a in history] == [AttemptOutcome.OK]
        # Nothing is due any more: a second run posts nothing.
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert len(posts(sandbox)) == 1

    def test_facebook_photo(self, sandbox, fb, article):
        publication = due(article, fb, kind="photo")
        dispatcher.dispatch_due()
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED, publication.last_error
        assert publication.payload["kind"] == "photo"
        assert len(publication.payload["images"]) == 1
        assert publication.external_id and publication.permalink
        assert len(posts(sandbox)) == 1
        assert len(sandbox.calls("facebook", "photos")) == 1

    def test_facebook_several_photos(self, sandbox, fb, org):
        """Cover + body images: each uploaded unpublished, then ONE feed post
        attaching them all (not one post per photo)."""
        body = [
            {"type": "image", "value": {"image": make_image(f"Ảnh {n}").pk}}
            for n in (1, 2)
        ]
        article = org.article(title="Ngày hội BHXH", body=body)
        publication = due(article, fb, kind="photos")
        dispatcher.dispatch_due()
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED, publication.last_error
        assert publication.payload["kind"] == "photos"
        assert len(publication.payload["images"]) == 3  # cover + two body images
        uploads = sandbox.calls("facebook", "photos")
        assert len(uploads) == 3
        assert all(c["params"].get("published") == "false" for c in uploads)
        assert len(feed_calls(sandbox)) == 1
        assert len(posts(sandbox)) == 1  # unpublished photos are not posts
        post = sandbox.state.data["posts"][publication.external_id]
        # The text carries the short link, never the long tracking address.
        assert f"/l/{publication.link_code}" in post["message"]
        assert "utm_" not in post["message"]
        photos = sandbox.state.data["photos"].values()
        assert len(post["images"]) == 3
        assert sorted(p["url"] for p in photos) == sorted(post["images"])
        assert all(p["post_id"] == publication.external_id for p in photos)
        assert publication.permalink.endswith(f"#post-{publication.external_id}")

    def test_zalo_article(self, sandbox, org, article, zalo_fast):
        channel = zalo_channel(org, sandbox.zalo_oa("BHXH cơ sở Bắc Sơn"))
        publication = due(article, channel)
        dispatcher.dispatch_due()
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED, publication.last_error
        assert publication.payload["kind"] == "article"
        assert publication.external_id
        assert publication.verify_token  # stored before polling
        articles = sandbox.state.data["articles"]
        assert len(articles) == 1
        assert publication.external_id in articles
        assert len(sandbox.calls("zalo", "create")) == 1


# Unknown outcomes: reconcile, never twice -------------------------------------------
@pytest.mark.django_db
class TestNeverTwice:
    def test_500_but_created_is_reconciled_to_one_post(self, sandbox, fb, article):
        publication = due(article, fb)
        sandbox.fault("facebook", "feed", "500_but_created")
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.UNCONFIRMED
        assert len(posts(sandbox)) == 1
        # An unconfirmed publication is never claimed again before reconciling.
        assert dispatcher.dispatch_due()["claimed"] == 0
        summary = dispatcher.reconcile_unconfirmed()
        publication = fresh(publication)
        assert summary["published"] == 1
        assert publication.status == S.PUBLISHED
        assert publication.external_id in sandbox.state.data["posts"]
        dispatcher.dispatch_due()
        assert len(posts(sandbox)) == 1
        assert len(feed_calls(sandbox)) == 1
        outcomes = [a.outcome for a in publication.attempt_history.all()]
        assert outcomes == [AttemptOutcome.UNKNOWN, AttemptOutcome.RECONCILED]

    def test_timeout_after_create_gives_one_post(self, sandbox, fb, article, settings):
        network_options(settings, "facebook", timeout=0.5)
        publication = due(article, fb)
        sandbox.fault("facebook", "feed", "timeout_after_create", seconds=2)
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.UNCONFIRMED
        dispatcher.reconcile_unconfirmed()
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED
        dispatcher.dispatch_due()
        assert len(posts(sandbox)) == 1
        assert len(feed_calls(sandbox)) == 1

    def test_not_found_is_scheduled_again_then_posted_once(self, sandbox, fb, article):
        publication = due(article, fb)
        sandbox.fault("facebook", "feed", "html_500")  # failed before creating
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.UNCONFIRMED
        assert posts(sandbox) == []
        assert dispatcher.reconcile_unconfirmed()["scheduled"] == 1
        assert fresh(publication).status == S.SCHEDULED
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.PUBLISHED
        assert len(posts(sandbox)) == 1

    def test_an_expired_lease_is_reconciled_without_a_duplicate(
        self, sandbox, fb, article
    ):
        publication = due(article, fb)
        # A scheduler posted it, then died before recording anything.
        dispatcher.claim(timezone.now(), "dead-worker", 10)
        adapter = dispatcher.adapter_for(fb)

        payload = compose(article, fb, publication.marker, code=publication.link_code)
        Publication.objects.filter(pk=publication.pk).update(
            payload=payload.as_dict(),
            lease_until=timezone.now() - datetime.timedelta(seconds=1),
        )
        adapter.publish(Payload.from_dict(payload.as_dict()))
        assert fresh(publication).status == S.PUBLISHING
        # The dead worker's lease blocks nothing once expired; dispatch does not
        # touch it, reconciliation finds the post.
        assert dispatcher.dispatch_due()["claimed"] == 0
        dispatcher.reconcile_unconfirmed()
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED
        assert publication.leased_by == ""
        dispatcher.dispatch_due()
        assert len(posts(sandbox)) == 1
        assert len(feed_calls(sandbox)) == 1

    def test_a_lost_lease_is_not_sent(self, sandbox, fb, article):
        publication = due(article, fb)
        dispatcher.claim(timezone.now(), "slow-worker", 10)
        dispatcher.recover_leases(timezone.now() + datetime.timedelta(hours=1))
        assert dispatcher.publish_one(publication.pk, "slow-worker") is None
        assert fresh(publication).status == S.UNCONFIRMED
        assert feed_calls(sandbox) == []


# Tokens, rate limits, rejections -----------------------------------------------------
@pytest.mark.django_db
class TestChannelProblems:
    def test_expired_token_holds_then_reconnect_releases(
        self, sandbox, fb, article, org
    ):
        first = due(article, fb)
        second = due(org.article(title="Bài thứ hai"), fb)
        sandbox.fault("facebook", "feed", "expired_token")
        dispatcher.dispatch_due()
        fb.refresh_from_db()
        assert fresh(first).status == S.HELD
        assert fresh(second).status == S.HELD
        assert fb.status == ChannelStatus.NEEDS_RECONNECT
        assert fb.status_reason
        assert posts(sandbox) == []
        assert len(feed_calls(sandbox)) == 1  # the second was never attempted
        assert dispatcher.dispatch_due()["claimed"] == 0
        # Reconnect: the sandbox gives a fresh token for the same Page.
        token = sandbox.control(
            "facebook/pages", {"id": fb.external_id, "name": "BHXH Bắc Sơn"}
        )
        fb.set_credentials({"page_token": token["page_token"]})
        fb.status, fb.status_reason = ChannelStatus.ACTIVE, ""
        fb.save()
        assert fresh(first).status == S.SCHEDULED
        assert fresh(second).status == S.SCHEDULED
        dispatcher.dispatch_due()
        assert fresh(first).status == S.PUBLISHED
        assert fresh(second).status == S.PUBLISHED
        assert len(posts(sandbox)) == 2
        markers = [f"pub-{first.pk}", f"pub-{second.pk}"]
        assert all(sum(m in str(p) for p in posts(sandbox)) == 1 for m in markers)

    def test_content_rejected_fails_without_retry(self, sandbox, fb, article):
        publication = due(article, fb)
        body = {"error": {"message": "(#100) Invalid", "type": "X", "code": 100}}
        sandbox.fault("facebook", "feed", "error", body=body)
        dispatcher.dispatch_due()
        publication = fresh(publication)
        assert publication.status == S.FAILED
        with translation.override("vi"):
            expected = str(texts.FB_BAD_PARAMETER)
        assert publication.last_error == expected
        with translation.override("en"):
            assert expected != str(texts.FB_BAD_PARAMETER)  # really Vietnamese
        assert publication.last_error_code == "100"
        later = timezone.now() + datetime.timedelta(hours=1)
        assert dispatcher.dispatch_due(now=later)["claimed"] == 0
        assert len(feed_calls(sandbox)) == 1 and posts(sandbox) == []


@pytest.mark.django_db(transaction=True)
def test_rate_limit_pauses_the_channel_others_proceed(
    sandbox, org, settings, zalo_fast
):
    settings.PUBLISHING_WORKERS = 4  # two channels: the thread pool runs
    busy = fb_channel(org, sandbox.facebook_page("Trang bận"), "Trang bận")
    other = zalo_channel(org, sandbox.zalo_oa("OA khác"))
    article = org.article()
    first = due(article, busy, ago=datetime.timedelta(minutes=2))
    second = due(org.article(title="Bài thứ hai"), busy)
    elsewhere = due(article, other)
    sandbox.fault("facebook", "feed", "rate_limit", minutes=5)
    start = timezone.now()
    dispatcher.dispatch_due()
    first, second, elsewhere = fresh(first), fresh(second), fresh(elsewhere)
    assert first.status == S.RETRYING
    expected = start + datetime.timedelta(minutes=5)
    assert abs((first.next_attempt_at - expected).total_seconds()) < 30
    assert second.status == S.SCHEDULED  # released, never attempted
    assert elsewhere.status == S.PUBLISHED, elsewhere.last_error
    assert len(sandbox.state.data["articles"]) == 1
    assert len(feed_calls(sandbox)) == 1  # the busy page once (refused)
    assert busy.rate_pause.until >= expected - datetime.timedelta(seconds=5)
    # Before the announced time nothing more goes to the busy page.
    soon = dispatcher.dispatch_due(now=start + datetime.timedelta(minutes=4))
    assert soon["claimed"] == 0
    assert len(feed_calls(sandbox)) == 1
    dispatcher.dispatch_due(now=start + datetime.timedelta(minutes=6))
    assert fresh(first).status == S.PUBLISHED
    assert fresh(second).status == S.PUBLISHED
    assert len(posts(sandbox)) == 2
    assert len(feed_calls(sandbox)) == 3


# Catch-up, pause, the scheduler command ---------------------------------------
@pytest.mark.django_db
class TestScheduling:
    def test_catch_up_expires_old_and_posts_recent(self, sandbox, fb, article, org):
        old = due(article, fb, ago=datetime.timedelta(hours=7))
        recent = due(
            org.article(title="Bài gần đây"), fb, ago=datetime.timedelta(hours=1)
        )
        dispatcher.dispatch_due()
        old, recent = fresh(old), fresh(recent)
        assert old.status == S.EXPIRED
        assert old.last_error.startswith("Quá hạn đăng tự động")
        assert recent.status == S.PUBLISHED
        assert len(posts(sandbox)) == 1
        assert f"pub-{recent.pk}" in str(posts(sandbox)[0])
        assert old.attempt_history.count() == 0

    def test_global_pause_then_resume(self, sandbox, fb, article, org):
        publication = due(article, fb)
        pause = PublishingPause.objects.create(
            scope=PauseScope.GLOBAL, reason="Sai số liệu", created_by=org.user("ql")
        )
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert fresh(publication).status == S.SCHEDULED
        assert feed_calls(sandbox) == []
        pause.delete()
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.PUBLISHED
        assert len(posts(sandbox)) == 1

    def test_channel_and_unit_pauses(self, sandbox, fb, article):
        publication = due(article, fb)
        PublishingPause.objects.create(scope=PauseScope.CHANNEL, channel=fb)
        assert dispatcher.dispatch_due()["claimed"] == 0
        PublishingPause.objects.all().delete()
        PublishingPause.objects.create(scope=PauseScope.UNIT, unit=fb.unit)
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert fresh(publication).status == S.SCHEDULED and feed_calls(sandbox) == []

    def test_a_pause_on_the_region_holds_its_districts(self, sandbox, fb, article, org):
        assert fb.unit.parent == org.region
        publication = due(article, fb)
        PublishingPause.objects.create(scope=PauseScope.UNIT, unit=org.region)
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert fresh(publication).status == S.SCHEDULED

    def test_an_article_taken_offline_is_not_shared(self, sandbox, fb, article):
        publication = due(article, fb)
        article.unpublish()
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert fresh(publication).status == S.SCHEDULED and feed_calls(sandbox) == []

    def test_run_scheduler_once_posts_a_due_publication(
        self, sandbox, fb, article, settings
    ):
        settings.PUBLISHING_DISPATCH_INTERVAL = 1
        publication = due(article, fb)
        call_command("run_scheduler", "--once")
        publication = fresh(publication)
        assert publication.status == S.PUBLISHED
        assert len(posts(sandbox)) == 1
        assert publication.permalink


@pytest.mark.django_db(transaction=True)
def test_a_long_call_keeps_its_lease(sandbox, org, settings):
    """Lease recovery during a slow call takes nothing: the heartbeat renews it."""
    settings.PUBLISHING_LEASE_SECONDS = 0.6
    channel = fb_channel(org, sandbox.facebook_page("Trang chậm"))
    publication = due(org.article(), channel, ago=datetime.timedelta(minutes=2))
    waiting = due(org.article(title="Bài chờ lượt"), channel)  # same channel: queued
    sandbox.fault("facebook", "feed", "delay", seconds=1.5)

    def run():
        try:
            dispatcher.dispatch_due()
        finally:
            connection.close()  # this thread's own connection

    worker = threading.Thread(target=run)
    worker.start()
    try:
        threading.Event().wait(1.0)
        with dispatcher.db_phase():  # SQLite: take turns with the dispatch threads
            assert fresh(publication).status == S.PUBLISHING
            assert fresh(waiting).status == S.PUBLISHING  # its turn has not come
            assert dispatcher.recover_leases() == 0  # neither lease has run out
    finally:
        worker.join()
    assert fresh(publication).status == S.PUBLISHED
    assert fresh(waiting).status == S.PUBLISHED
    assert len(posts(sandbox)) == 2


@pytest.mark.django_db(transaction=True)
def test_at_most_workers_calls_in_flight_and_they_overlap(sandbox, org, settings):
    """PUBLISHING_WORKERS bounds the calls in flight (what the networks see);
    preparing and recording run beside them."""
    settings.PUBLISHING_WORKERS = 2
    article = org.article()
    for n in range(6):
        due(article, fb_channel(org, sandbox.facebook_page(f"Trang {n}"), f"T{n}"))
    sandbox.fault("facebook", "feed", "delay", seconds=0.3, times=6)
    in_flight, done = [], threading.Event()

    def watch():
        while not done.wait(0.01):
            in_flight.append(sum(c["status"] is None for c in feed_calls(sandbox)))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        summary = dispatcher.dispatch_due()
    finally:
        done.set()
        watcher.join()
    assert summary[AttemptOutcome.OK] == 6
    assert max(in_flight) == 2
    assert len(posts(sandbox)) == 6


@pytest.mark.django_db
def test_dispatch_all_drains_a_backlog_batch_after_batch(sandbox, fb, org, settings):
    settings.PUBLISHING_CLAIM_LIMIT = 2
    article = org.article()
    pubs = [due(article, fb, round=n) for n in range(1, 6)]
    summary = dispatcher.dispatch_all()
    assert summary["claimed"] == 5 and summary[AttemptOutcome.OK] == 5
    assert all(fresh(p).status == S.PUBLISHED for p in pubs)
    assert len(posts(sandbox)) == 5


@pytest.mark.django_db
def test_stopping_gives_claimed_publications_back_unsent(sandbox, fb, article):
    publication = due(article, fb)
    dispatcher.STOPPING.set()  # what SIGTERM does in the scheduler process
    try:
        summary = dispatcher.dispatch_all()
    finally:
        dispatcher.STOPPING.clear()
    assert summary["claimed"] == 1
    publication = fresh(publication)
    assert publication.status == S.SCHEDULED and publication.leased_by == ""
    assert feed_calls(sandbox) == []
