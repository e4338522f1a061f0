"""The audience of a broadcast chosen by name beyond the share tab: "Send to
followers" on a publication's page and share again (its "Send to followers"
checkbox) offer the share tab's chooser; a forged key or a broadcast without a
Zalo OA is refused in Vietnamese and nothing is made."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from publishing.lifecycle import PublicationStatus as P
from publishing.models import Broadcast, Publication, ShareRequest
from tests.cms.helpers import visible_text
from tests.publishing.factories import TZ, make_channel
from tests.publishing.helpers import login

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
CHOSEN = {"gender": "female", "ages": ["25-34"], "provinces": ["lang-son"]}


@pytest.fixture
def world(org):
    with time_machine.travel(NOW, tick=False):
        zalo = make_channel(org.bac_son, "zalo", "OA Bắc Sơn")
        facebook = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn")
        page = org.article()
        posted = Publication.objects.create(
            page=page,
            channel=zalo,
            publish_at=NOW - datetime.timedelta(hours=3),
            status=P.PUBLISHED,
        )
        yield {"zalo": zalo, "facebook": facebook, "page": page, "posted": posted}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def send_url(publication):
    return reverse("publishing_publications:send_to_followers", args=(publication.pk,))


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


class TestPublicationPage:
    def test_the_audience_is_chosen_by_name(self, client, org, world):
        posted = world["posted"]
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        page = client.get(reverse("publishing_publications:inspect", args=(posted.pk,)))
        [form] = BeautifulSoup(page.content, "html.parser").select(
            "[data-send-to-followers]"
        )
        shown = visible_text(str(form))
        for name in ("Tất cả người theo dõi", "Nữ", "25–34 tuổi", "Lạng Sơn"):
            assert name in shown, name

        response = client.post(
            send_url(posted),
            {
                "followers-audience_gender": "female",
                "followers-audience_ages": ["25-34"],
                "followers-audience_provinces": ["lang-son"],
            },
        )
        assert response.status_code == 302
        assert Broadcast.objects.get(publication=posted).audience == CHOSEN

    def test_an_editors_choice_goes_with_the_request(self, client, org, world):
        login(client, org.user("bt", Role.EDITOR, org.bac_son))
        posted = world["posted"]
        client.post(send_url(posted), {"followers-audience_provinces": ["lang-son"]})
        request = ShareRequest.objects.get()
        assert request.broadcast_for == posted
        assert request.audience == {"gender": "", "ages": [], "provinces": ["lang-son"]}

    def test_a_forged_key_is_refused_and_nothing_made(self, client, org, world):
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        response = client.post(
            send_url(world["posted"]),
            {"followers-audience_provinces": ["atlantis"]},
            follow=True,
        )
        assert any("atlantis" in m and "hợp lệ" in m for m in messages_of(response))
        assert not Broadcast.objects.exists()
        assert not ShareRequest.objects.exists()


class TestShareAgain:
    def post(self, client, page, **data):
        url = reverse("publishing_share_again", args=(page.pk,))
        shown = client.get(url)
        return client.post(url, {"token": shown.context["token"], **data})

    def test_share_again_sends_to_the_chosen_followers(self, client, org, world):
        page = world["page"]
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        shown = client.get(reverse("publishing_share_again", args=(page.pk,)))
        text = visible_text(shown.content.decode())
        assert "Gửi đến người theo dõi" in text and "Lạng Sơn" in text
        response = self.post(
            client,
            page,
            channels=[world["zalo"].pk, world["facebook"].pk],
            broadcast="on",
            audience_gender="female",
            audience_ages=["25-34"],
            audience_provinces=["lang-son"],
        )
        assert response.status_code == 302
        [made] = Broadcast.objects.exclude(publication=world["posted"])
        assert made.publication.channel == world["zalo"]
        assert made.audience == CHOSEN
        assert made.publication.round == 2

    def test_without_the_box_no_broadcast(self, client, org, world):
        login(client, org.user("dt", Role.APPROVER, org.bac_son))
        response = self.post(
            client,
            world["page"],
            channels=[world["zalo"].pk],
            audience_provinces=["lang-son"],
        )
        assert response.status_code == 302
        assert Publication.objects.filter(round=2).count() == 1
        assert not Broadcast.objects.exists()

    def test_a_broadcast_without_a_zalo_oa_is_refused(self, client, org, world):
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        response = self.post(
            client, world["page"], channels=[world["facebook"].pk], broadcast="on"
        )
        assert response.status_code == 200
        assert response.context["form"].errors["broadcast"] == [
            "Chỉ OA Zalo mới gửi được bài đến người theo dõi: hãy chọn một OA Zalo, "
            "hoặc bỏ chọn “Gửi đến người theo dõi”."
        ]
        assert Publication.objects.count() == 1
        assert not Broadcast.objects.exists()
