"""Login throttling: five failed sign-ins for one username from one address lock
that pair for 15 minutes, with a clear message; nobody else is locked out."""

import datetime

import pytest
from django.core.cache import cache
from django.utils.translation import gettext, override

from cms.core import throttle
from cms.core.throttle import SignInThrottle
from tests.conftest import PASSWORD

LOGIN = "/admin/login/"
NOW = datetime.datetime(2027, 6, 30, 23, 50, tzinfo=datetime.UTC)


@pytest.fixture
def editor(org):
    return org.user("bientap", "editor", org.bac_son)


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def locked_message():
    with override("vi"):
        return gettext(
            "Too many failed sign-in attempts for this username. Sign-in "
            "is locked for %(minutes)d minutes; try again later or ask "
            "an administrator to reset your password."
        ) % {"minutes": 15}


def fail(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        response = sign_in(client, username, "sai-mat-khau", address)
        assert response.status_code == 200
        assert not signed_in(client)


class TestLock:
    def test_four_failures_do_not_lock(self, client, editor):
        fail(client, "bientap", 4)
        response = sign_in(client, "bientap", PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)

    def test_five_failures_lock_even_the_right_password(self, client, editor):
        fail(client, "bientap", 5)
        response = sign_in(client, "bientap", PASSWORD)
        assert response.status_code == 200
        assert not signed_in(client)
        errors = response.context["form"].errors.as_data()["__all__"]
        assert [e.code for e in errors] == ["locked"]
        assert locked_message() in response.content.decode()

    def test_the_lock_is_per_username_and_address(self, client, editor, org):
        org.user("duyet", "approver", org.bac_son)
        fail(client, "bientap", 5)
        assert sign_in(client, "duyet", PASSWORD).status_code == 302
        client.logout()
        assert sign_in(client, "bientap", PASSWORD, "198.51.100.9").status_code == 302

    def test_the_username_is_matched_whatever_its_case(self, client, editor):
        fail(client, "BienTap", 5)
        assert sign_in(client, "bientap", PASSWORD).status_code == 200
        assert not signed_in(client)

    def test_a_success_forgets_the_failures(self, client, editor):
        fail(client, "bientap", 4)
        assert sign_in(client, "bientap", PASSWORD).status_code == 302
        client.logout()
        fail(client, "bientap", 4)
        assert sign_in(client, "bientap", PASSWORD).status_code == 302

    def test_the_lock_lasts_fifteen_minutes(self, client, editor, time_machine):
        time_machine.move_to(NOW, tick=False)
        fail(client, "bientap", 5)
        time_machine.shift(datetime.timedelta(minutes=14, seconds=59))
        response = sign_in(client, "bientap", PASSWORD)
        assert locked_message() in response.content.decode()
        time_machine.shift(datetime.timedelta(seconds=1))
        assert sign_in(client, "bientap", PASSWORD).status_code == 302

    def test_the_counts_are_in_the_database_not_a_cache(self, client, editor):
        """Every web worker and host sees them: a cache of one process did not."""
        fail(client, "bientap", 3)
        cache.clear()
        fail(client, "bientap", 2)
        assert sign_in(client, "bientap", PASSWORD).status_code == 200
        assert SignInThrottle.objects.get().failures == 5

    def test_unknown_usernames_are_throttled_too(self, client, db):
        fail(client, "khongco", 5)
        response = sign_in(client, "khongco", "sai-mat-khau")
        assert locked_message() in response.content.decode()


class TestClientAddress:
    def test_the_proxy_header_is_used_only_when_configured(self, rf, settings):
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
        assert throttle.client_ip(request) == "10.0.0.1"
        settings.LOGIN_THROTTLE_IP_HEADER = "HTTP_X_REAL_IP"
        assert throttle.client_ip(request) == "203.0.113.7"

    def test_of_a_forwarded_list_the_proxys_own_entry_counts(self, rf, settings):
        """The client writes what it likes at the start of X-Forwarded-For."""
        settings.LOGIN_THROTTLE_IP_HEADER = "HTTP_X_FORWARDED_FOR"
        request = rf.get(
            "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
        )
        assert throttle.client_ip(request) == "203.0.113.7"
