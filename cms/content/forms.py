"""Admin forms that harden Wagtail's own (set in settings)."""

import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What Pillow raises on a damaged file once it decodes it (Wagtail catches only the
# decompression-bomb errors, and a cut-off JPEG or PNG would become a server error).
DAMAGED_IMAGE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    struct.error,
    PILImage.UnidentifiedImageError,
)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field; a damaged image gets the form error, not a 500, and
    an animation counts every frame against the pixel limit."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
            self.check_frames(f)
        except ValidationError:
            raise
        except DAMAGED_IMAGE_ERRORS:
            raise ValidationError(
                _(
                    "This image file is damaged or incomplete and cannot be read. "
                    "Save it again from the original and upload the new copy."
                ),
                code="invalid_image",
            ) from None

    def check_frames(self, f):
        """Wagtail multiplies the size by the frame count Willow reports, which is
        1 for a GIF: Pillow counts the frames from their headers, decoding none.
        Each frame is decoded at the full size, so a 60-frame 4800x4800 GIF is
        1.4 billion pixels to a thumbnail."""
        if self.max_image_pixels is None:
            return
        f.seek(0)
        try:
            with PILImage.open(f) as image:
                (width, height), frames = image.size, getattr(image, "n_frames", 1)
        finally:
            f.seek(0)
        if width * height * frames > self.max_image_pixels:
            raise ValidationError(
                _(
                    "This animated image has %(frames)s frames of "
                    "%(width)s×%(height)s pixels: %(pixels)s pixels in all, more than "
                    "the %(limit)s allowed. Upload a still image, or a shorter or "
                    "smaller animation."
                )
                % {
                    "frames": _number(frames),
                    "width": width,
                    "height": height,
                    "pixels": _number(width * height * frames),
                    "limit": _number(self.max_image_pixels),
                },
                code="file_too_many_pixels",
            )


def _number(value):
    return f"{value:,}".replace(",", ".")


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, as Wagtail does: the field reads its limits from settings
        # and its messages in the request's language when it is created.
        current = self.fields.get("file")
        if current is not None:
            self.fields["file"] = CheckedImageField(
                label=current.label, required=current.required, widget=current.widget
            )
