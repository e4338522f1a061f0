"""An animated image counts every frame against WAGTAILIMAGES_MAX_IMAGE_PIXELS: a
4800x4800 GIF of a few frames (small on disk: the frames after the first differ by
one pixel) is refused by the add form and by the multiple uploader the admin uses,
with the figures in Vietnamese; ordinary GIFs and PNGs are still accepted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from wagtail.images import get_image_model

from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db


def animated_gif(size, frames):
    images = [Image.new("P", (size, size), 0) for _ in range(frames)]
    for number, image in enumerate(images):
        image.putpixel((0, 0), number)  # else Pillow merges identical frames
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], loop=0)
    return buffer.getvalue()


def refusal(frames, side, pixels):
    with translation.override("vi"):
        text = translation.gettext(
            "This animated image has %(frames)s frames of %(width)s×%(height)s "
            "pixels: %(pixels)s pixels in all, more than the %(limit)s allowed. "
            "Upload a still image, or a shorter or smaller animation."
        )
    return text % {
        "frames": frames,
        "width": side,
        "height": side,
        "pixels": pixels,
        "limit": "24.000.000",
    }


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("quantri", superuser=True))
    return client


def add(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Ảnh", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def add_multiple(client, name, content):
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content), "collection": 1},
    ).json()


@pytest.fixture(scope="module")
def big_gif():
    data = animated_gif(4800, 3)
    assert len(data) < 50_000  # 69 million pixels in a few kilobytes
    return data


def test_the_add_form_refuses_a_big_animation(admin_client, big_gif):
    response = add(admin_client, "dong.gif", big_gif)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [refusal("3", 4800, "69.120.000")]
    assert not get_image_model().objects.exists()


def test_the_multiple_uploader_refuses_a_big_animation(admin_client, big_gif):
    answer = add_multiple(admin_client, "dong.gif", big_gif)
    assert answer["success"] is False
    assert answer["error_message"] == refusal("3", 4800, "69.120.000")
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dong.gif", animated_gif(400, 5)),
        ("tinh.gif", png_bytes(fmt="GIF")),
        ("anh.png", png_bytes()),
    ],
    ids=["animated-gif", "still-gif", "png"],
)
def test_ordinary_images_are_accepted_by_both(admin_client, name, content):
    response = add(admin_client, name, content)
    assert response.status_code == 302
    assert add_multiple(admin_client, name, content)["success"] is True
    assert get_image_model().objects.count() == 2
