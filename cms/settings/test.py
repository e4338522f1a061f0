"""The test suite: fast hashing, in-memory cache, media in a temporary folder."""

import atexit
import os
import shutil
import tempfile

from cms.settings.base import *  # noqa: F403
from cms.settings.base import DATABASES, INSTALLED_APPS, page_cache_from_env

DEBUG = False
# The network sandbox the tests send to over real HTTP; never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "sandbox"]
SERVE_MEDIA = True
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # A test's subprocesses share the one PAGE_CACHE_URL names.
    "pages": page_cache_from_env(DATABASES["default"])
    if os.environ.get("PAGE_CACHE_URL")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
# No page kept unless a test turns it on (tests/cms/test_page_cache.py): purges
# run at commit, which most tests never reach.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _media_root():
    """The run's media folder: a temporary one made by the first process of the run
    and removed when that process exits. The processes a test starts (a scheduler
    reading the test's videos, the sandbox) inherit TEST_MEDIA_ROOT and share it
    rather than each leaving a folder of its own behind in /tmp."""
    inherited = os.environ.get("TEST_MEDIA_ROOT")
    if inherited:
        return inherited
    path = tempfile.mkdtemp(prefix="bhxh-test-media-")
    os.environ["TEST_MEDIA_ROOT"] = path
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


MEDIA_ROOT = _media_root()
# django-tasks' immediate backend, able to run a block's tasks once (tests/tasks.py).
TASKS = {"default": {"BACKEND": "tests.tasks.ImmediateBackend"}}
FIELD_ENCRYPTION_KEY = "h3sVmhrqDJX1r1n8C0TVxUZ1sa3FjzEIkkT3XSIjnNI="
BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = BASE_URL
