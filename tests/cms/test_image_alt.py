"""Issue 18: the public site describes an image with what the editor typed in its
"description" (Wagtail's alt text field), not with the image's title; a body
image's own alt text still comes first."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import make_image

DESCRIBED = "Cán bộ BHXH hướng dẫn chủ hộ kinh doanh tại chợ Bắc Sơn"


def described(title="anh-bia-cho-bac-son.jpg", description=DESCRIBED):
    image = make_image(title)
    image.description = description
    image.save(update_fields=["description"])
    return image


def page_soup(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def article(org):
    return org.article(cover_image=described())


def test_the_cover_is_described_by_its_description(client, article):
    cover = page_soup(client, article).select_one("figure.cover img")
    assert cover["alt"] == DESCRIBED


def test_the_share_tags_describe_the_cover_the_same_way(client, article):
    tag = page_soup(client, article).find("meta", property="og:image:alt")
    assert tag["content"] == DESCRIBED


def test_a_cover_without_description_falls_back_to_its_title(client, org):
    article = org.article(cover_image=described("Chợ Bắc Sơn", description=""))
    cover = page_soup(client, article).select_one("figure.cover img")
    assert cover["alt"] == "Chợ Bắc Sơn"


def test_a_body_image_uses_its_alt_text_then_the_description(client, org):
    image = described(title="IMG_2041.jpg")
    body = [
        {"type": "image", "value": {"image": image.pk, "alt_text": "Quầy hướng dẫn"}},
        {"type": "image", "value": {"image": image.pk, "alt_text": ""}},
    ]
    article = org.article(body=body)
    alts = [img["alt"] for img in page_soup(client, article).select(".prose img")]
    assert alts == ["Quầy hướng dẫn", DESCRIBED]
