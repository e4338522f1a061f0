"""A Zalo OA's broadcasts a month on the channel screens: set in its form (1 to 6,
refused in Vietnamese otherwise, nothing saved), absent from a Facebook Page's,
and "còn N lượt trong tháng" in the list of channels."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from publishing.lifecycle import BroadcastStatus as B
from publishing.models import Broadcast, Publication
from tests.publishing.factories import local, make_channel
from tests.publishing.helpers import login

pytestmark = pytest.mark.django_db
NOW = local(2026, 11, 16, 9, 0)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def channels(org):
    return {
        "zalo": make_channel(org.bac_son, "zalo", "OA Bắc Sơn", "oa-bac-son"),
        "facebook": make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "fb-1"),
    }


def edit(client, channel, **changes):
    data = {
        "unit": channel.unit_id,
        "network": channel.network,
        "name": channel.name,
        "external_id": channel.external_id,
        "status": channel.status,
        "posting_slots": channel.posting_slots,
        **changes,
    }
    url = reverse("publishing_channels:edit", args=(channel.pk,))
    return client.post(url, data)


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [e.get_text(" ", strip=True) for e in soup.select(".error-message")]


def test_a_zalo_oas_broadcasts_a_month_are_edited_within_1_to_6(client, org, channels):
    oa = channels["zalo"]
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")
    page = client.get(reverse("publishing_channels:edit", args=(oa.pk,)))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one('[name="broadcasts_per_month"]')["type"] == "number"
    assert 'for="id_broadcasts_per_month"' in page.content.decode()
    assert "còn 1 lượt trong tháng" in page.content.decode()

    assert edit(client, oa, broadcasts_per_month="4").status_code == 302
    oa.refresh_from_db()
    assert oa.broadcasts_per_month == 4

    refusal = (
        "Zalo cho phép mỗi OA gửi từ 1 đến 6 lượt đến người theo dõi mỗi tháng, "
        "tuỳ gói của OA: hãy nhập một số nguyên từ 1 đến 6."
    )
    for wrong in ("0", "7", "2,5", "", "hai"):
        response = edit(client, oa, broadcasts_per_month=wrong)
        assert response.status_code == 200, wrong
        assert refusal in errors(response), (wrong, errors(response))
        oa.refresh_from_db()
        assert oa.broadcasts_per_month == 4


def test_a_facebook_page_has_no_broadcasts_field(client, org, channels):
    page_channel = channels["facebook"]
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
    page = client.get(reverse("publishing_channels:edit", args=(page_channel.pk,)))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one('[name="broadcasts_per_month"]')["type"] == "hidden"
    assert 'for="id_broadcasts_per_month"' not in page.content.decode()
    # A value sent anyway changes nothing.
    response = edit(client, page_channel, broadcasts_per_month="5", name="Trang BS")
    assert response.status_code == 302
    page_channel.refresh_from_db()
    assert (page_channel.name, page_channel.broadcasts_per_month) == ("Trang BS", 1)


def test_the_list_shows_what_a_zalo_oa_has_left_this_month(client, org, channels):
    oa = channels["zalo"]
    oa.broadcasts_per_month = 4
    oa.save()
    article = org.article("bac-son", title="Bài Bắc Sơn")
    sent = local(2026, 11, 3, 9, 0)
    publication = Publication.objects.create(page=article, channel=oa, publish_at=sent)
    Broadcast.objects.create(
        publication=publication, send_at=sent, status=B.SENT, sent_at=sent
    )
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")

    soup = BeautifulSoup(
        client.get(reverse("publishing_channels:index")).content, "html.parser"
    )
    rows = {
        row.select_one("td").get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in soup.select("tbody tr")
    }
    zalo = next(text for name, text in rows.items() if "OA Bắc Sơn" in name)
    facebook = next(text for name, text in rows.items() if "Trang Bắc Sơn" in name)
    assert "còn 3 lượt trong tháng" in zalo
    assert "lượt trong tháng" not in facebook
