"""compose.py: what one channel will post for an article."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model

from publishing.models import Channel, Publication
from publishing.networks.facebook import FacebookNetwork
from publishing.networks.zalo.payload import sanitise
from publishing.outbox.compose import compose, problems


@pytest.fixture
def channels(org):
    fb = Channel(
        unit=org.bac_son, network="facebook", name="BHXH Bắc Sơn", external_id="1"
    )
    zalo = Channel(
        unit=org.bac_son, network="zalo", name="BHXH Bắc Sơn", external_id="2"
    )
    return fb, zalo


def noisy_image(title, name, size=(2400, 1600)):
    """A photo-like image that does not compress well (for the size limits)."""
    image = Image.effect_noise(size, 80).convert("RGB")
    buffer = io.BytesIO()
    # zlib's fastest level: the file is still megabytes (the noise), in a quarter
    # of the time.
    image.save(buffer, "PNG", compress_level=1)
    buffer.seek(0)
    obj = get_image_model()(title=title)
    obj.file = ImageFile(buffer, name=name)
    obj.save()
    return obj


RICH_BODY = [
    {"type": "heading", "value": {"text": "Ai phải tham gia?", "level": "h2"}},
    {
        "type": "paragraph",
        "value": '<p class="x">Chủ hộ <b>kinh doanh</b><script>alert(1)</script>'
        ' <a href="/tin-tuc/">xem</a></p>',
    },
    {
        "type": "faq",
        "value": {
            "title": "Hỏi đáp",
            "items": [{"question": "Đóng bao lâu?", "answer": "<p>Đủ 15 năm.</p>"}],
        },
    },
    {
        "type": "key_figures",
        "value": {
            "title": "",
            "items": [{"number": "15 năm", "label": "để có lương hưu"}],
        },
    },
    {"type": "embed", "value": {"url": "https://youtu.be/dQw4w9WgXcQ", "caption": ""}},
    {
        "type": "call_to_action",
        "value": {
            "kind": "hotline",
            "text": "Cần hỏi thêm?",
            "label": "Gọi 1900 9068",
            "url": "",
            "phone": "1900 9068",
        },
    },
]


CODE = "AbCdEfGh"


def test_facebook_link_post_carries_the_marker_in_utm_content(org, channels):
    page = org.article()
    payload = compose(page, channels[0], "pub-42", code=CODE)
    assert payload.kind == "link"
    parts = urlsplit(payload.link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == page.canonical_url
    query = parse_qs(parts.query)
    assert query["utm_content"] == ["pub-42"]
    assert query["utm_medium"] == ["social"]
    assert query["utm_source"] == ["facebook"]
    # The link card keeps the long address; the text shows the short link only.
    assert page.title in payload.message
    assert f"http://testserver/l/{CODE}" in payload.message
    assert payload.link not in payload.message and "utm_" not in payload.message
    assert "#BHXH" in payload.message


def test_previews_show_a_sample_short_link_of_the_real_form(org, channels):
    page = org.article()
    for channel in channels:
        payload = compose(page, channel, "pub-0", message="{title} {url}")
        text = payload.message or payload.description  # Zalo's: the description
        assert text.endswith(" http://testserver/l/xxxxxxxx")
        assert len("xxxxxxxx") == Publication._meta.get_field("link_code").max_length


def test_custom_message_with_placeholders(org, channels):
    page = org.article()
    payload = compose(
        page, channels[0], "pub-7", message="Đọc ngay: {title} {url}", code=CODE
    )
    assert payload.message == f"Đọc ngay: {page.title} http://testserver/l/{CODE}"


def test_unknown_placeholder_is_reported_in_vietnamese(org, channels):
    page = org.article()
    found = problems(page, channels[0], message="Xem {tieu_de}")
    assert len(found) == 1
    assert "tieu_de" in found[0]
    assert "{title}" in found[0]


def test_zalo_article_body_is_converted_to_allowed_html(org, channels):
    page = org.article(body=RICH_BODY)
    payload = compose(page, channels[1], "pub-9", code=CODE)
    assert payload.kind == "article"
    assert payload.title == page.title
    assert payload.description == page.intro
    assert payload.author == "Bắc Sơn"
    assert payload.cover.url.startswith("http://testserver/media/")
    html = " ".join(b["content"] for b in payload.body if b["type"] == "text")
    assert "<script>" not in html and "alert(1)" in html  # tag gone, text kept
    assert 'class="x"' not in html
    assert '<a href="http://testserver/tin-tuc/">xem</a>' in html
    assert "<p><strong>Ai phải tham gia?</strong></p>" in html
    assert "Đủ 15 năm." in html and "<strong>15 năm</strong>" in html
    assert "https://youtu.be/dQw4w9WgXcQ" in html
    assert 'href="tel:1900 9068"' in html or 'href="tel:19009068"' in html
    # Readers of the article follow its short link (counted), not the long one.
    assert f'href="http://testserver/l/{CODE}"' in payload.body[-1]["content"]
    assert "utm_" not in str(payload.body) + payload.description


def test_image_urls_are_absolute_and_percent_encoded(org, channels):
    image = noisy_image("Chợ Bắc Sơn", "chợ bắc sơn 2025.png", size=(400, 300))
    page = org.article(
        body=[{"type": "image", "value": {"image": image.pk, "caption": "Chợ"}}],
        cover_image=image,
    )
    payload = compose(page, channels[1], "pub-3")
    urls = [payload.cover.url] + [
        b["url"] for b in payload.body if b["type"] == "image"
    ]
    for url in urls:
        assert url.startswith("http://testserver/media/")
        assert " " not in url and url.isascii(), url


def test_image_over_the_network_limit_is_recompressed(org, channels, monkeypatch):
    from publishing.networks.zalo import ZaloNetwork

    image = noisy_image("Ảnh lớn", "anh-lon.png")
    page = org.article(cover_image=image)
    limit = 250_000
    monkeypatch.setattr(ZaloNetwork, "max_image_bytes", limit)
    payload = compose(page, channels[1], "pub-5")
    assert payload.cover.size <= limit
    assert (payload.cover.width, payload.cover.height) == (1200, 630)


def test_sanitise_keeps_only_zalo_tags():
    html = sanitise('<h2>Tiêu đề</h2><p onclick="x()">Một <em>câu</em></p>')
    assert html == "Tiêu đề<p>Một <em>câu</em></p>"


class Shouting(FacebookNetwork):
    """A network whose payload hook shouts: what compose() returns is the hook's."""

    default_template = "{title} {url}"

    def build_payload(self, draft):
        self.drafts = [*getattr(self, "drafts", []), draft]
        payload = super().build_payload(draft)
        payload.message = payload.message.upper()
        return payload


def test_compose_asks_the_network_for_its_payload(org, channels, settings):
    networks = settings.PUBLISHING_NETWORKS
    settings.PUBLISHING_NETWORKS = {
        **networks,
        "facebook": {
            **networks["facebook"],
            "BACKEND": "tests.publishing.test_compose.Shouting",
        },
    }
    page = org.article(title="Lương hưu tăng")
    adapter = Shouting(channels[0])

    payload = compose(page, channels[0], "pub-9", adapter=adapter)

    [draft] = adapter.drafts
    assert draft.message == f"Lương hưu tăng {draft.short_link}"
    assert "utm_content=pub-9" in draft.link
    assert payload.message == draft.message.upper()
    assert compose(page, channels[0], "pub-9").message == payload.message
