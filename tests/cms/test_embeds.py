"""YouTube and Facebook embeds are built from the URL alone, never over the network."""

import socket
from urllib.parse import quote

import pytest
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import (
    EmbedNotFoundException,
    EmbedUnsupportedProviderException,
)

from cms.content.embeds import OfflineVideoFinder

NOCOOKIE = "https://www.youtube-nocookie.com/embed/"
FB_PLUGIN = "https://www.facebook.com/plugins/video.php?href="


@pytest.fixture
def finder():
    return OfflineVideoFinder()


def src(embed):
    html = embed["html"]
    start = html.index('src="') + len('src="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


class TestYouTube:
    @pytest.mark.parametrize(
        "url",
        [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc123",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/live/dQw4w9WgXcQ",
        ],
    )
    def test_url_forms_map_to_nocookie_embed(self, finder, url):
        assert finder.accept(url)
        embed = finder.find_embed(url)
        assert src(embed) == NOCOOKIE + "dQw4w9WgXcQ"
        assert embed["provider_name"] == "YouTube"
        assert embed["type"] == "video"
        assert (
            embed["thumbnail_url"] == "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"
        )

    @pytest.mark.parametrize(
        "url, start",
        [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", 90),
            ("https://youtu.be/dQw4w9WgXcQ?t=90", 90),
            ("https://youtu.be/dQw4w9WgXcQ?t=45s", 45),
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", 3723),
            ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=15", 15),
        ],
    )
    def test_start_time_is_kept(self, finder, url, start):
        assert src(finder.find_embed(url)) == f"{NOCOOKIE}dQw4w9WgXcQ?start={start}"

    def test_malformed_start_time_is_ignored(self, finder):
        url = "https://youtu.be/dQw4w9WgXcQ?t=abc"
        assert src(finder.find_embed(url)) == NOCOOKIE + "dQw4w9WgXcQ"

    @pytest.mark.parametrize(
        "url",
        [
            "https://www.youtube.com/",
            "https://www.youtube.com/watch",
            "https://www.youtube.com/@BHXHVietNam",
            "https://www.youtube.com/playlist?list=PL123456",
            "https://www.youtube.com/watch?v=<script>",
        ],
    )
    def test_youtube_urls_without_a_video_are_not_accepted(self, finder, url):
        assert not finder.accept(url)
        with pytest.raises(EmbedNotFoundException):
            finder.find_embed(url)


class TestFacebook:
    @pytest.mark.parametrize(
        "url",
        [
            "https://www.facebook.com/watch?v=1234567890",
            "https://www.facebook.com/watch/?v=1234567890",
            "https://www.facebook.com/BaoHiemXaHoiVietNam/videos/1234567890",
            "https://m.facebook.com/BaoHiemXaHoiVietNam/videos/1234567890/",
            "https://www.facebook.com/reel/1234567890",
            "https://fb.watch/abcDEF123/",
        ],
    )
    def test_video_urls_map_to_the_plugin(self, finder, url):
        assert finder.accept(url)
        embed = finder.find_embed(url)
        assert src(embed) == FB_PLUGIN + quote(url, safe="")
        assert embed["provider_name"] == "Facebook"

    def test_href_is_fully_encoded(self, finder):
        url = "https://www.facebook.com/watch?v=1234567890&ref=sharing"
        assert src(finder.find_embed(url)) == (
            FB_PLUGIN
            + "https%3A%2F%2Fwww.facebook.com%2Fwatch%3Fv%3D1234567890%26ref%3Dsharing"
        )

    @pytest.mark.parametrize(
        "url",
        [
            "https://www.facebook.com/BaoHiemXaHoiVietNam",
            "https://www.facebook.com/BaoHiemXaHoiVietNam/posts/123",
            "https://www.facebook.com/watch",
            "https://fb.watch/",
        ],
    )
    def test_facebook_urls_without_a_video_are_not_accepted(self, finder, url):
        assert not finder.accept(url)
        with pytest.raises(EmbedNotFoundException):
            finder.find_embed(url)


class TestOtherHosts:
    @pytest.mark.parametrize(
        "url",
        [
            "https://vimeo.com/123",
            "https://www.tiktok.com/@bhxh/video/7312345678901234567",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "https://notfacebook.com/reel/1234567890",
            "ftp://youtu.be.example/dQw4w9WgXcQ",
            "not a url",
        ],
    )
    def test_other_hosts_are_refused(self, finder, url):
        assert not finder.accept(url)
        with pytest.raises(EmbedNotFoundException):
            finder.find_embed(url)

    @pytest.mark.django_db
    def test_wagtail_get_embed_has_no_finder_for_other_hosts(self):
        with pytest.raises(EmbedUnsupportedProviderException):
            embeds.get_embed("https://vimeo.com/123")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    attempts = []

    def refuse(sock, address):
        attempts.append(address)
        raise OSError(f"network call to {address!r} during the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_article_with_embeds_renders_without_network(client, org, no_network):
    page = org.article(
        title="Video hướng dẫn đăng ký BHXH",
        body=[
            {
                "type": "embed",
                "value": {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
                    "caption": "Hướng dẫn",
                },
            },
            {
                "type": "embed",
                "value": {"url": "https://fb.watch/abcDEF123/", "caption": ""},
            },
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'src="{NOCOOKIE}dQw4w9WgXcQ?start=90"' in html
    assert FB_PLUGIN + quote("https://fb.watch/abcDEF123/", safe="") in html
    assert "<figcaption>Hướng dẫn</figcaption>" in html
    assert no_network == []
