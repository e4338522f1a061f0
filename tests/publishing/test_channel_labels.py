"""One way of naming a channel everywhere (network · name · unit, nothing said twice),
a Zalo row offering only what Zalo posts, followers grouped the Vietnamese way
(41.000) and the sharing round called "Lần chia sẻ", not Facebook's share count."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from cms.core.models import Role
from publishing.editor import plans as editor
from publishing.models import Publication
from tests.publishing.factories import TZ, make_channel
from tests.publishing.helpers import detail, login

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def world(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    zalo = make_channel(org.bac_son, "zalo", "BHXH Bắc Sơn (Zalo)", "3001")
    fb = make_channel(org.bac_son, "facebook", "Trang thông tin", "1001")
    fb.followers, zalo.followers = 41000, 1234567
    fb.save()
    zalo.save()
    article = org.article("bac-son", title="BHXH tự nguyện")
    return {
        "zalo": zalo,
        "fb": fb,
        "post": Publication.objects.create(
            page=article, channel=zalo, round=2, publish_at=NOW
        ),
    }


def test_a_channel_is_named_network_name_unit_without_repeats(world):
    assert str(world["zalo"]) == "Zalo · BHXH Bắc Sơn"
    assert str(world["fb"]) == "Facebook · Trang thông tin · Bắc Sơn"


def test_the_screens_use_that_one_label(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    pages = {
        "list": client.get(reverse("publishing_publications:index")),
        "calendar": client.get(
            reverse("publishing_calendar:index"), {"date": "2026-12-01"}
        ),
        "post": client.get(detail(world["post"])),
    }
    for name, response in pages.items():
        page = response.content.decode()
        assert "Zalo · BHXH Bắc Sơn" in page, name
        assert "(Zalo)" not in page and "(Bắc Sơn)" not in page, name
    data = editor.channel_data(org.user("bt", Role.EDITOR, org.bac_son))
    labels = {c["label"] for c in data["channels"].values()}
    assert labels == {"Zalo · BHXH Bắc Sơn", "Facebook · Trang thông tin · Bắc Sơn"}


def test_a_zalo_row_offers_an_article_or_a_video(org, world):
    with translation.override("vi"):
        data = editor.channel_data(org.user("bt", Role.EDITOR, org.bac_son))
    kinds = {c["network"]: c["kinds"] for c in data["channels"].values()}
    assert kinds == {
        "zalo": [["", "Bài viết"], ["video", "Video"]],
        "facebook": [
            ["", "Mặc định"],
            ["link", "Liên kết"],
            ["photo", "Ảnh"],
            ["photos", "Nhiều ảnh"],
            ["video", "Video"],
        ],
    }


def test_followers_are_grouped_in_the_channel_list(client, org, world):
    login(client, org.user("ql", Role.MANAGER, org.bac_son), "vi")
    soup = BeautifulSoup(
        client.get(reverse("publishing_channels:index")).content, "html.parser"
    )
    cells = {td.get_text(strip=True) for td in soup.select("td")}
    assert {"41.000", "1.234.567"} <= cells
    assert "41000" not in cells


def test_the_sharing_round_is_not_called_a_share_count(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    soup = BeautifulSoup(client.get(detail(world["post"])).content, "html.parser")
    terms = {
        dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
        for dt in soup.select("dt")
    }
    assert terms["Lần chia sẻ"] == "2"
    assert "Lượt chia sẻ" not in terms
