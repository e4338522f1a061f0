"""The Zalo OA adapter against the sandbox: articles and their asynchronous
verification, every error code the adapter maps, token refresh (single-use refresh
tokens, concurrent refreshes), reconciliation, engagement and the health check."""

import datetime
import socket
import threading

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing.models import Channel
from publishing.networks import (
    ChannelBroken,
    ContentRejected,
    ImageRef,
    OutcomeUnknown,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)
from publishing.networks import messages as texts
from publishing.networks.zalo import VIETNAM, ZaloNetwork
from tests.publishing.factories import FAST_ZALO, zalo_channel
from tests.publishing.helpers import COVER, capture_logs, zalo_article
from tests.sandbox import network_options

pytestmark = pytest.mark.django_db


# Fixtures and helpers -------------------------------------------------------------
@pytest.fixture
def oa(sandbox):
    return sandbox.zalo_oa("BHXH cơ sở Bắc Sơn", followers=500)


@pytest.fixture
def channel(oa):
    return zalo_channel(None, oa)


@pytest.fixture
def adapter(channel, settings):
    network_options(settings, "zalo", **FAST_ZALO)
    return adapter_for(channel)


@pytest.fixture
def logs():
    with capture_logs() as records:
        yield records


def state(sandbox):
    return requests.get(sandbox.url + "_sandbox/state", timeout=5).json()


def live_articles(sandbox):
    return [a for a in state(sandbox)["articles"].values() if not a["deleted"]]


def zalo_error(code, message="Something Zalo says"):
    return {"error": code, "message": message}


def secrets_of(oa):
    return oa["access_token"], oa["refresh_token"]


def assert_secret_kept(error, logs, *secrets):
    for secret in secrets:
        for text in (str(error), str(error.message), error.detail, repr(error.args)):
            assert secret not in text
        assert secret not in logs.text


def endpoints(sandbox):
    return [c["endpoint"] for c in sandbox.calls("zalo")]


# Publishing -------------------------------------------------------------------------
class TestPublishing:
    def test_article_is_created_verified_and_its_token_kept_first(
        self, sandbox, adapter, oa
    ):
        seen = []
        adapter.on_receipt = lambda token: seen.append(
            (token, len(sandbox.calls("zalo", "verify")))
        )
        payload = zalo_article()

        published = adapter.publish(payload)

        [stored] = live_articles(sandbox)
        assert published.external_id == stored["id"]
        assert published.permalink == stored["link"]
        assert stored["title"] == payload.title
        assert stored["author"] == payload.author
        assert stored["description"] == payload.description
        assert stored["cover"] == {
            "cover_type": "photo",
            "photo_url": COVER,
            "status": "show",
        }
        assert stored["body"] == payload.body
        assert (stored["status"], stored["comment"]) == ("show", "show")
        # The token was handed over before the first verify call.
        [(token, verifies_before)] = seen
        assert token in state(sandbox)["article_tokens"] and verifies_before == 0
        # Processed after two "-214 being processed" answers.
        assert endpoints(sandbox) == [
            "create",
            "verify",
            "verify",
            "verify",
            "getdetail",
        ]

    def test_the_receipt_hook_may_be_given_to_the_constructor(self, sandbox, channel):
        seen = []
        adapter = ZaloNetwork(channel, FAST_ZALO, on_receipt=seen.append)
        adapter.publish(zalo_article())
        assert len(seen) == 1

    def test_a_failing_receipt_hook_does_not_stop_publishing(self, sandbox, channel):
        def broken(token):
            raise RuntimeError("database is gone")

        adapter = ZaloNetwork(channel, FAST_ZALO, on_receipt=broken)
        assert adapter.publish(zalo_article()).external_id

    def test_update_and_withdraw(self, sandbox, adapter):
        published = adapter.publish(zalo_article())

        adapter.update(published.external_id, zalo_article(title="Tiêu đề đã sửa"))
        assert live_articles(sandbox)[0]["title"] == "Tiêu đề đã sửa"

        adapter.withdraw(published.external_id)
        assert live_articles(sandbox) == []


