"""Two-step sign-in (TOTP) to the admin: required for managers, leads and superusers,
offered to everyone else (cms/twofactor).

The test client's login()/force_login() count as a whole sign-in (tests/conftest.py);
the half-signed-in sessions here come from the sign-in form itself, as in a browser.
"""

import datetime
import io
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from cms.core.models import Role
from cms.twofactor.demo import DEMO_TOTP_SECRET, seed_devices
from cms.twofactor.policy import key_from_text, new_backup_codes, usable_code
from tests.conftest import PASSWORD

# The form's messages, whole (the page shows them in Vietnamese: a part of a msgid
# is not a msgid and would stay English).
WRONG_CODE = (
    "This code is wrong or has expired. Enter the 6-digit code your "
    "authenticator app shows now."
)
NO_MATCH = (
    "This code does not match the secret shown. Check that the app added this "
    "account and that the phone's clock is right, then enter the code it shows now."
)
THROTTLED = (
    "Too many wrong codes. Wait %(seconds)s seconds, then enter the code your app "
    "shows at that time."
)

HOME = "/admin/"
# Admin URLs of every kind: pages, forms, listings, choosers, the admin API, ours.
ADMIN_URLS = [
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:search",
    "wagtailadmin_account",
    "wagtailusers_users:index",
    "wagtailimages:index",
    "wagtailimages_chooser:choose",
    "wagtailadmin_api:pages:listing",
    "publishing_channels:index",
    "twofactor:manage",
    "twofactor:backup_codes",
]


def sign_in(client, user):
    """The password step through the admin's sign-in form."""
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": PASSWORD, "next": HOME},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def give_device(user):
    key = key_from_text(DEMO_TOTP_SECRET)
    return TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True)


def code_of(device):
    device.refresh_from_db()
    return usable_code(device)


def wrong_code(device):
    right = code_of(device)
    return f"{(int(right) + 1) % 1_000_000:06d}"


def text(response):
    return unescape(response.content.decode())


def enrol_url(next_url=HOME):
    return f"{reverse('twofactor:enrol')}?{urlencode({'next': next_url})}"


def verify_url(next_url=HOME):
    return f"{reverse('twofactor:verify')}?{urlencode({'next': next_url})}"


@pytest.fixture
def manager(org):
    return org.user("ql", Role.MANAGER, org.bac_son)


@pytest.fixture
def lead(org):
    return org.user("ld", Role.LEAD, org.region)


@pytest.fixture
def editor(org):
    return org.user("bt", Role.EDITOR, org.bac_son)


