"""Helpers of the browser journeys: signing in (two-step code included) and out, the
article editor's tab and autosave."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cms.content.demo.organisation import DEMO_PASSWORD
from cms.content.models import UnitSectionPage
from cms.twofactor.policy import key_from_text, usable_code
from publishing.models import Channel


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


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    expect(page.locator("h1")).to_contain_text("Đăng nhập")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    pass_two_factor(page, username)
    page.wait_for_url(f"{base}/admin/")


def sign_in(page, base, username):
    """The session the sign-in form leaves (password and two-step code passed),
    made by the test client (tests/conftest.py verifies its logins) and handed to
    the browser: for journeys about something else, saving the three pages of the
    form. The form itself is walked by test_totp_journey (enrolment) and
    test_article_journey (the code of an enrolled user), through log_in."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
    )


def log_out(page, base):
    page.context.clear_cookies()


# The draft of the `draft` fixture (tests/e2e/conftest.py).
DRAFT_TITLE = "Bắc Sơn: hộ kinh doanh đăng ký BHXH tại chợ"


SHARING_TAB = re.compile("Chia sẻ mạng xã hội|Social sharing")


def open_editor(page, url):
    """The edit page, once Wagtail has taken the form's starting state (2 s after
    load): edits made before that are not seen as changes, and never autosaved."""
    page.goto(url)
    page.wait_for_function(
        """() => {
            const form = document.querySelector("[data-edit-form]");
            const app = window.wagtail && window.wagtail.app;
            const unsaved = app && app.getControllerForElementAndIdentifier(
                form, "w-unsaved");
            return unsaved && unsaved.initialFormData !== undefined;
        }"""
    )


def wait_for_autosave(page):
    """Until Wagtail has autosaved the last change: the form holds nothing unsaved
    and no save is in flight. Submitting while one is in flight is refused as out
    of date (see test_article_journey). Read from the form's own controllers, not
    the header's indicator, which once missed the save's success under load."""
    page.wait_for_function(
        """() => {
            const form = document.querySelector("[data-edit-form]");
            const app = window.wagtail.app;
            const unsaved = app.getControllerForElementAndIdentifier(form, "w-unsaved");
            const autosave = app.getControllerForElementAndIdentifier(
                form, "w-autosave");
            return unsaved.initialFormData === unsaved.formData
                && autosave.submitPromise === null && !autosave.retryTimeout;
        }""",
        timeout=15000,
    )


def submit_then_approve(page, base, draft, approver="duyet.bacson"):
    """The editor on the draft's edit page submits it for moderation; Bắc Sơn's
    approver signs in and approves it (the workflow's step those journeys share)."""
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-submit']").click()
    expect(page.locator(".messages .success")).to_contain_text(DRAFT_TITLE)

    log_out(page, base)
    sign_in(page, base, approver)
    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    expect(page.locator(".messages .success")).to_be_visible()


def bac_son_facebook(sandbox):
    """Bắc Sơn's Facebook Page made on the sandbox and connected (journeys that
    post to Facebook: share, approver, click)."""
    page = sandbox.facebook_page("BHXH Bắc Sơn")
    channel = Channel(
        unit=UnitSectionPage.objects.get(unit__slug="bac-son").unit,
        network="facebook",
        name="BHXH Bắc Sơn",
        external_id=page["id"],
    )
    channel.set_credentials({"page_token": page["page_token"]})
    channel.save()
    return channel
