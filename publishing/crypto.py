"""Channel credentials at rest: Fernet, with rotation through MultiFernet.

FIELD_ENCRYPTION_KEY holds one key or several separated by commas, newest first:
new values are encrypted with the first, old ones still decrypt with any of them,
and `rotate()` re-encrypts a value with the newest key.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CredentialsUnreadable(Exception):
    """Stored credentials cannot be decrypted with the configured keys."""


def _fernet():
    keys = [k.strip() for k in settings.FIELD_ENCRYPTION_KEY.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is empty: set one Fernet key (or several, newest "
            "first) to store channel credentials."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def encrypt(data):
    """A dict -> an opaque string safe to store."""
    return _fernet().encrypt(json.dumps(data).encode()).decode()


def decrypt(token):
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise CredentialsUnreadable(
            "The channel credentials cannot be decrypted with FIELD_ENCRYPTION_KEY."
        ) from error


def rotate(token):
    return _fernet().rotate(token.encode()).decode() if token else token
