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
    """Wagtail's image field; a damaged image gets the form error, not a 500."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
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
