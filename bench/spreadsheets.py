"""Hostile spreadsheets through both imports: each refused in < 1 s with < 50 MB.

Usage: .venv/bin/python bench/spreadsheets.py

A throwaway SQLite database is migrated once. Then, for each file and each import
(bulk scheduling, press coverage), a fresh process signs in as a superuser, warms
the page up (imports, templates), builds the file, resets its peak RSS
(/proc/self/clear_refs) and posts the file through Django's test client: the time
of that request, the growth of the peak RSS (VmHWM) over the RSS before it, and
the message shown. Prints a Markdown table for bench/README.md.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = {
    "100 MB shared string": ("xlsx", "huge_shared_string", {"megabytes": 100}),
    "1,000,000 cells in a row": ("xlsx", "wide_row", {"cells": 1_000_000}),
    "300,000 cells in a row": ("xlsx", "wide_row", {"cells": 300_000}),
    "a cell on row 1,048,576": ("xlsx", "far_row", {}),
    "30,000 characters x 1,000 cells": ("xlsx", "repeated_string", {}),
    "1,000 sheets": ("xlsx", "many_sheets", {"count": 1000}),
    "4 sheets of 9 MB": ("xlsx", "big_sheets", {}),
    "CSV of 500,000 columns": ("csv", "wide_csv", {}),
}
IMPORTS = {
    "bulk": "publishing_bulk:index",
    "press": "wagtailsnippets_cms_core_presscoverage:import",
}


def setup_django(database):
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def status(field):
    """A /proc/self/status figure, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def signed_in(client):
    """A superuser's session, its two-step sign-in done (cms/twofactor)."""
    from django.contrib.auth import get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def child(database, name, importer):
    setup_django(database)
    import openpyxl  # noqa: F401 (imported before measuring, as a warm server has)
    from bs4 import BeautifulSoup
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from tests import spreadsheet_bombs

    client = signed_in(Client())
    url = reverse(IMPORTS[importer])
    assert client.get(url).status_code == 200
    ext, builder, kwargs = FILES[name]
    data = getattr(spreadsheet_bombs, builder)(**kwargs)
    upload = SimpleUploadedFile(f"bench.{ext}", data)
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to VmRSS
    before = status("VmRSS")
    started = time.perf_counter()
    response = client.post(url, {"file": upload})
    elapsed = time.perf_counter() - started
    growth = status("VmHWM") - before
    error = BeautifulSoup(response.content, "html.parser").select_one(
        "form .error-message"
    )
    if response.status_code != 200 or error is None:
        sys.exit(f"{name} through {importer}: not refused ({response.status_code})")
    message = " ".join(error.get_text().split())
    print(f"{len(data) / 1024:.0f}\t{elapsed:.3f}\t{growth:.1f}\t{message}")


def main():
    with tempfile.TemporaryDirectory() as workdir:
        database = Path(workdir) / "bench.sqlite3"
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.settings.test")
        env["DATABASE_URL"] = f"sqlite:///{database}"
        manage = [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"]
        subprocess.run(manage, check=True, env=env, cwd=ROOT)
        print("| file | on disk | import | time | peak RSS growth | message |")
        print("|---|---|---|---|---|---|")
        worst = [0.0, 0.0]
        for name in FILES:
            for importer in IMPORTS:
                command = [sys.executable, __file__, "--child", str(database)]
                out = subprocess.run(
                    [*command, name, importer],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                ).stdout.strip()
                size, elapsed, growth, message = out.splitlines()[-1].split("\t")
                worst = [max(worst[0], float(elapsed)), max(worst[1], float(growth))]
                milliseconds = float(elapsed) * 1000
                print(
                    f"| {name} | {size} KB | {importer} | {milliseconds:.0f} ms"
                    f" | {growth} MB | {message} |"
                )
        print(f"\nslowest {worst[0]:.3f} s, largest growth {worst[1]:.1f} MB")
        if worst[0] >= 1 or worst[1] >= 50:
            sys.exit("over the target: < 1 s and < 50 MB for each file")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
    else:
        main()
