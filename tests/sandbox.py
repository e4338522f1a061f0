"""The `sandbox` fixture: the fake Graph API + Zalo OA over real HTTP, per test.

Settings point at it (network URLs, the sandbox apps' ids and secrets), so adapters
under test talk to it exactly as they would to the real networks.
"""

import pytest
import requests

from sandbox.server import SandboxServer
from sandbox.state import DEFAULT_APPS, SandboxState

FB_APP, ZALO_APP = "sandbox-fb-app", "sandbox-zalo-app"


class Sandbox:
    """A running sandbox: `.url`, `.state`, and helpers for the control API."""

    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.state = server.state

    def control(self, path, json=None, *, check=True):
        """POST to `/_sandbox/<path>` and return the decoded JSON (raises on 4xx
        unless `check=False`, so a typo in a test does not pass silently)."""
        response = requests.post(
            self.url + "_sandbox/" + path.lstrip("/"), json=json or {}, timeout=5
        )
        if check and response.status_code >= 400:
            raise AssertionError(f"control {path}: {response.text}")
        return response.json()

    def calls(self, network=None, endpoint=None):
        """The network calls the sandbox answered, oldest first (tokens masked)."""
        return self.state.calls(network, endpoint)

    def fault(self, network, endpoint, mode, **params):
        """Queue a fault for the next matching call(s): `times`, `seconds`, …"""
        body = {"network": network, "endpoint": endpoint, "mode": mode, **params}
        return self.control("faults", body)["queued"]

    def facebook_page(self, name="Trang thử nghiệm", **fields):
        """A Page of the sandbox user: {"id", "page_token", "user_token"}."""
        return self.control("facebook/pages", {"name": name, **fields})

    def zalo_oa(self, name="OA thử nghiệm", **fields):
        """An OA: {"id", "access_token", "refresh_token"}."""
        return self.control("zalo/oas", {"name": name, **fields})


@pytest.fixture
def sandbox(settings):
    """A fresh in-memory sandbox on a free port; Django settings point at it."""
    server = SandboxServer(SandboxState())
    url = server.start_in_thread(0)
    settings.FACEBOOK_GRAPH_URL = settings.FACEBOOK_DIALOG_URL = url
    settings.ZALO_OPENAPI_URL = settings.ZALO_OAUTH_URL = url
    settings.FACEBOOK_APP_ID = FB_APP
    settings.FACEBOOK_APP_SECRET = DEFAULT_APPS["facebook"][FB_APP]["secret"]
    settings.ZALO_APP_ID = ZALO_APP
    settings.ZALO_APP_SECRET = DEFAULT_APPS["zalo"][ZALO_APP]["secret"]
    try:
        yield Sandbox(server)
    finally:
        server.stop()
