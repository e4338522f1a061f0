"""The Facebook adapter against the sandbox: what it sends, how each failure of the
Graph API becomes one typed error, reconciliation, engagement and the health check."""

import datetime
import socket

import facebook
import pytest
import requests
from django.utils import timezone

from publishing.networks import (
    ContentRejected,
    ImageRef,
    OutcomeUnknown,
    Payload,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)
from publishing.networks import messages as texts
from publishing.networks.facebook import POST_INSIGHTS, FacebookNetwork
from publishing.networks.facebook import reads as facebook_reads
from tests.publishing.factories import fb_channel
from tests.publishing.helpers import capture_logs, link_payload
from tests.sandbox import network_options

pytestmark = pytest.mark.django_db

IMAGE = "https://bhxh.example/media/images/bia.original.png"


# Fixtures and helpers -------------------------------------------------------------
@pytest.fixture
def logs():
    with capture_logs() as records:
        yield records


@pytest.fixture
def fb_page(sandbox):
    return sandbox.facebook_page("BHXH cơ sở Bắc Sơn", followers=1200)


@pytest.fixture
def channel(fb_page):
    return fb_channel(None, fb_page)


@pytest.fixture
def adapter(channel):
    return adapter_for(channel)


def state(sandbox):
    return requests.get(sandbox.url + "_sandbox/state", timeout=5).json()


def live_posts(sandbox):
    return [p for p in state(sandbox)["posts"].values() if not p.get("deleted")]


