"""The sign-in lock holds against parallel guesses (issue 15).

Real threads send real POSTs at once, each with its own client and its own database
connection, as a browser script against several web workers would. A counting
password hasher and a counting TOTP check tell how many guesses were really checked:
never more than the lock allows, and a right password or code sent among wrong ones
after the lock lets nobody in.
"""

import datetime
import threading
import time
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.core import throttle
from cms.twofactor.policy import key_from_text, usable_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/admin/login/"
ADDRESS = "203.0.113.7"
NOW = datetime.datetime(2027, 3, 14, 9, 30, tzinfo=datetime.UTC)
LOCKED = (
    "Too many failed sign-in attempts for this username. Sign-in is locked for "
    "%(minutes)d minutes; try again later or ask an administrator to reset your "
    "password."
)


class CountingHasher(MD5PasswordHasher):
    """MD5 (the suite's fast hasher) that counts the passwords it checks and holds
    wrong ones until `hold` is set: a slow hash (PBKDF2 takes ~0.3 s in
    production) during which parallel guesses overlap whatever the machine's
    speed."""

    checked = 0
    lock = threading.Lock()
    hold = threading.Event()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checked += 1
        if password != PASSWORD:
            CountingHasher.hold.wait(30)
        return super().verify(password, encoded)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checked = 0
    CountingHasher.hold = threading.Event()
    yield CountingHasher
    CountingHasher.hold.set()


@pytest.fixture
def codes(monkeypatch):
    """Counts the TOTP codes django-otp really compares."""
    counter = {"checked": 0}
    lock = threading.Lock()
    verify = TOTP.verify

    def counting_verify(self, *args, **kwargs):
        with lock:
            counter["checked"] += 1
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(TOTP, "verify", counting_verify)
    return counter


def start(requests):
    """Each `request()` in its own thread, released together: (threads, results)."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        barrier.wait()
        try:
            results[index] = request()
        except Exception as error:  # reported by the caller's assertions
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    return threads, results


def finish(threads, results):
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def at_once(requests):
    return finish(*start(requests))


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the requests did not get that far"
        time.sleep(0.02)


def held_or_done(hashes, results, count):
    """Every guess is either being checked (held) or answered."""
    return lambda: hashes.checked + sum(r is not None for r in results) >= count


def sign_in(password, username="bientap"):
    """A sign-in from a fresh browser: (status, signed in?, page text)."""
    client = Client()
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )
    return response.status_code, "_auth_user_id" in client.session, response


def locked_message():
    with override("vi"):
        return gettext(LOCKED) % {"minutes": throttle.LOCK_SECONDS // 60}


@pytest.fixture
def editor(org, waiting_database):
    return org.user("bientap", "editor", org.bac_son)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class TestParallelPasswords:
    def test_forty_parallel_wrong_passwords_check_at_most_the_limit(
        self, editor, hashes, clock
    ):
        threads, results = start([lambda: sign_in("sai-mat-khau")] * 40)
        wait_until(held_or_done(hashes, results, 40))
        hashes.hold.set()
        finish(threads, results)
        assert [(status, signed) for status, signed, _ in results] == [
            (200, False)
        ] * 40
        assert hashes.checked == throttle.FAILURE_LIMIT
        refused = [r for _, _, r in results if locked_message() in r.content.decode()]
        assert len(refused) == 40 - throttle.FAILURE_LIMIT
        # Locked now: the right password is not even checked.
        hashes.checked = 0
        status, signed, response = sign_in(PASSWORD)
        assert (status, signed, hashes.checked) == (200, False, 0)
        assert locked_message() in response.content.decode()

    def test_the_right_password_among_wrong_ones_does_not_sign_in(
        self, editor, hashes, clock
    ):
        """39 wrong guesses are being checked when the right password comes."""
        threads, results = start([lambda: sign_in("sai-mat-khau")] * 39)
        wait_until(held_or_done(hashes, results, 39))
        status, signed, response = sign_in(PASSWORD)
        hashes.hold.set()
        finish(threads, results)
        assert (status, signed) == (200, False)
        assert locked_message() in response.content.decode()
        assert not any(signed for _, signed, _ in results)
        assert hashes.checked == throttle.FAILURE_LIMIT

    def test_the_lock_ends_fifteen_minutes_after_the_last_counted_failure(
        self, editor, hashes, clock
    ):
        hashes.hold.set()
        at_once([lambda: sign_in("sai-mat-khau")] * 10)
        clock.shift(datetime.timedelta(minutes=14, seconds=59))
        assert sign_in(PASSWORD)[:2] == (200, False)
        clock.shift(datetime.timedelta(seconds=1))
        assert sign_in(PASSWORD)[:2] == (302, True)


def give_device(user):
    key = key_from_text("BHXH DEMO BHXH DEMO BHXH DEMO BHXH DEMO")
    return TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True)


def half_signed_in(user):
    """The session of a browser that gave the password and owes a code."""
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def send_code(session, code):
    """A code sent from the half-signed-in session: (status, verified?, response)."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    response = client.post(reverse("twofactor:verify"), {"code": code})
    verified = response.status_code == 302 and client.get("/admin/").status_code == 200
    return response.status_code, verified, response


class TestParallelCodes:
    @pytest.fixture
    def lead(self, org, waiting_database):
        return org.user("lanhdao", "lead", org.region)

    def test_thirty_parallel_wrong_codes_check_one(self, lead, codes, clock):
        """The clock stands still: django-otp's back-off after the first wrong
        code refuses the others, decided one at a time under the row lock."""
        device = give_device(lead)
        session = half_signed_in(lead)
        right = usable_code(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        results = at_once([lambda: send_code(session, wrong)] * 30)
        assert [r[:2] for r in results] == [(200, False)] * 30
        assert codes["checked"] == 1
        # The right code, sent while the wait lasts, is not checked either.
        codes["checked"] = 0
        status, verified, _ = send_code(session, right)
        assert (status, verified, codes["checked"]) == (200, False, 0)

    def test_waves_of_wrong_codes_over_minutes_check_at_most_the_limit(
        self, lead, codes, clock
    ):
        """django-otp's back-off alone (1, 2, 4… s) lets a code through in each
        wave once its wait is over; the count caps them at five in 15 minutes,
        and the right code that comes after is refused until the lock ends."""
        device = give_device(lead)
        session = half_signed_in(lead)
        for _wave in range(8):
            wrong = f"{(int(usable_code(device)) + 1) % 1_000_000:06d}"
            at_once([lambda code=wrong: send_code(session, code)] * 5)
            clock.shift(datetime.timedelta(seconds=40))
        assert codes["checked"] == throttle.FAILURE_LIMIT
        codes["checked"] = 0
        status, verified, response = send_code(session, usable_code(device))
        assert (status, verified, codes["checked"]) == (200, False, 0)
        with override("vi"):
            assert "Hãy chờ 13 phút" in unescape(response.content.decode())
        clock.shift(datetime.timedelta(minutes=13))
        device.refresh_from_db()
        assert send_code(session, usable_code(device))[:2] == (302, True)
