"""Broadcasts made with their share (guarantee 5): a plan's broadcast is approved
with its article and made with the publication, its audience frozen; an editor's
plan, "share again" or "send to followers" added later waits as a share request
until an approver approves (which makes the broadcast) or rejects it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.core.models import Role
from publishing.models import Broadcast, Publication, SharePlan, ShareRequest
from publishing.models import PublicationStatus as P
from publishing.models import ShareRequestStatus as R
from publishing.planning import actions, sharing
from tests.publishing.factories import TZ, at, make_channel

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
AUDIENCE = {"gender": "female", "ages": ["25-34"], "provinces": ["lang-son"]}


@pytest.fixture
def world(org):
    with time_machine.travel(NOW, tick=False):

        class World:
            zalo = make_channel(org.bac_son, "zalo", "OA Bắc Sơn")
            fb = make_channel(org.bac_son, "facebook", "BHXH Bắc Sơn")
            editor = org.user("bt.bs", Role.EDITOR, org.bac_son)
            approver = org.user("dt.bs", Role.APPROVER, org.bac_son)
            page = org.article()

        yield World


def plan(world, channel, when=None, **fields):
    return SharePlan.objects.create(
        page=world.page,
        channel=channel,
        publish_at=when or at(datetime.date(2026, 12, 2), 22, 5),
        **fields,
    )


def messages(error):
    with translation.override("vi"):
        return " ".join(str(m) for m in error.value.messages)


class TestWithTheArticle:
    def test_an_approvers_plan_makes_its_broadcast_with_the_publication(self, world):
        made = plan(world, world.zalo, broadcast=True, audience=AUDIENCE)
        [publication] = sharing.create_round(world.page, user=world.approver)
        [broadcast] = publication.broadcasts.all()
        assert (
            broadcast.send_at
            == made.publish_at
            == at(datetime.date(2026, 12, 2), 22, 5)
        )
        assert broadcast.audience == AUDIENCE
        assert broadcast.created_by == world.approver
        # Frozen: changing the plan afterwards changes nothing that was approved.
        SharePlan.objects.filter(pk=made.pk).update(audience={})
        broadcast.refresh_from_db()
        assert broadcast.audience == AUDIENCE

    def test_a_second_call_makes_no_second_broadcast(self, world):
        plan(world, world.zalo, broadcast=True)
        sharing.create_round(world.page, user=world.approver)
        assert sharing.create_round(world.page, user=world.approver) == []
        assert Broadcast.objects.count() == 1

    def test_a_plan_without_broadcast_makes_none(self, world):
        plan(world, world.zalo)
        plan(world, world.fb, broadcast=True)  # refused in the editor; never made
        assert len(sharing.create_round(world.page, user=world.approver)) == 2
        assert not Broadcast.objects.exists()

    def test_an_editors_plan_waits_as_a_request_then_is_approved(self, world):
        plan(world, world.zalo, broadcast=True, audience=AUDIENCE)
        assert sharing.create_round(world.page, user=world.editor) == []
        assert not Broadcast.objects.exists()
        [request] = ShareRequest.objects.all()
        assert (request.broadcast, request.audience) == (True, AUDIENCE)
        publication = actions.approve_request(world.approver, request)
        [broadcast] = publication.broadcasts.all()
        assert broadcast.audience == AUDIENCE

    def test_a_rejected_request_makes_nothing(self, world):
        plan(world, world.zalo, broadcast=True)
        sharing.create_round(world.page, user=world.editor)
        actions.reject_request(world.approver, ShareRequest.objects.get(), "Chưa")
        assert not Publication.objects.exists() and not Broadcast.objects.exists()


@pytest.fixture
def posted(world):
    with time_machine.travel(NOW, tick=False):
        publication = Publication.objects.create(
            page=world.page,
            channel=world.zalo,
            publish_at=NOW - datetime.timedelta(hours=1),
            status=P.PUBLISHED,
        )
        yield publication


class TestAddedLater:
    def test_an_editors_broadcast_is_a_request_for_that_publication(
        self, world, posted
    ):
        broadcast, request = actions.broadcast_to_followers(
            world.editor, posted, AUDIENCE
        )
        assert broadcast is None and not Broadcast.objects.exists()
        assert (request.broadcast, request.broadcast_for, request.audience) == (
            True,
            posted,
            AUDIENCE,
        )
        again = actions.approve_request(world.approver, request)
        assert again == posted  # no new post: the broadcast of the one out
        assert Publication.objects.count() == 1
        [made] = posted.broadcasts.all()
        assert (made.audience, made.send_at) == (AUDIENCE, NOW)
        assert ShareRequest.objects.get().status == R.APPROVED

    def test_rejected_it_is_never_made(self, world, posted):
        _, request = actions.broadcast_to_followers(world.editor, posted)
        actions.reject_request(world.approver, request, "Đã gửi tuần trước")
        assert not Broadcast.objects.exists()

    def test_an_approvers_broadcast_is_made_at_once(self, world, posted):
        broadcast, request = actions.broadcast_to_followers(world.approver, posted)
        assert request is None and broadcast.audience == {}

    def test_beyond_the_quota_it_is_refused_naming_the_days(self, world, posted):
        for n, day in enumerate((1, 2), start=2):
            other = Publication.objects.create(
                page=world.page,
                channel=world.zalo,
                round=n,
                publish_at=at(datetime.date(2026, 11, 30), 8),
            )
            Broadcast.objects.create(
                publication=other, send_at=at(datetime.date(2026, 12, day), 8)
            )
        world.zalo.broadcasts_per_month = 2
        world.zalo.save()
        with pytest.raises(ValidationError) as error:
            actions.broadcast_to_followers(world.editor, posted)
        assert "đã dùng: 01/12, 02/12" in messages(error)
        assert not ShareRequest.objects.exists()

    def test_not_on_facebook(self, world):
        publication = Publication.objects.create(
            page=world.page, channel=world.fb, publish_at=NOW, status=P.PUBLISHED
        )
        with pytest.raises(ValidationError):
            actions.broadcast_to_followers(world.approver, publication)
        assert not Broadcast.objects.exists()

    def test_share_again_with_broadcast_by_an_editor_asks_for_it(self, world, posted):
        world.page.save_revision().publish()
        _made, [request] = actions.share_again(
            world.editor, world.page, [world.zalo], broadcast=True, audience=AUDIENCE
        )
        assert (request.broadcast, request.broadcast_for) == (True, None)
        publication = actions.approve_request(world.approver, request)
        assert publication.broadcasts.get().audience == AUDIENCE