class TestVerifyPolling:
    def test_polling_is_bounded_then_the_outcome_is_unknown(self, sandbox, channel):
        oa = sandbox.zalo_oa("OA chậm", verify_polls=50)
        adapter = ZaloNetwork(
            zalo_channel(None, oa), {**FAST_ZALO, "verify_attempts": 4}
        )
        since = timezone.now()

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(zalo_article())

        assert len(sandbox.calls("zalo", "verify")) == 4
        assert caught.value.message == texts.ZALO_PROCESSING
        token = caught.value.verify_token
        # Still processing: reconciliation says "ask again later", never "absent".
        with pytest.raises(RetryLater):
            adapter.find_published(token, since)

    def test_reconciled_with_the_token_once_processed(self, sandbox):
        oa = sandbox.zalo_oa("OA chậm", verify_polls=3)
        adapter = ZaloNetwork(
            zalo_channel(None, oa), {**FAST_ZALO, "verify_attempts": 2}
        )
        since = timezone.now()
        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(zalo_article())
        with pytest.raises(RetryLater):
            adapter.find_published(caught.value.verify_token, since)

        found = adapter.find_published(caught.value.verify_token, since)

        assert found.external_id == live_articles(sandbox)[0]["id"]

    def test_media_failure_at_verify_is_a_rejection(self, sandbox, adapter):
        body = zalo_error(-200, "Upload media failed")
        sandbox.fault("zalo", "verify", "error", body=body)

        with pytest.raises(ContentRejected) as caught:
            adapter.publish(zalo_article())

        assert caught.value.code == -200
        assert caught.value.detail == "Upload media failed"
        assert caught.value.message == texts.ZALO_UPLOAD_FAILED

    def test_a_slow_verify_answer_is_polled_again(self, sandbox, settings, oa):
        network_options(settings, "zalo", timeout=0.5)
        adapter = ZaloNetwork(zalo_channel(None, oa), FAST_ZALO)
        sandbox.fault("zalo", "verify", "timeout", seconds=2)

        assert adapter.publish(zalo_article()).external_id


class TestValidation:
    def test_a_good_article_has_no_problems(self, adapter):
        assert adapter.validate(zalo_article()) == []

    def test_limits_are_reported_with_figures(self, sandbox, adapter):
        payload = zalo_article(
            title="T" * 150,
            description="D" * 301,
            author="A" * 51,
            cover=None,
        )

        problems = [str(p) for p in adapter.validate(payload)]

        # What the editor reads (the admin speaks Vietnamese).
        assert "Tiêu đề dài 150 ký tự, tối đa 149." in problems
        assert "Mô tả dài 301 ký tự, tối đa 300." in problems
        assert "Tên tác giả dài 51 ký tự, tối đa 50." in problems
        assert str(texts.COVER_MISSING) in problems
        with pytest.raises(ContentRejected):
            adapter.publish(payload)
        assert sandbox.calls("zalo") == []

    def test_a_cover_over_one_megabyte_is_refused_before_any_call(
        self, sandbox, adapter
    ):
        payload = zalo_article(cover=ImageRef(COVER, size=2 * 1024 * 1024))

        assert "Có ảnh nặng 2048 KB, tối đa 1024 KB." in [
            str(p) for p in adapter.validate(payload)
        ]
        with pytest.raises(ContentRejected):
            adapter.publish(payload)
        assert sandbox.calls("zalo") == []

    def test_title_of_149_characters_is_accepted(self, sandbox, adapter):
        assert adapter.publish(zalo_article(title="T" * 149)).external_id

    def test_empty_title(self, adapter):
        assert texts.TITLE_EMPTY in adapter.validate(zalo_article(title="  "))

    @pytest.mark.parametrize(
        "url",
        [
            "https://bhxh.example/media/ảnh bìa.png",
            "https://bhxh.example/media/anh bia.png",
            "https://bhxh.example/media/ảnh.png",
            "/media/anh.png",
        ],
    )
    def test_image_urls_must_be_public_and_percent_encoded(self, adapter, url):
        payload = zalo_article(
            body=[{"type": "image", "url": url, "caption": ""}],
        )
        [problem] = adapter.validate(payload)
        assert url in str(problem)

    def test_an_encoded_url_is_fine(self, adapter):
        url = "https://bhxh.example/media/%E1%BA%A3nh%20b%C3%ACa.png"
        assert adapter.validate(zalo_article(cover=ImageRef(url))) == []

    def test_other_kinds_are_refused(self, adapter):
        assert adapter.validate(zalo_article(kind="link"))