def graph_error(code, subcode=None, transient=False, message=None):
    error = {
        "message": message or f"(#{code}) Something the network says",
        "type": "OAuthException",
        "code": code,
        "is_transient": transient,
        "fbtrace_id": "Atrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def assert_secret_kept(error, logs, *secrets):
    for secret in secrets:
        for text in (str(error), str(error.message), error.detail, repr(error.args)):
            assert secret not in text
        assert secret not in logs.text


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def full_port():
    """A port whose listen queue is full: connecting times out (ConnectTimeout)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in [*fillers, server]:
        sock.close()


# Publishing -----------------------------------------------------------------------
class TestPublishing:
    def test_link_post(self, sandbox, adapter, fb_page):
        payload = link_payload()
        published = adapter.publish(payload)

        assert published.external_id.startswith(fb_page["id"] + "_")
        assert published.permalink
        assert published.published_at is not None
        [post] = live_posts(sandbox)
        assert post["id"] == published.external_id
        assert post["message"] == payload.message
        assert post["link"] == payload.link
        assert post["received"]["fields"] == "permalink_url"
        # One call: the permalink came back with the post.
        assert [c["endpoint"] for c in sandbox.calls("facebook")] == ["feed"]

    def test_photo_post_by_url(self, sandbox, adapter, fb_page):
        payload = Payload(
            kind="photo", marker="pub-8", message="Ảnh", images=[ImageRef(IMAGE)]
        )
        published = adapter.publish(payload)

        [post] = live_posts(sandbox)
        assert post["id"] == published.external_id
        assert post["images"] == [IMAGE]
        assert post["message"] == "Ảnh"
        assert post["received"]["caption"] == "Ảnh"
        assert published.permalink == post["permalink_url"]
        assert [c["endpoint"] for c in sandbox.calls("facebook")] == ["photos", "post"]

    def test_photo_post_from_a_local_file(self, sandbox, adapter, tmp_path):
        path = tmp_path / "bia.png"
        path.write_bytes(b"\x89PNG fake image bytes")
        payload = Payload(
            kind="photo",
            marker="pub-9",
            message="Ảnh",
            images=[ImageRef(IMAGE, path=str(path))],
        )
        adapter.publish(payload)

        [photo] = state(sandbox)["photos"].values()
        assert photo["size"] == path.stat().st_size

    def test_several_photos_in_one_post(self, sandbox, adapter):
        images = [ImageRef(f"https://bhxh.example/media/{n}.png") for n in (1, 2, 3)]
        payload = Payload(
            kind="photos", marker="pub-10", message="Ba ảnh", images=images
        )
        published = adapter.publish(payload)

        data = state(sandbox)
        [post] = [p for p in data["posts"].values()]
        assert post["id"] == published.external_id
        assert post["message"] == "Ba ảnh"
        assert post["images"] == [i.url for i in images]
        assert set(post["received"]) >= {f"attached_media[{n}]" for n in range(3)}
        photos = sorted(data["photos"].values(), key=lambda p: int(p["id"]))
        assert [p["post_id"] for p in photos] == [post["id"]] * 3
        uploads = sandbox.calls("facebook", "photos")
        assert [c["params"]["published"] for c in uploads] == ["false"] * 3

    def test_update_edits_the_text(self, sandbox, adapter):
        published = adapter.publish(link_payload())
        adapter.update(published.external_id, link_payload(message="Đã sửa"))

        [post] = live_posts(sandbox)
        assert post["message"] == "Đã sửa"

    def test_withdraw_deletes_and_again_is_fine(self, sandbox, adapter):
        published = adapter.publish(link_payload())
        adapter.withdraw(published.external_id)
        adapter.withdraw(published.external_id)  # already gone: nothing to do

        assert live_posts(sandbox) == []

    def test_invalid_payload_is_rejected_without_a_call(self, sandbox, adapter):
        with pytest.raises(ContentRejected) as caught:
            adapter.publish(Payload(kind="photo", marker="pub-1", message="x"))

        assert "Bài đăng ảnh cần đúng một ảnh; hiện có 0." in str(caught.value)
        assert sandbox.calls("facebook") == []

    def test_paths_are_versioned_and_the_token_stays_out_of_urls(
        self, sandbox, adapter, fb_page, logs
    ):
        adapter.publish(link_payload())
        adapter.fetch_followers()

        for call in sandbox.calls("facebook"):
            assert call["path"].startswith("/v24.0/")
            assert "access_token" not in call["params"]
        assert fb_page["page_token"] not in logs.text

    def test_the_library_module_is_left_alone(self, adapter):
        assert facebook.FACEBOOK_GRAPH_URL == "https://graph.facebook.com/"
        assert adapter.graph.base_url != facebook.FACEBOOK_GRAPH_URL


# Error mapping: one row per Graph error the adapter maps -----------------------------
PUBLISH_ERRORS = [
    # (code, subcode, is_transient, HTTP status) -> error class
    ((1, None, False, 400), RetryLater),
    ((2, None, False, 400), RetryLater),
    ((9000, None, True, 400), RetryLater),
    ((1, None, True, 500), OutcomeUnknown),
    ((2, None, True, 503), OutcomeUnknown),
    *[((190, sub, False, 401), ReconnectNeeded) for sub in (458, 459, 460, 463)],
    *[((190, sub, False, 401), ReconnectNeeded) for sub in (464, 467, 492)],
    ((102, None, False, 400), ReconnectNeeded),
    ((10, None, False, 403), ReconnectNeeded),
    ((200, None, False, 403), ReconnectNeeded),
    ((299, None, False, 403), ReconnectNeeded),
    ((100, None, False, 400), ContentRejected),
    ((1609005, None, False, 400), ContentRejected),
    ((368, None, False, 400), ContentRejected),
    ((506, None, False, 400), OutcomeUnknown),
    ((9999, None, False, 400), ContentRejected),
]


class TestErrorMapping:
    @pytest.mark.parametrize(("row", "expected"), PUBLISH_ERRORS)
    def test_publish_error(self, sandbox, adapter, fb_page, logs, row, expected):
        code, subcode, transient, status = row
        body = graph_error(code, subcode, transient)
        sandbox.fault("facebook", "feed", "error", status=status, body=body)

        with pytest.raises(expected) as caught:
            adapter.publish(link_payload())

        error = caught.value
        assert type(error) is expected
        assert error.code == code and error.subcode == subcode
        assert error.message and error.detail == body["error"]["message"]
        assert live_posts(sandbox) == []
        assert_secret_kept(error, logs, fb_page["page_token"])

    @pytest.mark.parametrize("code", [4, 17, 32, 341, 613, 80001])
    def test_rate_limits_wait_what_the_usage_header_says(self, sandbox, adapter, code):
        sandbox.fault("facebook", "feed", "rate_limit", code=code, minutes=7)

        with pytest.raises(RetryLater) as caught:
            adapter.publish(link_payload())

        assert caught.value.code == code
        assert caught.value.after == datetime.timedelta(minutes=7)
        assert "7" in caught.value.message

    def test_rate_limit_without_an_estimate_waits_five_minutes(self, sandbox, adapter):
        sandbox.fault("facebook", "feed", "error", body=graph_error(613))

        with pytest.raises(RetryLater) as caught:
            adapter.publish(link_payload())

        assert caught.value.after == datetime.timedelta(minutes=5)

    def test_expired_token_fault(self, sandbox, adapter):
        sandbox.fault("facebook", "feed", "expired_token")

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(link_payload())

        assert (caught.value.code, caught.value.subcode) == (190, 463)
        assert caught.value.message == texts.FB_TOKEN_INVALID

    def test_revoked_token(self, sandbox, adapter, fb_page, logs):
        sandbox.control("tokens/revoke", {"token": fb_page["page_token"]})

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(link_payload())

        assert (caught.value.code, caught.value.subcode) == (190, 460)
        assert_secret_kept(caught.value, logs, fb_page["page_token"])

    def test_a_missing_permission_is_named(self, sandbox, adapter):
        body = graph_error(200, message="(#200) requires pages_manage_posts")
        sandbox.fault("facebook", "feed", "error", status=403, body=body)

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(link_payload())

        assert caught.value.permission == "pages_manage_posts"
        assert "pages_manage_posts" in str(caught.value.message)

    def test_an_unnamed_missing_permission_still_asks_to_reconnect(
        self, sandbox, adapter
    ):
        body = graph_error(10, message="(#10) Application does not have permission")
        sandbox.fault("facebook", "feed", "error", status=403, body=body)

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(link_payload())

        assert caught.value.permission is None
        assert caught.value.message == texts.FB_PERMISSION

    def test_a_network_message_holding_the_token_is_scrubbed(
        self, sandbox, adapter, fb_page, logs
    ):
        body = graph_error(100, message=f"Bad value {fb_page['page_token']}")
        sandbox.fault("facebook", "feed", "error", body=body)

        with pytest.raises(ContentRejected) as caught:
            adapter.publish(link_payload())

        assert caught.value.detail == "Bad value ***"
        assert_secret_kept(caught.value, logs, fb_page["page_token"])

    @pytest.mark.parametrize(
        ("body", "status"),
        [(graph_error(9999), 400), (graph_error(1, transient=True), 500)],
    )
    def test_reads_retry_where_writes_would_not(self, sandbox, adapter, body, status):
        sandbox.fault("facebook", "page", "error", status=status, body=body)

        with pytest.raises(RetryLater):
            adapter.fetch_followers()


# Failures without an answer to read ---------------------------------------------------
class TestUnknownOutcomes:
    def test_html_500_on_publish_is_unknown(self, sandbox, adapter, fb_page, logs):
        sandbox.fault("facebook", "feed", "html_500")

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(link_payload())

        assert caught.value.detail == "HTTP 500"
        assert_secret_kept(caught.value, logs, fb_page["page_token"])

    def test_html_500_on_a_read_is_retried(self, sandbox, adapter):
        sandbox.fault("facebook", "page", "html_500")

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    def test_500_but_created_is_unknown_then_reconciled(self, sandbox, adapter):
        since = timezone.now()
        sandbox.fault("facebook", "feed", "500_but_created")

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(link_payload("pub-41"))

        assert caught.value.code == 1
        [post] = live_posts(sandbox)
        found = adapter.find_published("pub-41", since)
        assert found.external_id == post["id"]
        assert found.permalink == post["permalink_url"]

    def test_timeout_after_create_is_unknown_then_reconciled(
        self, sandbox, settings, fb_page, logs
    ):
        network_options(settings, "facebook", timeout=0.5)
        adapter = FacebookNetwork(fb_channel(None, fb_page))
        since = timezone.now()
        sandbox.fault("facebook", "feed", "timeout_after_create", seconds=3)

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(link_payload("pub-42"))

        [post] = live_posts(sandbox)
        assert adapter.find_published("pub-42", since).external_id == post["id"]
        assert_secret_kept(caught.value, logs, fb_page["page_token"])

    def test_timeout_before_the_work_is_unknown_and_nothing_is_found(
        self, sandbox, settings, fb_page
    ):
        # From the client's side a read timeout: the post may exist, so the outcome
        # is unknown; reconciliation then finds nothing and a retry is safe.
        network_options(settings, "facebook", timeout=0.5)
        adapter = FacebookNetwork(fb_channel(None, fb_page))
        since = timezone.now()
        sandbox.fault("facebook", "feed", "timeout", seconds=3)

        with pytest.raises(OutcomeUnknown):
            adapter.publish(link_payload("pub-43"))

        assert live_posts(sandbox) == []
        assert adapter.find_published("pub-43", since) is None

    def test_timeout_on_a_read_is_retried(self, sandbox, settings, fb_page):
        network_options(settings, "facebook", timeout=0.5)
        adapter = FacebookNetwork(fb_channel(None, fb_page))
        sandbox.fault("facebook", "page", "timeout", seconds=3)

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    def test_connection_refused_sent_nothing(self, sandbox, settings, fb_page, logs):
        network_options(
            settings, "facebook", graph_url=f"http://127.0.0.1:{free_port()}/"
        )
        adapter = FacebookNetwork(fb_channel(None, fb_page))

        with pytest.raises(RetryLater) as caught:
            adapter.publish(link_payload())

        assert caught.value.message
        assert_secret_kept(caught.value, logs, fb_page["page_token"])

    def test_connect_timeout_sent_nothing(self, sandbox, settings, fb_page, full_port):
        network_options(
            settings,
            "facebook",
            timeout=0.5,
            graph_url=f"http://127.0.0.1:{full_port}/",
        )
        adapter = FacebookNetwork(fb_channel(None, fb_page))

        with pytest.raises(RetryLater) as caught:
            adapter.publish(link_payload())

        assert caught.value.detail == "ConnectTimeout"

    def test_dropped_connection_on_publish_is_unknown(self, sandbox, adapter):
        sandbox.fault("facebook", "feed", "drop")

        with pytest.raises(OutcomeUnknown):
            adapter.publish(link_payload())

    def test_dropped_connection_on_a_read_is_retried(self, sandbox, adapter):
        sandbox.fault("facebook", "page", "drop")

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    def test_photo_upload_failure_before_the_post_is_retried(self, sandbox, adapter):
        # Unpublished photos are invisible: nothing to reconcile.
        sandbox.fault("facebook", "photos", "html_500")
        images = [ImageRef(IMAGE), ImageRef(IMAGE)]

        with pytest.raises(RetryLater):
            adapter.publish(Payload(kind="photos", marker="pub-5", images=images))

        assert live_posts(sandbox) == []


# Reconciliation ---------------------------------------------------------------
class TestFindPublished:
    def test_marker_is_matched_as_a_whole_token(self, sandbox, adapter):
        since = timezone.now()
        published = adapter.publish(link_payload("pub-123"))

        assert adapter.find_published("pub-12", since) is None
        assert adapter.find_published("pub-123", since).external_id == (
            published.external_id
        )

    def test_only_posts_since_the_attempt(self, sandbox, adapter):
        adapter.publish(link_payload("pub-5"))

        later = timezone.now() + datetime.timedelta(hours=1)
        assert adapter.find_published("pub-5", later) is None

    def test_pages_through_the_feed_boundedly(self, sandbox, adapter):
        since = timezone.now()
        adapter.publish(link_payload("pub-1"))
        for n in range(2, 151):
            adapter.publish(link_payload(f"pub-{n}"))

        assert adapter.find_published("pub-1", since) is not None
        assert len(sandbox.calls("facebook", "list")) == 2
        assert adapter.find_published("pub-999", since) is None


# Reading ----------------------------------------------------------------------------
RETIRED = "post_impressions"
"""A metric Graph retired: the sandbox rejects it with code 100, as Graph does."""


def publish_many(adapter, count):
    return [adapter.publish(link_payload(f"pub-{n}")).external_id for n in range(count)]


def set_engagement(sandbox, post_id, **values):
    sandbox.control("engagement", {"post_id": post_id, **values})


def graph_reads(sandbox):
    """Engagement reads: `?ids=` reads, single-post reads, `/insights` edge calls."""
    return {
        endpoint: len(sandbox.calls("facebook", endpoint))
        for endpoint in ("read", "post", "insights")
    }


@pytest.fixture
def retired_metric(monkeypatch):
    """`views` read through a metric Graph no longer knows."""
    metrics = {RETIRED: "views"}
    metrics.update((m, f) for m, f in POST_INSIGHTS.items() if f != "views")
    monkeypatch.setattr(facebook_reads, "POST_INSIGHTS", metrics)
    return metrics


class TestEngagement:
    def test_120_posts_cost_three_count_reads_and_three_insights_reads(
        self, sandbox, adapter
    ):
        ids = publish_many(adapter, 120)
        set_engagement(sandbox, ids[0], reactions=12, comments=3, shares=2)
        set_engagement(sandbox, ids[0], views=900, reach=700, clicks=40)
        set_engagement(sandbox, ids[119], views=5, reach=4, clicks=1)
        before = graph_reads(sandbox)

        result = adapter.fetch_engagement(ids)

        after = graph_reads(sandbox)
        calls = {k: after[k] - before[k] for k in after}
        assert calls == {"read": 6, "post": 0, "insights": 0}
        reads = [c["params"]["fields"] for c in sandbox.calls("facebook", "read")[-6:]]
        # Per chunk, the counts then the insights in a call of their own.
        assert ["insights" in fields for fields in reads] == [False, True] * 3
        assert reads[-1] == "insights.metric(" + ",".join(POST_INSIGHTS) + ")"
        first = result[ids[0]]
        assert (first.reactions, first.comments, first.shares) == (12, 3, 2)
        assert (first.views, first.reach, first.clicks) == (900, 700, 40)
        last = result[ids[119]]
        assert (last.views, last.reach, last.clicks) == (5, 4, 1)
        other = result[ids[1]]
        assert (other.reactions, other.comments, other.shares) == (0, 0, 0)
        assert (other.views, other.reach, other.clicks) == (0, 0, 0)
        assert not any(e.removed for e in result.values())

    def test_a_removed_post_is_flagged_and_the_others_read(self, sandbox, adapter):
        ids = publish_many(adapter, 120)
        set_engagement(sandbox, ids[5], reactions=4, views=30)
        set_engagement(sandbox, ids[71], comments=6, clicks=7)
        adapter.withdraw(ids[70])

        result = adapter.fetch_engagement(ids)

        assert [i for i in ids if result[i].removed] == [ids[70]]
        assert (result[ids[5]].reactions, result[ids[5]].views) == (4, 30)
        assert (result[ids[71]].comments, result[ids[71]].clicks) == (6, 7)
        assert all(result[i].reach == 0 for i in ids if i != ids[70])
        assert adapter._rejected_metrics == set()
        assert graph_reads(sandbox)["insights"] == 0

    def test_a_retired_metric_degrades_to_unknown(
        self, sandbox, adapter, retired_metric
    ):
        ids = publish_many(adapter, 120)
        for post_id in ids:
            set_engagement(sandbox, post_id, reactions=5, views=9, reach=8, clicks=2)
        before = graph_reads(sandbox)

        result = adapter.fetch_engagement(ids)

        for post_id in ids:
            engagement = result[post_id]
            assert (engagement.reactions, engagement.comments) == (5, 0)
            assert engagement.views is None
            assert (engagement.reach, engagement.clicks) == (8, 2)
            assert not engagement.removed
        assert adapter._rejected_metrics == {RETIRED}
        after = graph_reads(sandbox)
        calls = {k: after[k] - before[k] for k in after}
        # Three count reads; the insights: the first chunk's failed read, each
        # metric alone on one post, the accepted metrics; one read per other chunk.
        assert calls == {
            "read": 3 + 1 + 1 + 2,
            "post": len(retired_metric),
            "insights": 0,
        }
        later = sandbox.calls("facebook", "read")[-1]["params"]["fields"]
        assert RETIRED not in later and "post_clicks" in later

        # Learnt: the next reading costs 2 x ceil(N/50) again.
        adapter.fetch_engagement(ids)
        assert graph_reads(sandbox)["read"] - after["read"] == 6

    def test_a_retired_metric_and_a_removed_post_are_told_apart(
        self, sandbox, adapter, retired_metric
    ):
        ids = publish_many(adapter, 50)
        set_engagement(sandbox, ids[10], shares=3, reach=6)
        adapter.withdraw(ids[30])

        result = adapter.fetch_engagement(ids)

        assert [i for i in ids if result[i].removed] == [ids[30]]
        assert (result[ids[10]].shares, result[ids[10]].reach) == (3, 6)
        assert result[ids[10]].views is None
        assert adapter._rejected_metrics == {RETIRED}

    def test_a_rejected_read_with_every_metric_accepted_keeps_them(
        self, sandbox, adapter
    ):
        ids = publish_many(adapter, 3)
        set_engagement(sandbox, ids[1], views=11, clicks=3)
        body = graph_error(100, message="(#100) Something else")
        # The counts read goes through; the insights read is refused.
        sandbox.fault("facebook", "read", "latency", seconds=0)
        sandbox.fault("facebook", "read", "error", body=body)

        result = adapter.fetch_engagement(ids)

        assert adapter._rejected_metrics == set()
        assert (result[ids[1]].views, result[ids[1]].clicks) == (11, 3)
        assert len(sandbox.calls("facebook", "post")) == len(POST_INSIGHTS)

    def test_insights_without_permission_leave_counts(self, sandbox, adapter):
        ids = publish_many(adapter, 120)
        set_engagement(sandbox, ids[0], comments=2, views=9)
        set_engagement(sandbox, ids[60], reactions=7)
        body = graph_error(10, message="(#10) read_insights needed")
        # The first counts read goes through; the first insights read is refused.
        sandbox.fault("facebook", "read", "latency", seconds=0)
        sandbox.fault("facebook", "read", "error", status=403, body=body)
        before = graph_reads(sandbox)["read"]

        result = adapter.fetch_engagement(ids)

        assert result[ids[0]].comments == 2 and result[ids[60]].reactions == 7
        for engagement in result.values():
            assert (engagement.views, engagement.reach, engagement.clicks) == (
                None,
                None,
                None,
            )
            assert not engagement.removed
        # Counts and the refused insights for the first chunk, then counts only.
        assert graph_reads(sandbox)["read"] - before == 4
        assert (
            "insights" not in sandbox.calls("facebook", "read")[-1]["params"]["fields"]
        )

    def test_a_bad_token_on_a_read_is_not_taken_for_insights(self, sandbox, adapter):
        ids = publish_many(adapter, 2)
        sandbox.fault("facebook", "read", "expired_token")

        with pytest.raises(ReconnectNeeded):
            adapter.fetch_engagement(ids)

        assert not adapter._insights_denied

    def test_followers(self, sandbox, adapter, fb_page):
        assert adapter.fetch_followers() == 1200
        sandbox.control(
            "followers", {"network": "facebook", "id": fb_page["id"], "followers": 1500}
        )
        assert adapter.fetch_followers() == 1500


class TestCheck:
    def test_a_good_page_token(self, adapter):
        result = adapter.check()

        assert result.ok
        assert result.name == "BHXH cơ sở Bắc Sơn"
        assert result.followers == 1200

    def test_a_user_token_instead_of_a_page_token(self, sandbox, fb_page, logs):
        adapter = FacebookNetwork(
            fb_channel(None, fb_page, token=fb_page["user_token"])
        )

        result = adapter.check()

        assert not result.ok and result.reconnect
        assert result.reason == texts.FB_USER_TOKEN
        assert fb_page["user_token"] not in logs.text

    def test_the_token_of_another_page(self, sandbox, fb_page):
        other = sandbox.facebook_page("Trang khác")
        adapter = FacebookNetwork(fb_channel(None, fb_page, token=other["page_token"]))

        result = adapter.check()

        assert not result.ok and result.reconnect
        assert "Trang khác" in str(result.reason)

    def test_a_revoked_token(self, sandbox, adapter, fb_page):
        sandbox.control("tokens/revoke", {"token": fb_page["page_token"]})

        result = adapter.check()

        assert not result.ok and result.reconnect
        assert result.reason == texts.FB_TOKEN_INVALID

    def test_a_rate_limit_is_not_a_verdict(self, sandbox, adapter):
        sandbox.fault("facebook", "me", "rate_limit", code=4, minutes=2)

        with pytest.raises(RetryLater):
            adapter.check()

    def test_record_check_stores_the_verdict(self, sandbox, fb_page):
        channel = fb_channel(None, fb_page, token=fb_page["user_token"])

        channel.record_check(FacebookNetwork(channel).check())

        channel.refresh_from_db()
        assert channel.status == "needs_reconnect"
        assert channel.status_reason == str(texts.FB_USER_TOKEN)
