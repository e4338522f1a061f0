"""Guarantee 5 for later shares: "share again" by an editor waits for an approver,
and nothing is posted until one approves; an approver's share goes out at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from cms.core.models import Role
from publishing.models import Publication, PublicationStatus, SharePlan, ShareRequest
from publishing.models import ShareRequestStatus as R
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import fb_channel, feed_calls, fresh, posts
from tests.publishing.helpers import login, refused, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(sandbox, org):
    """A live article already posted once (round 1) on Bắc Sơn's Page."""
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    page = org.article()
    page.share_plans.add(SharePlan(channel=channel, message="Lần 1: {title} {url}"))
    page.save_revision().publish()
    dispatcher.dispatch_due()
    assert len(posts(sandbox)) == 1
    return page, channel


@pytest.fixture
def editor(org):
    return org.user("bt.bacson", Role.EDITOR, org.bac_son)


@pytest.fixture
def approver(org):
    return org.user("dt.bacson", Role.APPROVER, org.bac_son)


class TestShareAgain:
    def test_by_an_editor_waits_until_approved(self, sandbox, shared, editor, approver):
        page, channel = shared
        made, waiting = actions.share_again(editor, page, [channel])
        assert made == []
        request = waiting[0]
        assert (request.status, request.requested_by) == (R.PENDING, editor)
        assert request.message == "Lần 1: {title} {url}"  # the approved text
        dispatcher.dispatch_due()
        assert len(feed_calls(sandbox)) == 1  # still only round 1
        publication = actions.approve_request(approver, request)
        assert (publication.round, publication.status) == (
            2,
            PublicationStatus.SCHEDULED,
        )
        assert fresh(request).publication == publication
        history = ModelLogEntry.objects.for_instance(publication)
        assert history.get(action="publishing.approve_request").user == approver
        dispatcher.dispatch_due()
        assert fresh(publication).status == PublicationStatus.PUBLISHED
        assert len(posts(sandbox)) == 2

    def test_by_an_approver_goes_out_at_once(self, sandbox, shared, approver):
        page, channel = shared
        made, waiting = actions.share_again(approver, page, [channel], message="Mới")
        assert waiting == [] and made[0].message == "Mới"
        dispatcher.dispatch_due()
        assert fresh(made[0]).status == PublicationStatus.PUBLISHED
        assert len(posts(sandbox)) == 2

    def test_the_approved_text_is_frozen_in_the_request(
        self, sandbox, shared, editor, approver
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(editor, page, [channel])
        SharePlan.objects.filter(page=page).update(message="Sửa sau: {title}")
        publication = actions.approve_request(approver, request)
        assert publication.message == "Lần 1: {title} {url}"

    def test_refused_on_another_units_channel(self, sandbox, shared, org):
        page, channel = shared
        outsider = org.user("bt.locbinh", Role.EDITOR, org.loc_binh)
        with pytest.raises(PermissionDenied):
            actions.share_again(outsider, page, [channel])
        assert not ShareRequest.objects.exists()
        assert Publication.objects.count() == 1

    def test_refused_for_an_article_not_live(self, sandbox, shared, approver):
        page, channel = shared
        page.unpublish()
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            actions.share_again(approver, page, [channel])
        assert "not live" in caught.value.messages[0]
        assert Publication.objects.count() == 1

    def test_a_message_that_cannot_be_composed_is_refused(
        self, sandbox, shared, approver
    ):
        page, channel = shared
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            actions.share_again(approver, page, [channel], message="{tieu_de}")
        assert "unknown placeholder" in caught.value.messages[0]
        assert Publication.objects.count() == 1


class TestDecisions:
    def test_rejected_with_a_reason_posts_nothing(
        self, sandbox, shared, editor, approver
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(editor, page, [channel])
        with pytest.raises(ValidationError):
            actions.reject_request(approver, request, "  ")
        actions.reject_request(approver, request, "Đã đăng tuần trước")
        request = fresh(request)
        assert (request.status, request.note) == (R.REJECTED, "Đã đăng tuần trước")
        assert request.decided_by == approver and request.publication is None
        dispatcher.dispatch_due()
        assert len(feed_calls(sandbox)) == 1

    def test_decided_once(self, sandbox, shared, editor, approver):
        page, channel = shared
        _made, (request,) = actions.share_again(editor, page, [channel])
        actions.approve_request(approver, request)
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            actions.approve_request(approver, ShareRequest.objects.get())
        assert "already decided" in caught.value.messages[0]
        assert Publication.objects.filter(round=2).count() == 1

    @pytest.mark.parametrize("unit", ["bac_son", "loc_binh"])
    def test_only_an_approver_of_the_channel_decides(
        self, sandbox, shared, editor, org, unit
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(editor, page, [channel])
        role = Role.EDITOR if unit == "bac_son" else Role.APPROVER
        someone = org.user("someone", role, getattr(org, unit))
        with pytest.raises(PermissionDenied):
            actions.approve_request(someone, request)
        with pytest.raises(PermissionDenied):
            actions.reject_request(someone, request, "Không")
        assert fresh(request).status == R.PENDING


class TestAdmin:
    def test_share_again_form_and_the_approvers_list(
        self, client, sandbox, shared, org, editor, approver
    ):
        page, channel = shared
        login(client, editor)
        shown = client.get(reverse("publishing_share_again", args=(page.pk,)))
        assert channel.name in text(shown)
        later = (timezone.localtime() + datetime.timedelta(hours=2)).strftime(
            "%Y-%m-%d %H:%M"
        )
        response = client.post(
            reverse("publishing_share_again", args=(page.pk,)),
            {
                "channels": [channel.pk],
                "message": "",
                "publish_at": later,
                "token": shown.context["token"],
            },
        )
        assert response.status_code == 302
        request = ShareRequest.objects.get()
        assert request.publish_at > timezone.now()
        # The editor may not approve it by a forged POST.
        approve = reverse("publishing_share_requests:approve", args=(request.pk,))
        assert refused(client.post(approve))
        assert fresh(request).status == R.PENDING
        client.logout()
        login(client, approver)
        listing = text(client.get(reverse("publishing_share_requests:index")))
        assert page.title in listing and approve in listing
        client.post(approve)
        request = fresh(request)
        assert request.status == R.APPROVED
        assert request.publication.publish_at == request.publish_at

    def test_reject_form_needs_a_reason(
        self, client, sandbox, shared, editor, approver
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(editor, page, [channel])
        login(client, approver)
        url = reverse("publishing_share_requests:reject", args=(request.pk,))
        response = client.post(url, {"note": ""})
        assert "Say why" in text(response)
        assert fresh(request).status == R.PENDING
        client.post(url, {"note": "Trùng bài"})
        assert fresh(request).status == R.REJECTED

    def test_pending_requests_come_first(self, client, sandbox, shared, org, editor):
        page, channel = shared
        second = org.article(title="Bài thứ hai")
        ShareRequest.objects.create(page=second, channel=channel)  # older, waiting
        ShareRequest.objects.create(
            page=page, channel=channel, status=R.REJECTED, note="x"
        )
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
        listing = text(client.get(reverse("publishing_share_requests:index")))
        assert listing.index("Bài thứ hai") < listing.index(page.title)

    def test_the_article_edit_page_lists_its_posts_and_offers_share_again(
        self, client, sandbox, shared, approver
    ):
        page, _channel = shared
        login(client, approver)
        html = text(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
        publication = Publication.objects.get()
        assert "data-publications-panel" in html
        detail = reverse("publishing_publications:inspect", args=(publication.pk,))
        assert detail in html
        # In the panel and in the page header's menu.
        assert html.count(reverse("publishing_share_again", args=(page.pk,))) == 2


def test_a_forged_share_again_on_another_units_channel_does_nothing(
    client, sandbox, shared, org
):
    page, channel = shared
    own = fb_channel(org, sandbox.facebook_page("BHXH Lộc Bình"), name="Lộc Bình")
    own.unit = org.loc_binh
    own.save()
    login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))
    url = reverse("publishing_share_again", args=(page.pk,))
    response = client.post(url, {"channels": [channel.pk], "message": "Giả mạo"})
    assert response.status_code == 200  # the form again: not a channel of theirs
    assert not ShareRequest.objects.exists()
    assert Publication.objects.count() == 1
    client.logout()
    login(client, org.user("khong.vai.tro"))  # no role: not even the admin
    assert client.post(url, {"channels": [channel.pk]}).status_code == 302
    assert not ShareRequest.objects.exists()


def test_the_approvers_home_lists_waiting_shares(client, sandbox, shared, org, editor):
    page, channel = shared
    home = reverse("wagtailadmin_home")
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    assert "data-share-requests-waiting" not in text(client.get(home))
    actions.share_again(editor, page, [channel])
    html = text(client.get(home))
    assert 'data-share-requests-waiting="1"' in html and page.title in html
    client.logout()
    login(client, org.user("dt.locbinh", Role.APPROVER, org.loc_binh))
    assert "data-share-requests-waiting" not in text(client.get(home))


def test_the_editor_sees_the_refusal_and_its_reason_on_the_article(
    client, sandbox, shared, editor, approver
):
    page, channel = shared
    _made, (request,) = actions.share_again(editor, page, [channel])
    login(client, editor)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert 'data-status="pending"' in text(client.get(edit))
    actions.reject_request(approver, request, "Ảnh bìa chưa đúng")
    html = text(client.get(edit))
    assert 'data-status="rejected"' in html and "Ảnh bìa chưa đúng" in html
