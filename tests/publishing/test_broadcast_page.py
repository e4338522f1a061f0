"""A publication's broadcasts on its page: status and audience by name, "waiting
until 06:00", "unconfirmed: may have been sent" with Resend (once, whatever the
parallel clicks), and "Send to followers" on a Zalo post already out."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from publishing.lifecycle import WAITING_WINDOW
from publishing.lifecycle import BroadcastStatus as B
from publishing.lifecycle import PublicationStatus as P
from publishing.models import Broadcast, Publication, ShareRequest
from publishing.outbox import broadcasts as outbox
from tests.cms.helpers import visible_text
from tests.publishing.concurrency import CLICKS, all_at_once, meet_before
from tests.publishing.factories import TZ, make_channel
from tests.publishing.helpers import login

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 22, 30, tzinfo=TZ)
AUDIENCE = {"gender": "female", "ages": ["25-34"], "provinces": ["lang-son"]}


def make_world(org):
    zalo = make_channel(org.bac_son, "zalo", "OA Bắc Sơn")
    publication = Publication.objects.create(
        page=org.article(),
        channel=zalo,
        publish_at=NOW - datetime.timedelta(minutes=25),
        status=P.PUBLISHED,
    )
    return zalo, publication


@pytest.fixture
def world(org):
    with time_machine.travel(NOW, tick=False):
        yield make_world(org)


def page_of(client, publication):
    url = reverse("publishing_publications:inspect", args=(publication.pk,))
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def resend_url(broadcast):
    return reverse(
        "publishing_publications:resend_broadcast",
        args=(broadcast.publication_id, broadcast.pk),
    )


class TestShown:
    def test_a_broadcast_waiting_for_the_window_says_so_with_its_audience(
        self, client, org, world
    ):
        _zalo, publication = world
        Broadcast.objects.create(
            publication=publication,
            audience=AUDIENCE,
            send_at=publication.publish_at,
            status=B.WAITING,
            waiting_reason=WAITING_WINDOW,
        )
        login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
        [row] = page_of(client, publication).select("[data-broadcast]")
        shown = visible_text(str(row))
        assert "Nữ · 25–34 tuổi · Lạng Sơn" in shown
        assert "Chờ đến 06:00 (03/12)" in shown
        assert not row.select("[data-resend]")  # nothing to resend

    def test_an_unconfirmed_one_warns_and_offers_resend(self, client, org, world):
        _zalo, publication = world
        lost = Broadcast.objects.create(
            publication=publication, send_at=NOW, status=B.UNCONFIRMED
        )
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        [form] = page_of(client, publication).select("[data-resend]")
        assert "Chưa xác nhận: có thể đã gửi" in visible_text(str(form))
        response = client.post(resend_url(lost))
        assert response.status_code == 302
        assert [b.resend_of for b in Broadcast.objects.exclude(pk=lost.pk)] == [lost]
        again = client.post(resend_url(lost))
        assert again.status_code == 302
        assert Broadcast.objects.count() == 2  # refused the second time
        assert not page_of(client, publication).select("[data-resend]")

    def test_an_editor_may_not_resend(self, client, org, world):
        _zalo, publication = world
        lost = Broadcast.objects.create(
            publication=publication, send_at=NOW, status=B.UNCONFIRMED
        )
        login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
        assert not page_of(client, publication).select("[data-resend]")
        assert client.post(resend_url(lost)).status_code in (302, 403)
        assert Broadcast.objects.count() == 1


class TestSendToFollowers:
    def test_an_editors_click_is_a_request(self, client, org, world):
        _zalo, publication = world
        login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
        [form] = page_of(client, publication).select("[data-send-to-followers]")
        assert "còn 1 lượt trong tháng" in visible_text(str(form))
        url = reverse(
            "publishing_publications:send_to_followers", args=(publication.pk,)
        )
        assert client.post(url).status_code == 302
        assert ShareRequest.objects.get().broadcast_for == publication
        assert not Broadcast.objects.exists()


class TestParallelResend:
    def test_five_parallel_resends_make_one(
        self, client, org, threads_db, monkeypatch, time_machine
    ):
        time_machine.move_to(NOW)
        _zalo, publication = make_world(org)
        lost = Broadcast.objects.create(
            publication=publication, send_at=NOW, status=B.UNCONFIRMED
        )
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        threads_db()
        meet_before(monkeypatch, outbox, "may")  # all past the check, then the lock
        results = all_at_once(client, resend_url(lost), {})
        assert [status for status, _m in results] == [302] * CLICKS, results
        resent = [m for _s, m in results if any("Đã gửi lại" in t for t in m)]
        assert len(resent) == 1, results
        assert Broadcast.objects.filter(resend_of=lost).count() == 1
