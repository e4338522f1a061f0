"""What people do with publications: each action's happy path and its refusals
(wrong status, no rights), against the sandbox for the ones that reach the network."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from cms.core.models import Role
from publishing.models import ChannelStatus, Publication, PublicationStatus
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import (
    due,
    fb_channel,
    feed_calls,
    fresh,
    posts,
    zalo_channel,
)

S = PublicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(org):
    return org.user("duyet.bacson", Role.APPROVER, org.bac_son)


@pytest.fixture
def editor(org):
    return org.user("bientap.bacson", Role.EDITOR, org.bac_son)


@pytest.fixture
def stranger(org):
    """An approver of another unit: no rights on Bắc Sơn's channels."""
    return org.user("duyet.locbinh", Role.APPROVER, org.loc_binh)


def set_status(publication, status, **fields):
    Publication.objects.filter(pk=publication.pk).update(status=status, **fields)
    return fresh(publication)


def refused(call, *args):
    """The English message of the ValidationError `call(*args)` raises."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call(*args)
    return " ".join(caught.value.messages)


def posted(publication):
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED
    return publication


def logged(publication, action):
    entries = ModelLogEntry.objects.for_instance(publication)
    return entries.filter(action=f"publishing.{action}")


class TestCancel:
    def test_a_scheduled_post_is_cancelled_and_never_sent(
        self, sandbox, fb, article, approver
    ):
        publication = due(article, fb)
        actions.cancel(approver, publication)
        assert fresh(publication).status == S.CANCELLED
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert feed_calls(sandbox) == []
        assert logged(publication, "cancel").get().user == approver

    @pytest.mark.parametrize(
        "status, hint",
        [
            (S.PUBLISHED, "use Withdraw"),
            (S.PUBLISHING, "being sent right now"),
            (S.UNCONFIRMED, "Already posted manually"),
            (S.WITHDRAWN, "Share again"),
        ],
    )
    def test_refused_in_a_status_where_it_makes_no_sense(
        self, fb, article, approver, status, hint
    ):
        publication = set_status(due(article, fb), status)
        message = refused(actions.cancel, approver, publication)
        assert hint in message
        assert fresh(publication).status == status

    @pytest.mark.parametrize("who", ["editor", "stranger"])
    def test_refused_without_the_right(self, request, fb, article, who):
        publication = due(article, fb)
        with pytest.raises(PermissionDenied):
            actions.cancel(request.getfixturevalue(who), publication)
        assert fresh(publication).status == S.SCHEDULED

    def test_the_dispatcher_claiming_first_wins(self, fb, article, approver):
        """The person saw `scheduled`; the dispatcher claimed it meanwhile."""
        publication = due(article, fb)
        seen = Publication.objects.get(pk=publication.pk)
        set_status(publication, S.PUBLISHING, leased_by="worker-1")
        assert "being sent right now" in refused(actions.cancel, approver, seen)
        publication = fresh(publication)
        assert (publication.status, publication.leased_by) == (S.PUBLISHING, "worker-1")


class TestRetryNow:
    @pytest.mark.parametrize("status", [S.FAILED, S.EXPIRED, S.HELD])
    def test_goes_out_at_the_next_dispatch(
        self, sandbox, fb, article, approver, status
    ):
        old = timezone.now() - datetime.timedelta(days=2)
        publication = set_status(
            due(article, fb), status, attempts=5, publish_at=old, last_error="x"
        )
        actions.retry_now(approver, publication)
        publication = fresh(publication)
        assert (publication.status, publication.attempts) == (S.SCHEDULED, 0)
        assert publication.last_error == "" and publication.publish_at > old
        assert posted(publication).external_id in sandbox.state.data["posts"]
        assert len(feed_calls(sandbox)) == 1
        assert logged(publication, "retry").exists()

    def test_refused_while_the_channel_needs_reconnecting(self, fb, article, approver):
        publication = set_status(due(article, fb), S.HELD)
        fb.status = ChannelStatus.NEEDS_RECONNECT
        fb.save()
        assert "reconnect it" in refused(actions.retry_now, approver, publication)
        assert fresh(publication).status == S.HELD

    def test_refused_for_a_scheduled_post(self, fb, article, approver):
        publication = due(article, fb)
        assert "not possible" in refused(actions.retry_now, approver, publication)

    def test_refused_to_an_editor(self, fb, article, editor):
        publication = set_status(due(article, fb), S.FAILED)
        with pytest.raises(PermissionDenied):
            actions.retry_now(editor, publication)
        assert fresh(publication).status == S.FAILED


class TestReschedule:
    def test_moves_the_time_and_nothing_goes_out_before(
        self, sandbox, fb, article, approver
    ):
        publication = set_status(due(article, fb), S.EXPIRED)
        later = timezone.now() + datetime.timedelta(hours=3)
        actions.reschedule(approver, publication, later)
        publication = fresh(publication)
        assert (publication.status, publication.publish_at) == (S.SCHEDULED, later)
        assert dispatcher.dispatch_due()["claimed"] == 0
        assert feed_calls(sandbox) == []

    def test_a_past_time_is_refused(self, fb, article, approver):
        publication = due(article, fb)
        before = publication.publish_at
        past = timezone.now() - datetime.timedelta(minutes=5)
        assert "future" in refused(actions.reschedule, approver, publication, past)
        assert fresh(publication).publish_at == before


class TestMarkPosted:
    def test_an_unconfirmed_post_found_by_a_person(self, fb, article, approver):
        publication = set_status(due(article, fb), S.UNCONFIRMED, attempts=2)
        url = "https://www.facebook.com/bhxhbacson/posts/123"
        actions.mark_posted(approver, publication, url)
        publication = fresh(publication)
        assert (publication.status, publication.permalink) == (S.PUBLISHED, url)
        assert publication.attempts == 2  # the history of tries is kept
        assert publication.published_at is not None
        assert dispatcher.dispatch_due()["claimed"] == 0

    @pytest.mark.parametrize(
        "url",
        ["https://example.com/posts/1", "not a link", "https://zalo.me/a/1", ""],
    )
    def test_an_address_off_the_network_is_refused(self, fb, article, approver, url):
        publication = set_status(due(article, fb), S.FAILED)
        assert "facebook.com" in refused(
            actions.mark_posted, approver, publication, url
        )
        publication = fresh(publication)
        assert (publication.status, publication.permalink) == (S.FAILED, "")

    def test_a_zalo_address(self, sandbox, org, article, approver):
        channel = zalo_channel(org, sandbox.zalo_oa())
        publication = set_status(due(article, channel), S.EXPIRED)
        actions.mark_posted(approver, publication, "https://zalo.me/oa/article/9")
        assert fresh(publication).status == S.PUBLISHED


class TestCorrect:
    def test_facebook_post_text_is_edited(self, sandbox, fb, article, approver):
        publication = posted(due(article, fb))
        link = publication.payload["link"]
        actions.correct(approver, publication, "Đã sửa: {title} {url}")
        edits = [c for c in sandbox.calls("facebook", "edit") if c["method"] == "POST"]
        assert len(edits) == 1
        post = sandbox.state.data["posts"][publication.external_id]
        short = f"http://testserver/l/{publication.link_code}"  # the same short link
        assert post["message"] == f"Đã sửa: {article.title} {short}"
        publication = fresh(publication)
        assert publication.payload["message"] == post["message"]
        assert publication.payload["link"] == link  # same marker
        assert publication.status == S.PUBLISHED
        assert logged(publication, "correct").exists()

    def test_zalo_article_is_updated(self, sandbox, org, article, approver, zalo_fast):
        channel = zalo_channel(org, sandbox.zalo_oa())
        publication = posted(due(article, channel))
        actions.correct(approver, publication, "Mô tả mới của bài")
        assert len(sandbox.calls("zalo", "update")) == 1
        saved = sandbox.state.data["articles"][publication.external_id]
        assert saved["description"] == "Mô tả mới của bài"
        assert saved["title"] == article.title
        assert fresh(publication).payload["description"] == "Mô tả mới của bài"

    def test_refused_before_publishing_and_to_an_editor(
        self, sandbox, fb, article, approver, editor
    ):
        publication = due(article, fb)
        assert "not been published" in refused(
            actions.correct, approver, publication, "x"
        )
        publication = posted(publication)
        with pytest.raises(PermissionDenied):
            actions.correct(editor, publication, "x")
        assert sandbox.calls("facebook", "edit") == []

    def test_a_network_error_changes_nothing(self, sandbox, fb, article, approver):
        publication = posted(due(article, fb))
        before = publication.payload
        sandbox.fault("facebook", "edit", "expired_token")
        assert "Nothing was changed" in refused(
            actions.correct, approver, publication, "Mới"
        )
        assert fresh(publication).payload == before
        post = sandbox.state.data["posts"][publication.external_id]
        assert post["message"] == before["message"]


class TestWithdraw:
    def test_facebook_post_is_removed(self, sandbox, fb, article, approver):
        publication = posted(due(article, fb))
        actions.withdraw(approver, publication)
        assert fresh(publication).status == S.WITHDRAWN
        assert sandbox.state.data["posts"][publication.external_id]["deleted"]
        assert posts(sandbox) == []
        assert logged(publication, "withdraw").get().user == approver

    def test_zalo_article_is_removed(self, sandbox, org, article, approver, zalo_fast):
        channel = zalo_channel(org, sandbox.zalo_oa())
        publication = posted(due(article, channel))
        actions.withdraw(approver, publication)
        assert fresh(publication).status == S.WITHDRAWN
        assert len(sandbox.calls("zalo", "remove")) == 1
        assert sandbox.state.data["articles"][publication.external_id]["deleted"]

    def test_a_network_error_leaves_it_published(self, sandbox, fb, article, approver):
        publication = posted(due(article, fb))
        sandbox.fault("facebook", "delete", "expired_token")
        message = refused(actions.withdraw, approver, publication)
        assert message.startswith("Facebook Page refused the change")
        assert "try again later" in message
        assert fresh(publication).status == S.PUBLISHED
        assert not sandbox.state.data["posts"][publication.external_id].get("deleted")

    def test_an_unknown_outcome_says_to_look(self, sandbox, fb, article, approver):
        publication = posted(due(article, fb))
        sandbox.fault("facebook", "delete", "html_500")
        assert "did not confirm" in refused(actions.withdraw, approver, publication)
        assert fresh(publication).status == S.PUBLISHED

    def test_a_post_marked_by_hand_cannot_be_withdrawn_here(
        self, sandbox, fb, article, approver
    ):
        publication = set_status(due(article, fb), S.FAILED)
        actions.mark_posted(approver, publication, "https://facebook.com/p/1")
        assert "directly" in refused(actions.withdraw, approver, fresh(publication))
        assert sandbox.calls("facebook", "delete") == []

    def test_refused_to_an_approver_of_another_unit(
        self, sandbox, fb, article, stranger
    ):
        publication = posted(due(article, fb))
        with pytest.raises(PermissionDenied):
            actions.withdraw(stranger, publication)
        assert fresh(publication).status == S.PUBLISHED
        assert sandbox.calls("facebook", "delete") == []


def test_a_second_page_channel_is_independent(
    sandbox, org, article, approver, settings
):
    """Cancelling on one channel leaves the other channel's post to go out."""
    settings.PUBLISHING_WORKERS = 1  # one thread: the test's database connection
    first = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    second = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn 2"), name="Trang 2")
    one, two = due(article, first), due(article, second)
    actions.cancel(approver, one)
    dispatcher.dispatch_due()
    assert (fresh(one).status, fresh(two).status) == (S.CANCELLED, S.PUBLISHED)
    assert len(posts(sandbox)) == 1
