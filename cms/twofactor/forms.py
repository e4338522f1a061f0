import logging
import math

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.twofactor.policy import TOTP_DIGITS, check_code, matching_step, normalise

logger = logging.getLogger(__name__)


def _code_field(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )


def _wait_error(seconds):
    """Seconds for django-otp's short back-off, minutes for the lock of throttle.py."""
    if seconds <= 60:
        message = _(
            "Too many wrong codes. Wait %(seconds)s seconds, then enter the "
            "code your app shows at that time."
        )
    else:
        message = _(
            "Too many wrong codes. Wait %(minutes)s minutes, then enter the code "
            "your app shows at that time."
        )
    params = {"seconds": seconds, "minutes": math.ceil(seconds / 60)}
    return forms.ValidationError(message, params=params, code="throttled")


class CodeForm(forms.Form):
    """A code from the user's authenticator, or one of their backup codes."""

    code = _code_field(
        _("Verification code"),
        _(
            "The 6-digit code your authenticator app shows now, or one of your "
            "backup codes."
        ),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        device, wait = check_code(self.user, code)
        if device is None:
            logger.warning(
                "Two-step code refused for %s%s",
                self.user.get_username(),
                f" (locked for {wait} s)" if wait else "",
            )
        if wait:
            raise _wait_error(wait)
        if device is None:
            raise forms.ValidationError(
                _(
                    "This code is wrong or has expired. Enter the 6-digit code your "
                    "authenticator app shows now."
                ),
                code="wrong",
            )
        self.device = device
        return code


class EnrolForm(forms.Form):
    """Confirms that the user's app holds the new secret before anything is saved."""

    code = _code_field(
        _("Code from the app"),
        _("After adding the account, enter the 6-digit code the app shows."),
    )

    def __init__(self, key_hex, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_hex = key_hex

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == TOTP_DIGITS):
            raise forms.ValidationError(
                _("Enter the 6 digits the app shows, without letters."),
                code="format",
            )
        self.step = matching_step(self.key_hex, code)
        if self.step is None:
            raise forms.ValidationError(
                _(
                    "This code does not match the secret shown. Check that the app "
                    "added this account and that the phone's clock is right, then "
                    "enter the code it shows now."
                ),
                code="wrong",
            )
        return code