class TestWhoMustEnrol:
    @pytest.mark.parametrize("name", ADMIN_URLS)
    def test_a_manager_without_a_device_is_sent_to_enrol_from_every_admin_url(
        self, client, manager, name
    ):
        sign_in(client, manager)
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == enrol_url(url)

    @pytest.mark.parametrize("who", ["lead", "superuser"])
    def test_leads_and_superusers_too(self, client, org, lead, who):
        user = lead if who == "lead" else org.user("root", superuser=True)
        sign_in(client, user)
        assert client.get(HOME)["Location"] == enrol_url()

    def test_a_manager_with_a_role_on_a_district_only_is_still_required(
        self, client, org
    ):
        # Required by the role, not by the unit: a district manager too.
        user = org.user("ql.lb", Role.MANAGER, org.loc_binh)
        sign_in(client, user)
        assert client.get(reverse("wagtailadmin_explore_root")).status_code == 302

    def test_a_form_post_is_refused_and_changes_nothing(self, client, manager):
        sign_in(client, manager)
        response = client.post(
            reverse("wagtailadmin_account"), {"name_email-first_name": "Đổi"}
        )
        assert response.status_code == 403
        assert response.json()["error"] == gettext(
            "Set up two-step verification first."
        )
        manager.refresh_from_db()
        assert manager.first_name == ""

    def test_a_script_call_gets_403_not_a_redirect(self, client, manager):
        sign_in(client, manager)
        response = client.get(
            reverse("wagtailadmin_api:pages:listing"),
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert response.status_code == 403

    def test_sign_in_out_scripts_icons_and_the_enrol_screen_stay_open(
        self, client, manager
    ):
        sign_in(client, manager)
        assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
        assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
        assert client.get(enrol_url()).status_code == 200
        assert client.post(reverse("wagtailadmin_logout")).status_code == 302
        assert client.get(HOME)["Location"].startswith(reverse("wagtailadmin_login"))

    def test_the_public_site_is_not_affected(self, client, manager):
        sign_in(client, manager)
        assert client.get("/").status_code == 200

    def test_an_editor_without_a_device_goes_straight_in(self, client, editor):
        sign_in(client, editor)
        assert client.get(HOME).status_code == 200
        assert client.get(reverse("wagtailadmin_pages:search")).status_code == 200


class TestVerify:
    def test_an_editor_with_a_device_is_asked_for_a_code(self, client, editor):
        give_device(editor)
        sign_in(client, editor)
        assert client.get(HOME)["Location"] == verify_url()
        response = client.get(verify_url())
        assert response.status_code == 200
        assert gettext("Enter your verification code") in text(response)

    def test_a_wrong_code_is_refused_counted_and_lets_nobody_in(self, client, lead):
        device = give_device(lead)
        sign_in(client, lead)
        response = client.post(
            reverse("twofactor:verify"), {"code": wrong_code(device), "next": HOME}
        )
        assert response.status_code == 200
        assert gettext(WRONG_CODE) in text(response)
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        assert client.get(HOME).status_code == 302

    def test_right_code_right_after_a_wrong_one_waits_for_the_throttle(
        self, client, lead
    ):
        device = give_device(lead)
        sign_in(client, lead)
        client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
        response = client.post(reverse("twofactor:verify"), {"code": code_of(device)})
        assert response.status_code == 200
        wait = re.escape(gettext(THROTTLED)).replace(re.escape("%(seconds)s"), r"\d+")
        assert re.search(wait, text(response))
        assert client.get(HOME).status_code == 302
        # Once the wait is over, the right code works.
        device.refresh_from_db()
        past = timezone.now() - datetime.timedelta(seconds=5)
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=past
        )
        response = client.post(reverse("twofactor:verify"), {"code": code_of(device)})
        assert response.status_code == 302

    def test_the_right_code_lets_in_and_goes_on_to_next(self, client, lead):
        device = give_device(lead)
        sign_in(client, lead)
        channels = reverse("publishing_channels:index")
        response = client.post(
            reverse("twofactor:verify"), {"code": code_of(device), "next": channels}
        )
        assert response.status_code == 302
        assert response["Location"] == channels
        assert client.get(HOME).status_code == 200
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

    def test_a_code_works_once(self, client, lead):
        device = give_device(lead)
        code = code_of(device)
        sign_in(client, lead)
        client.post(reverse("twofactor:verify"), {"code": code})
        client.post(reverse("wagtailadmin_logout"))
        sign_in(client, lead)
        response = client.post(reverse("twofactor:verify"), {"code": code})
        assert response.status_code == 200
        assert client.get(HOME).status_code == 302

    def test_a_backup_code_works_once(self, client, lead):
        give_device(lead)
        codes = new_backup_codes(lead)
        sign_in(client, lead)
        response = client.post(reverse("twofactor:verify"), {"code": codes[0]})
        assert response.status_code == 302
        assert StaticToken.objects.filter(device__user=lead).count() == 9
        client.post(reverse("wagtailadmin_logout"))
        sign_in(client, lead)
        response = client.post(reverse("twofactor:verify"), {"code": codes[0]})
        assert response.status_code == 200

    def test_next_cannot_leave_the_site(self, client, lead):
        device = give_device(lead)
        sign_in(client, lead)
        response = client.post(
            reverse("twofactor:verify"),
            {"code": code_of(device), "next": "https://evil.example/"},
        )
        assert response["Location"] == HOME


def secret_on(response):
    match = re.search(r'id="twofactor-secret"[^>]*>([A-Z2-7 ]+)<', text(response))
    assert match, "the secret is shown as text"
    return match.group(1).replace(" ", "")


def code_for_secret(secret):
    totp = TOTP(bytes.fromhex(key_from_text(secret)))
    return f"{totp.token():06d}"


