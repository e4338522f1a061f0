"""A region lead signs in for the first time: the admin holds her at enrolment until
her authenticator is set up, then lets her in (issue 7, two-step sign-in)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cms.core.models import Role, UnitMembership
from tests.conftest import PASSWORD, Org
from tests.e2e.helpers import code_for_secret


@pytest.fixture
def lead(transactional_db):
    org = Org()
    user = org.user("lanhdao.moi")
    UnitMembership.objects.create(user=user, unit=org.region, role=Role.LEAD)
    return user


def test_a_lead_enrols_at_first_sign_in_and_reaches_the_admin(lead, live_server, page):
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "lanhdao.moi")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()

    # Held at enrolment, even when she tries another admin page.
    page.wait_for_url(f"{base}/admin/2fa/enrol/?next=%2Fadmin%2F")
    page.goto(f"{base}/admin/pages/")
    page.wait_for_url(f"{base}/admin/2fa/enrol/?next=%2Fadmin%2Fpages%2F")
    expect(page.locator(".twofactor-qr svg")).to_be_visible()

    # Her "app" takes the secret as typed from the page; a wrong code first.
    secret = page.locator("#twofactor-secret").inner_text()
    right = code_for_secret(secret)
    page.fill("#id_code", f"{(int(right) + 1) % 1_000_000:06d}")
    page.locator("form.login-form button[type=submit]").click()
    expect(page.locator(".messages .error")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=lead).exists()

    page.fill("#id_code", code_for_secret(secret))
    page.locator("form.login-form button[type=submit]").click()
    expect(page.locator("[data-backup-codes] li")).to_have_count(10)
    page.locator("main a.button").click()

    # On to the page she asked for (the explorer opens at her section).
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    page.goto(f"{base}/admin/")
    expect(page.locator("#wagtail-sidebar")).to_be_attached()
    assert page.url == f"{base}/admin/"
    assert TOTPDevice.objects.get(user=lead).confirmed
