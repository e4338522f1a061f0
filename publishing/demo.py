"""Demo channels: a Facebook Page and a Zalo OA for the region and two districts,
connected through the sandbox when it runs (`make run` starts it first)."""

import datetime

import requests
from django.conf import settings
from django.utils import timezone

from .connect import ConnectError, connect
from .models import Channel, Network

DEMO_UNITS = {"khu-vuc-v": 18200, "bac-son": 4100, "loc-binh": 3650}


def _sandbox(path, payload):
    response = requests.post(
        settings.SANDBOX_URL.rstrip("/") + "/_sandbox/" + path, json=payload, timeout=5
    )
    response.raise_for_status()
    return response.json()


def seed_channels(sender, units, stdout, **kwargs):
    if not getattr(settings, "SANDBOX_URL", ""):
        return
    try:
        requests.get(settings.SANDBOX_URL.rstrip("/") + "/_sandbox/state", timeout=2)
    except requests.RequestException:
        stdout.write(
            "Sandbox không chạy: bỏ qua kênh mẫu (chạy `make run` để có kênh mẫu)."
        )
        return
    created = 0
    for slug, followers in DEMO_UNITS.items():
        unit = units[slug]
        for network in (Network.FACEBOOK, Network.ZALO):
            if Channel.objects.filter(unit=unit, network=network).exists():
                continue
            try:
                _connect_demo(unit, network, followers)
                created += 1
            except (ConnectError, requests.RequestException) as error:
                stdout.write(f"Không kết nối được kênh mẫu {unit.label}: {error}")
    stdout.write(f"Kênh mẫu qua sandbox: {created} kênh mới.")


def _connect_demo(unit, network, followers):
    if network == Network.FACEBOOK:
        page = _sandbox(
            "facebook/pages", {"name": f"BHXH {unit.label}", "followers": followers}
        )
        external_id, credentials = page["id"], {"page_token": page["page_token"]}
        name = f"BHXH {unit.label}"
    else:
        oa = _sandbox(
            "zalo/oas", {"name": f"BHXH {unit.label}", "followers": followers // 2}
        )
        external_id = oa["id"]
        credentials = {
            "access_token": oa["access_token"],
            "refresh_token": oa["refresh_token"],
            "expires_at": (timezone.now() + datetime.timedelta(hours=25)).isoformat(),
        }
        name = f"BHXH {unit.label} (Zalo)"
    connect(network, external_id, name, unit, credentials, user=None)
