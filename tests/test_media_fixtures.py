"""The image fixtures (tests/conftest.py): the same pixels every time, encoded once."""

import io

from PIL import Image

from tests.conftest import png_bytes


def test_a_cover_is_encoded_once_and_handed_out_again():
    first = png_bytes()
    assert png_bytes() is first
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
        assert image.getpixel((600, 315)) == (0x0B, 0x53, 0x94)


def test_each_size_and_format_is_its_own_file():
    small, gif = png_bytes(8, 8), png_bytes(8, 8, fmt="GIF")
    with Image.open(io.BytesIO(small)) as image:
        assert image.size == (8, 8)
    assert gif.startswith(b"GIF") and small.startswith(b"\x89PNG")
