"""Invisible characters that change what a reader sees: refused in names and texts.

A bidi override (U+202A-U+202E) or isolate (U+2066-U+2069) turns the rest of a line
around, so "Trang BHXH‮gnaT" shows as something else than it is; zero-width
characters make two names look the same while they differ (a second "Bắc Sơn"
channel, a title that searches do not find). They are refused, never stripped
silently: the person sees which character and where it came from (usually a paste).

Names, titles and slugs refuse all of them. Free text (a post's message, a pause
reason) keeps the zero-width joiner U+200D, which joins emoji sequences such as
👨‍👩‍👧; a lone one shows nothing wrong.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})
JOINER = 0x200D
HIDDEN = BIDI_CONTROLS | ZERO_WIDTH


def first_hidden(text, allow_joiner=False):
    """The first refused character of `text` as "U+202E", or None."""
    for char in text or "":
        code = ord(char)
        if code in HIDDEN and not (allow_joiner and code == JOINER):
            return f"U+{code:04X}"
    return None


@deconstructible
class HiddenCharValidator:
    """Refuses bidi controls and zero-width characters; `free_text` keeps U+200D."""

    message = _(
        "Remove the hidden character %(char)s: it changes how the text looks without "
        "being seen (it often comes with a paste). Type the text again, or paste it "
        "as plain text."
    )
    code = "hidden_character"

    def __init__(self, free_text=False):
        self.free_text = free_text

    def __call__(self, value):
        found = first_hidden(str(value), allow_joiner=self.free_text)
        if found:
            raise ValidationError(self.message, code=self.code, params={"char": found})

    def __eq__(self, other):
        return (
            isinstance(other, HiddenCharValidator) and other.free_text == self.free_text
        )


no_hidden_chars = HiddenCharValidator()
no_hidden_chars_in_text = HiddenCharValidator(free_text=True)