class TestEnrol:
    def test_the_screen_shows_a_qr_code_and_the_secret(self, client, manager):
        sign_in(client, manager)
        response = client.get(enrol_url())
        html = text(response)
        main = html[html.index('<main class="content-wrapper twofactor"') :]
        assert "<svg" in main and "<script" not in main  # CSP: no inline script
        assert len(secret_on(response)) == 32
        # The same secret until it is confirmed (a reload does not change the QR).
        assert secret_on(client.get(enrol_url())) == secret_on(response)

    def test_a_wrong_confirmation_code_saves_nothing(self, client, manager):
        sign_in(client, manager)
        secret = secret_on(client.get(enrol_url()))
        wrong = f"{(int(code_for_secret(secret)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("twofactor:enrol"), {"code": wrong})
        assert response.status_code == 200
        assert gettext(NO_MATCH) in text(response)
        assert not TOTPDevice.objects.filter(user=manager).exists()
        assert not StaticDevice.objects.filter(user=manager).exists()
        assert client.get(HOME)["Location"] == enrol_url()

    def test_the_right_code_turns_it_on_and_shows_backup_codes_once(
        self, client, manager
    ):
        sign_in(client, manager)
        secret = secret_on(client.get(enrol_url()))
        response = client.post(
            reverse("twofactor:enrol"),
            {"code": code_for_secret(secret), "next": HOME},
        )
        assert response.status_code == 302
        device = TOTPDevice.objects.get(user=manager)
        assert device.confirmed and device.key == key_from_text(secret)
        page = client.get(response["Location"])
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(page))
        assert len(codes) == 10
        assert sorted(codes) == sorted(
            StaticToken.objects.filter(device__user=manager).values_list(
                "token", flat=True
            )
        )
        assert client.get(response["Location"]).status_code == 302  # shown once
        assert client.get(HOME).status_code == 200
        assert audit(manager) == [("twofactor.enrol", manager.pk)]

    def test_a_user_with_a_device_cannot_enrol_another_without_a_code(
        self, client, lead
    ):
        device = give_device(lead)
        sign_in(client, lead)
        client.get(enrol_url())
        response = client.post(reverse("twofactor:enrol"), {"code": "123456"})
        assert response.status_code == 302
        assert list(TOTPDevice.objects.filter(user=lead)) == [device]

    def test_an_editor_enrols_from_the_account_screen(self, client, editor):
        client.force_login(editor)
        TOTPDevice.objects.filter(user=editor).delete()  # no device: offered
        account = client.get(reverse("wagtailadmin_account"))
        assert reverse("twofactor:manage") in text(account)
        page = client.get(reverse("twofactor:manage"))
        assert 'data-twofactor-status="off"' in text(page)
        secret = secret_on(client.get(reverse("twofactor:enrol")))
        client.post(reverse("twofactor:enrol"), {"code": code_for_secret(secret)})
        page = client.get(reverse("twofactor:manage"))
        assert 'data-twofactor-status="on"' in text(page)


class TestRemove:
    def test_removing_needs_a_right_code(self, client, editor):
        client.force_login(editor)
        device = TOTPDevice.objects.get(user=editor)
        for code in ("", wrong_code(device)):
            response = client.post(reverse("twofactor:remove"), {"code": code})
            assert response.status_code == 200
            assert TOTPDevice.objects.filter(user=editor).exists()
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        assert audit(editor) == []  # the refused attempts changed nothing
        response = client.post(reverse("twofactor:remove"), {"code": code_of(device)})
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=editor).exists()
        assert client.get(HOME).status_code == 200  # editors may go without
        assert audit(editor) == [("twofactor.remove", editor.pk)]

    def test_a_manager_who_removes_it_must_enrol_again(self, client, manager):
        client.force_login(manager)
        device = TOTPDevice.objects.get(user=manager)
        response = client.post(reverse("twofactor:remove"), {"code": code_of(device)})
        assert response["Location"] == reverse("twofactor:enrol")
        assert client.get(HOME)["Location"] == enrol_url()