# Error mapping ----------------------------------------------------------------------
ERRORS = [
    (-32, RetryLater, datetime.timedelta(minutes=1)),
    (-214, RetryLater, datetime.timedelta(minutes=1)),
    (-223, RetryLater, datetime.timedelta(hours=1)),
    (-211, RetryLater, datetime.timedelta(hours=1)),
    (-221, ChannelBroken, None),
    (-224, ChannelBroken, None),
    (-235, ChannelBroken, None),
    (-204, ChannelBroken, None),
    (-205, ChannelBroken, None),
    (-248, ContentRejected, None),
    (-201, ContentRejected, None),
    (-999, ContentRejected, None),
]


class TestErrorMapping:
    @pytest.mark.parametrize(("code", "expected", "after"), ERRORS)
    def test_create_error(self, sandbox, adapter, oa, logs, code, expected, after):
        sandbox.fault("zalo", "create", "error", body=zalo_error(code))

        with pytest.raises(expected) as caught:
            adapter.publish(zalo_article())

        error = caught.value
        assert type(error) is expected
        assert error.code == code
        assert error.message and error.detail == "Something Zalo says"
        if after is not None:
            assert error.after == after
        assert live_articles(sandbox) == []
        assert_secret_kept(error, logs, *secrets_of(oa))

    def test_broadcast_hours_wait_until_six_in_vietnam(self, sandbox, adapter):
        sandbox.fault("zalo", "create", "error", body=zalo_error(-234))

        with pytest.raises(RetryLater) as caught:
            adapter.publish(zalo_article())

        after = caught.value.after
        assert datetime.timedelta(0) < after <= datetime.timedelta(days=1)
        resume = (timezone.now() + after).astimezone(VIETNAM)
        assert (resume.hour, resume.minute) in ((6, 0), (5, 59))
        assert caught.value.message == texts.ZALO_BROADCAST_HOURS

    def test_rate_limit_fault(self, sandbox, adapter):
        sandbox.fault("zalo", "getoa", "rate_limit")

        with pytest.raises(RetryLater) as caught:
            adapter.fetch_followers()

        assert caught.value.code == -32

    def test_unknown_code_on_a_read_is_retried(self, sandbox, adapter):
        sandbox.fault("zalo", "getoa", "error", body=zalo_error(-999))

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    def test_html_500_on_create_is_unknown(self, sandbox, adapter):
        sandbox.fault("zalo", "create", "html_500")

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(zalo_article())

        assert caught.value.detail == "HTTP 500"

    def test_html_500_on_a_read_is_retried(self, sandbox, adapter):
        sandbox.fault("zalo", "getoa", "html_500")

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    def test_html_500_on_remove_is_unknown(self, sandbox, adapter):
        published = adapter.publish(zalo_article())
        sandbox.fault("zalo", "remove", "html_500")

        with pytest.raises(OutcomeUnknown):
            adapter.withdraw(published.external_id)


class TestUnknownOutcomes:
    def test_500_but_created_is_reconciled_by_title(self, sandbox, adapter):
        since = timezone.now()
        sandbox.fault("zalo", "create", "500_but_created")

        with pytest.raises(OutcomeUnknown):
            adapter.publish(zalo_article(title="Bài có thật"))

        [stored] = live_articles(sandbox)
        found = adapter.find_published("Bài có thật", since)
        assert found.external_id == stored["id"]
        assert found.permalink == stored["link"]

    def test_timeout_after_create_is_reconciled_by_marker(
        self, sandbox, settings, oa, logs
    ):
        network_options(settings, "zalo", timeout=0.5)
        adapter = ZaloNetwork(zalo_channel(None, oa), FAST_ZALO)
        adapter.publish(zalo_article(marker="pub-123", title="Bài khác"))
        since = timezone.now()
        sandbox.fault("zalo", "create", "timeout_after_create", seconds=3)

        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(zalo_article(marker="pub-12", title="Bài mới"))

        new = [a for a in live_articles(sandbox) if a["title"] == "Bài mới"]
        assert adapter.find_published("pub-12", since).external_id == new[0]["id"]
        assert adapter.find_published("pub-1", since) is None
        assert_secret_kept(caught.value, logs, *secrets_of(oa))

    def test_timeout_before_the_work_finds_nothing(self, sandbox, settings, oa):
        network_options(settings, "zalo", timeout=0.5)
        adapter = ZaloNetwork(zalo_channel(None, oa), FAST_ZALO)
        since = timezone.now()
        sandbox.fault("zalo", "create", "timeout", seconds=3)

        with pytest.raises(OutcomeUnknown):
            adapter.publish(zalo_article(title="Chưa có"))

        assert live_articles(sandbox) == []
        assert adapter.find_published("Chưa có", since) is None

    def test_connection_refused_sent_nothing(self, sandbox, settings, oa, logs):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        network_options(settings, "zalo", openapi_url=f"http://127.0.0.1:{port}/")
        adapter = ZaloNetwork(zalo_channel(None, oa), FAST_ZALO)

        with pytest.raises(RetryLater) as caught:
            adapter.publish(zalo_article())

        assert_secret_kept(caught.value, logs, *secrets_of(oa))

    def test_old_articles_are_not_candidates(self, sandbox, adapter):
        adapter.publish(zalo_article(title="Bài cũ"))

        later = timezone.now() + datetime.timedelta(hours=1)
        assert adapter.find_published("Bài cũ", later) is None


