"""Local development: `make run`. Never used in production."""

import base64
import hashlib
import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import BASE_URL, INSTALLED_APPS, PUBLISHING_NETWORKS

DEBUG = True
# The network sandbox (`manage.py run_sandbox`) is a development and test tool:
# only these settings and the test settings install it, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "sandbox"]
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

# `make run` talks to the local sandbox (sandbox/README.md), never to the
# real networks, unless the environment says otherwise.
SANDBOX_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8100/")
SANDBOX_OPTIONS = {
    "facebook": {
        "graph_url": os.environ.get("FACEBOOK_GRAPH_URL", SANDBOX_URL),
        "dialog_url": os.environ.get("FACEBOOK_DIALOG_URL", SANDBOX_URL),
        "video_url": os.environ.get("FACEBOOK_VIDEO_URL", SANDBOX_URL),
        "app_id": os.environ.get("FACEBOOK_APP_ID", "sandbox-fb-app"),
        "app_secret": os.environ.get("FACEBOOK_APP_SECRET", "sandbox-fb-secret"),
    },
    "zalo": {
        "openapi_url": os.environ.get("ZALO_OPENAPI_URL", SANDBOX_URL),
        "oauth_url": os.environ.get("ZALO_OAUTH_URL", SANDBOX_URL),
        "app_id": os.environ.get("ZALO_APP_ID", "sandbox-zalo-app"),
        "app_secret": os.environ.get("ZALO_APP_SECRET", "sandbox-zalo-secret"),
        "oa_secret_key": os.environ.get("ZALO_OA_SECRET_KEY", "sandbox-zalo-oa-secret"),
    },
}
PUBLISHING_NETWORKS = {
    name: {**config, "OPTIONS": {**config["OPTIONS"], **SANDBOX_OPTIONS[name]}}
    for name, config in PUBLISHING_NETWORKS.items()
}
