"""The `sandbox` fixture: the fake Graph API + Zalo OA over real HTTP, per test.

Settings point at it (each network's URLs, the sandbox apps' ids and secrets, in
`PUBLISHING_NETWORKS`), so adapters under test talk to it exactly as they would to
the real networks. `network_options` changes one network's options for a test.
"""

import pytest
import requests

from sandbox.server import SandboxServer
from sandbox.state import DEFAULT_APPS, SandboxState
from sandbox.zalo_chat import OA_SECRET_KEY

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


def network_options(settings, network, **options):
    """Set `options` in `network`'s OPTIONS for this test (pytest-django's
    `settings` puts the whole setting back afterwards)."""
    networks = settings.PUBLISHING_NETWORKS
    config = networks[network]
    settings.PUBLISHING_NETWORKS = {
        **networks,
        network: {**config, "OPTIONS": {**config.get("OPTIONS", {}), **options}},
    }


@pytest.fixture
def sandbox(settings):
    """A fresh in-memory sandbox on a free port; Django settings point at it."""
    server = SandboxServer(SandboxState())
    url = server.start_in_thread(0)
    network_options(
        settings,
        "facebook",
        graph_url=url,
        dialog_url=url,
        video_url=url,
        app_id=FB_APP,
        app_secret=DEFAULT_APPS["facebook"][FB_APP]["secret"],
    )
    network_options(
        settings,
        "zalo",
        openapi_url=url,
        oauth_url=url,
        app_id=ZALO_APP,
        app_secret=DEFAULT_APPS["zalo"][ZALO_APP]["secret"],
        oa_secret_key=OA_SECRET_KEY,
    )
    try:
        yield Sandbox(server)
    finally:
        server.stop()
