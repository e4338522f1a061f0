"""Settings of `bench/chaos.py` and of the scheduler processes it starts: the test
settings with MEDIA_ROOT from the environment, so that every process reads the same
images and renditions (cms.settings.test would give the run a temporary folder
of its own)."""

import contextlib
import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import MEDIA_ROOT as _TEST_MEDIA_ROOT

with contextlib.suppress(OSError):
    os.rmdir(_TEST_MEDIA_ROOT)  # the empty folder the test settings just made
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
# The apps registered in the sandbox (as cms.settings.dev): Zalo token refreshes
# and reconnections go through them.
SANDBOX_APPS = {
    "facebook": {"app_id": "sandbox-fb-app", "app_secret": "sandbox-fb-secret"},
    "zalo": {"app_id": "sandbox-zalo-app", "app_secret": "sandbox-zalo-secret"},
}
PUBLISHING_NETWORKS = {
    name: {**config, "OPTIONS": {**config["OPTIONS"], **SANDBOX_APPS[name]}}
    for name, config in PUBLISHING_NETWORKS.items()  # noqa: F405
}