# Tokens -----------------------------------------------------------------------------
class TestTokens:
    def test_expiring_token_is_refreshed_before_the_call(self, sandbox, oa):
        channel = zalo_channel(None, oa, expires_in=datetime.timedelta(minutes=3))
        adapter = adapter_for(channel)  # new tokens stored on the channel's row

        assert adapter.fetch_followers() == 500

        channel.refresh_from_db()
        credentials = channel.get_credentials()
        assert credentials["access_token"] != oa["access_token"]
        assert credentials["refresh_token"] != oa["refresh_token"]
        expires_at = datetime.datetime.fromisoformat(credentials["expires_at"])
        assert expires_at > timezone.now() + datetime.timedelta(hours=24)
        assert channel.token_expires_at == expires_at
        assert endpoints(sandbox) == ["oauth_token", "getoa"]
        # The old refresh token is spent: Zalo's are single use.
        assert state(sandbox)["tokens"][oa["refresh_token"]]["used"]

    def test_new_tokens_go_to_on_token_and_the_adapter_saves_nothing(self, sandbox, oa):
        channel = zalo_channel(None, oa, expires_in=datetime.timedelta(minutes=3))
        stored, seen = channel.credentials, []
        adapter = ZaloNetwork(channel, FAST_ZALO, on_token=seen.append)

        with CaptureQueriesContext(connection) as queries:
            assert adapter.fetch_followers() == 500

        [new] = seen
        assert new["access_token"] not in (oa["access_token"], "")
        assert new["refresh_token"] not in (oa["refresh_token"], "")
        # The caller stores them: the adapter touched no row, not even the channel's.
        assert queries.captured_queries == []
        channel.refresh_from_db()
        assert channel.credentials == stored
        # And it goes on with them: no second refresh for the next call.
        adapter.fetch_followers()
        assert endpoints(sandbox) == ["oauth_token", "getoa", "getoa"]

    def test_refresh_call_carries_the_app_and_secret(self, sandbox, oa):
        adapter = ZaloNetwork(zalo_channel(None, oa, datetime.timedelta(0)), FAST_ZALO)
        adapter.fetch_followers()

        [call] = sandbox.calls("zalo", "oauth_token")
        assert call["params"]["app_id"] == "sandbox-zalo-app"
        assert call["params"]["grant_type"] == "refresh_token"
        assert call["status"] == 200

    @pytest.mark.parametrize("mode", ["expired_token", "error"])
    def test_rejected_token_is_refreshed_once_and_the_call_made_again(
        self, sandbox, adapter, channel, oa, mode
    ):
        body = zalo_error(-220, "Access token expired")
        sandbox.fault("zalo", "getoa", mode, body=body)

        assert adapter.fetch_followers() == 500

        assert endpoints(sandbox) == ["getoa", "oauth_token", "getoa"]
        channel.refresh_from_db()
        assert channel.get_credentials()["access_token"] != oa["access_token"]

    def test_refresh_refused_means_reconnect(self, sandbox, adapter, oa, logs):
        sandbox.control("tokens/revoke", {"token": oa["access_token"]})
        sandbox.control("tokens/revoke", {"token": oa["refresh_token"]})

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(zalo_article())

        assert caught.value.message == texts.ZALO_TOKEN_INVALID
        assert live_articles(sandbox) == []
        assert_secret_kept(caught.value, logs, *secrets_of(oa))

    def test_still_rejected_after_refresh_means_reconnect(self, sandbox, adapter):
        sandbox.fault("zalo", "create", "expired_token", times=2)

        with pytest.raises(ReconnectNeeded) as caught:
            adapter.publish(zalo_article())

        assert caught.value.code == -216
        assert endpoints(sandbox) == ["create", "oauth_token", "create"]

    def test_refresh_server_failure_is_retried_later(self, sandbox, oa):
        adapter = ZaloNetwork(zalo_channel(None, oa, datetime.timedelta(0)), FAST_ZALO)
        sandbox.fault("zalo", "oauth_token", "html_500")

        with pytest.raises(RetryLater):
            adapter.fetch_followers()

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_refreshes_spend_the_refresh_token_once(
        self, sandbox, oa, waiting_database
    ):
        channel = zalo_channel(None, oa, expires_in=datetime.timedelta(minutes=1))
        # Each worker loads its own copy of the row, like two processes would.
        adapters = [adapter_for(Channel.objects.get(pk=channel.pk)) for _ in range(2)]
        barrier, results, errors = threading.Barrier(2), [], []

        def work(adapter):
            barrier.wait()
            try:
                results.append(adapter.fetch_followers())
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=work, args=(a,)) for a in adapters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

        assert errors == [] and results == [500, 500]
        assert len(sandbox.calls("zalo", "oauth_token")) == 1
        channel.refresh_from_db()
        saved = channel.get_credentials()
        assert saved["refresh_token"] != oa["refresh_token"]
        # The saved pair works: a later refresh succeeds with it.
        channel.set_credentials({**saved, "expires_at": timezone.now().isoformat()})
        channel.save()
        assert adapter_for(channel).fetch_followers() == 500
        assert len(sandbox.calls("zalo", "oauth_token")) == 2


