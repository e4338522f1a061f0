"""Issue 18: the images a post carries are described by what the editor typed (the
image's description, or a body image's alt text), not by the image's title."""

import pytest

from publishing.models import Channel
from publishing.outbox.compose import compose
from tests.conftest import make_image

DESCRIBED = "Cán bộ BHXH hướng dẫn chủ hộ kinh doanh tại chợ Bắc Sơn"


def described(title, description=DESCRIBED):
    image = make_image(title)
    image.description = description
    image.save(update_fields=["description"])
    return image


@pytest.fixture
def facebook(org):
    return Channel(
        unit=org.bac_son, network="facebook", name="BHXH Bắc Sơn", external_id="1"
    )


def test_the_photos_of_a_post_carry_the_editors_descriptions(org, facebook):
    body = [
        {"type": "image", "value": {"image": described("IMG_1.jpg").pk}},
        {
            "type": "image",
            "value": {"image": described("IMG_2.jpg").pk, "alt_text": "Quầy"},
        },
    ]
    article = org.article(cover_image=described("anh-bia.jpg"), body=body)
    payload = compose(article, facebook, "pub-1", kind="photos")
    assert [image.alt for image in payload.images] == [DESCRIBED, DESCRIBED, "Quầy"]


def test_an_image_without_description_is_described_by_its_title(org, facebook):
    article = org.article(cover_image=described("Chợ Bắc Sơn", description=""))
    payload = compose(article, facebook, "pub-1", kind="photo")
    assert [image.alt for image in payload.images] == ["Chợ Bắc Sơn"]
