"""Browser journeys: pytest-playwright driving Debian's Chromium (never downloaded)."""

import os
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.twofactor.policy import key_from_text, usable_code

# live_server runs Django in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # live_server needs committed data; serialized_rollback restores what the
            # migrations created (Wagtail's root page, locale, collection) after the
            # flush, for the tests that come next.
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True)
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: run scripts/ensure-chromium.sh "
            "(make test does it)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 900},
    }


def pass_two_factor(page, username):
    """After the password step of the sign-in form: type the code the user's
    authenticator would show (computed from their device's secret), or, for a
    manager, lead or superuser without one, enrol as a person would: the secret read
    off the page into an "app" (here TOTP computed in the test), then go on past the
    backup codes. Does nothing for a user who needs no code."""
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    submit = page.locator("form.login-form button[type=submit]")
    if "/admin/2fa/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_code", _unused_code(device))
        submit.click()
    elif "/admin/2fa/enrol/" in page.url:
        secret = page.locator("#twofactor-secret").inner_text()
        page.fill("#id_code", code_for_secret(secret))
        submit.click()
        page.locator("[data-backup-codes]").wait_for()
        page.locator("main a.button").click()


def code_for_secret(secret):
    """What an authenticator app given this base32 secret shows now."""
    return f"{TOTP(bytes.fromhex(key_from_text(secret))).token():06d}"


def _unused_code(device):
    # A code works once: after a sign-in in the same 30 s, wait for the next one.
    for _ in range(40):
        device.refresh_from_db()
        code = usable_code(device)
        if code:
            return code
        time.sleep(1)
    pytest.fail(f"no unused code for {device.user} in 40 s")
