"""Cover images for demo articles: 1200x630 (the Open Graph size), title drawn on."""

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
]


def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    # Pillow's bundled font covers Latin with diacritics; good enough without DejaVu.
    return ImageFont.load_default(size=size)


def _lines(draw, text, font, max_width):
    for width in range(34, 10, -2):
        lines = textwrap.wrap(text, width=width)
        if all(draw.textlength(line, font=font) <= max_width for line in lines):
            return lines
    return textwrap.wrap(text, width=10)


def make_cover(title, kicker, colour, organisation):
    """A JPEG cover as bytes: the colour band, a kicker, the title, the organisation."""
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, HEIGHT - 90, WIDTH, HEIGHT], fill="#ffffff")
    draw.rectangle([60, 70, 70, 130], fill="#f0b400")
    draw.text((90, 78), kicker.upper(), font=_font(34, bold=True), fill="#ffffff")
    title_font = _font(56, bold=True)
    y = 170
    for line in _lines(draw, title, title_font, WIDTH - 150)[:5]:
        draw.text((60, y), line, font=title_font, fill="#ffffff")
        y += 70
    draw.text((60, HEIGHT - 66), organisation, font=_font(32, bold=True), fill=colour)
    draw.text(
        (WIDTH - 330, HEIGHT - 66), "Hotline 1900 9068", font=_font(30), fill="#333333"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
