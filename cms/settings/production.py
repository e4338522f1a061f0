"""Production: every secret and host from the environment; secure by default.

`manage.py check --deploy` passes with these settings behind HTTPS.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import BASE_URL

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to 50 or more random characters."
    )
if not os.environ.get("FIELD_ENCRYPTION_KEY"):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set (a Fernet key).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Nothing of ours reads the CSRF cookie from JavaScript (Wagtail takes the token
# from the page); Lax keeps both cookies off cross-site POSTs.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [BASE_URL]
X_FRAME_OPTIONS = "DENY"
# Static files: gunicorn serves them itself through WhiteNoise; the web server in
# front need not (docs/operations.md). collectstatic writes hashed names and their
# gzip and brotli copies; WhiteNoise sends the smallest the client accepts, hashed
# names with a ten-year immutable Cache-Control. Placed after SecurityMiddleware
# (HTTPS redirect and HSTS apply to static files too) and before CSP, sessions and
# login, which a stylesheet needs none of.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The sign-in lock counts in the database (cms/core/throttle.py), which every web
# worker on every host shares: no cache of its own to set up.
# Behind nginx: HTTP_X_REAL_IP (proxy_set_header X-Real-IP $remote_addr).
LOGIN_THROTTLE_IP_HEADER = os.environ.get("LOGIN_THROTTLE_IP_HEADER") or None