# Reading ----------------------------------------------------------------------------
class TestReading:
    def test_engagement_reads_each_article_once(self, sandbox, adapter):
        ids = [
            adapter.publish(zalo_article(title=f"Bài {n}")).external_id
            for n in range(3)
        ]
        sandbox.control("engagement", {"post_id": ids[0], "views": 321})
        adapter.withdraw(ids[2])
        before = len(sandbox.calls("zalo", "getdetail"))

        result = adapter.fetch_engagement(ids)

        assert len(sandbox.calls("zalo", "getdetail")) - before == 3
        assert result[ids[0]].views == 321
        assert result[ids[1]].views == 0
        assert result[ids[2]].removed
        assert result[ids[0]].reactions is None  # Zalo does not say

    def test_followers(self, sandbox, adapter, oa):
        assert adapter.fetch_followers() == 500
        sandbox.control(
            "followers", {"network": "zalo", "id": oa["id"], "followers": 9}
        )
        assert adapter.fetch_followers() == 9


class TestCheck:
    def test_a_working_oa(self, adapter):
        result = adapter.check()

        assert result.ok
        assert result.name == "BHXH cơ sở Bắc Sơn"
        assert result.followers == 500

    def test_lost_tokens_ask_for_reconnecting(self, sandbox, adapter, oa):
        sandbox.control("tokens/revoke", {"token": oa["access_token"]})
        sandbox.control("tokens/revoke", {"token": oa["refresh_token"]})

        result = adapter.check()

        assert not result.ok and result.reconnect
        assert result.reason == texts.ZALO_TOKEN_INVALID

    def test_a_disabled_oa_is_broken_not_reconnect(self, sandbox, adapter):
        sandbox.fault("zalo", "getoa", "error", body=zalo_error(-204))

        result = adapter.check()

        assert not result.ok and not result.reconnect
        assert result.reason == texts.ZALO_OA_DISABLED

    def test_the_token_of_another_oa(self, sandbox, oa):
        other = sandbox.zalo_oa("OA khác")
        channel = zalo_channel(
            None,
            oa,
            access_token=other["access_token"],
            refresh_token=other["refresh_token"],
        )

        result = ZaloNetwork(channel, FAST_ZALO).check()

        assert not result.ok and result.reconnect
        assert "OA khác" in str(result.reason)
