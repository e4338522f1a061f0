"""The test suite: fast hashing, in-memory cache, media in a temporary folder."""

import tempfile

from cms.settings.base import *  # noqa: F403
from cms.settings.base import INSTALLED_APPS

DEBUG = False
# The network sandbox the tests send to over real HTTP; never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "sandbox"]
SERVE_MEDIA = True
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="bhxh-test-media-")
# django-tasks' immediate backend, able to run a block's tasks once (tests/tasks.py).
TASKS = {"default": {"BACKEND": "tests.tasks.ImmediateBackend"}}
FIELD_ENCRYPTION_KEY = "h3sVmhrqDJX1r1n8C0TVxUZ1sa3FjzEIkkT3XSIjnNI="
BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = BASE_URL
