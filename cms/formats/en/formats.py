"""English: Django's formats, except the input formats, which read dd/mm/yyyy as
Wagtail's date pickers write it (WAGTAIL_DATETIME_FORMAT) instead of mm/dd/yyyy."""

from cms.formats.inputs import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)