class TestNewBackupCodes:
    def test_new_codes_need_a_right_code_and_replace_the_old_ones(self, client, editor):
        client.force_login(editor)
        device = TOTPDevice.objects.get(user=editor)
        old = new_backup_codes(editor)
        response = client.post(
            reverse("twofactor:new_codes"), {"code": wrong_code(device)}
        )
        assert response.status_code == 200
        assert sorted(old) == sorted(
            StaticToken.objects.filter(device__user=editor).values_list(
                "token", flat=True
            )
        )
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post(
            reverse("twofactor:new_codes"), {"code": code_of(device)}
        )
        page = client.get(response["Location"])
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(page))
        assert len(codes) == 10 and not set(codes) & set(old)
        assert audit(editor) == [("twofactor.new_codes", editor.pk)]
        entry = ModelLogEntry.objects.get(action="twofactor.new_codes")
        assert not set(codes) & set(str(entry.data) + entry.label)  # no code kept
        assert sorted(codes) == sorted(
            StaticToken.objects.filter(device__user=editor).values_list(
                "token", flat=True
            )
        )


class TestReset:
    def test_the_command_resets_a_user(self, manager):
        give_device(manager)
        new_backup_codes(manager)
        out = io.StringIO()
        call_command("reset_2fa", "ql", stdout=out)
        assert "ql" in out.getvalue()
        assert not TOTPDevice.objects.filter(user=manager).exists()
        assert not StaticDevice.objects.filter(user=manager).exists()
        assert audit(manager) == [("twofactor.reset", None)]
        entry = ModelLogEntry.objects.get(action="twofactor.reset")
        assert entry.data == {"by": "reset_2fa"}

    def test_the_command_names_an_unknown_user(self, db):
        with pytest.raises(CommandError, match="khong-co"):
            call_command("reset_2fa", "khong-co")

    def test_a_superuser_resets_from_the_users_list(self, client, org, lead):
        give_device(lead)
        admin = org.user("root", superuser=True)
        client.force_login(admin)
        reset = reverse("twofactor:reset", args=(lead.pk,))
        assert reset in text(client.get(reverse("wagtailusers_users:index")))
        assert client.get(reset).status_code == 200
        assert client.post(reset).status_code == 302
        assert not TOTPDevice.objects.filter(user=lead).exists()
        assert audit(lead) == [("twofactor.reset", admin.pk)]
        history = client.get(reverse("wagtailadmin_reports:site_history"))
        with translation.override("vi"):  # the admin's language
            said = translation.gettext(
                "Two-step verification reset by an administrator"
            )
        assert said != "Two-step verification reset by an administrator"
        assert said in text(history)

    def test_nobody_else_may_reset(self, client, manager, lead):
        give_device(lead)
        client.force_login(manager)
        reset = reverse("twofactor:reset", args=(lead.pk,))
        response = client.post(reset)
        assert response.status_code == 302  # Wagtail turns the 403 into a message
        assert response["Location"] == HOME
        assert TOTPDevice.objects.filter(user=lead).exists()
        assert audit(lead) == []


def audit(user):
    """The audit log's two-step entries on `user`: (action, by whom)."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        action__startswith="twofactor.",
    ).order_by("timestamp", "pk")
    return [(entry.action, entry.user_id) for entry in entries]


class TestDemo:
    def test_demo_managers_and_leads_get_the_documented_secret(self, org):
        admin = org.user("admin", superuser=True)
        lead = org.user("lanhdao.khuvuc", Role.LEAD, org.region)
        editor = org.user("bientap.bacson", Role.EDITOR, org.bac_son)
        out = io.StringIO()
        seed_devices(sender=None, stdout=out)
        seed_devices(sender=None, stdout=out)  # idempotent
        for user in (admin, lead):
            device = TOTPDevice.objects.get(user=user)
            assert device.key == key_from_text(DEMO_TOTP_SECRET)
        assert not TOTPDevice.objects.filter(user=editor).exists()
        assert "make totp USER=" in out.getvalue()

    def test_totp_code_only_in_development(self, org):
        lead = org.user("lanhdao.khuvuc", Role.LEAD, org.region)
        device = give_device(lead)
        with pytest.raises(CommandError, match="DEBUG"):
            call_command("totp_code", "lanhdao.khuvuc")
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("totp_code", "lanhdao.khuvuc", stdout=out)
        assert device.verify_token(out.getvalue().strip())
