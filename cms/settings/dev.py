"""Local development: `make run`. Never used in production."""

import base64
import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_URL

DEBUG = True
SERVE_MEDIA = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-bhxh-campaigns"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A dev key derived from SECRET_KEY, so channel credentials survive restarts.
FIELD_ENCRYPTION_KEY = (
    os.environ.get("FIELD_ENCRYPTION_KEY")
    or base64.urlsafe_b64encode(
        hashlib.sha256(("fernet:" + SECRET_KEY).encode()).digest()
    ).decode()
)
WAGTAILADMIN_BASE_URL = BASE_URL
