"""Who must use two-step sign-in, and the devices behind it (django-otp's models).

A user is enrolled when they hold a confirmed TOTP device; their backup codes are a
django-otp static device made at the same time and removed with it.
"""

import math
from base64 import b32decode, b32encode
from binascii import hexlify, unhexlify

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cms.core import throttle
from cms.core.models import Role, UnitMembership

REQUIRED_ROLES = (Role.MANAGER, Role.LEAD)
BACKUP_CODE_COUNT = 10
TOTP_DIGITS = 6
TOTP_TOLERANCE = 1  # steps of 30 s either side: a phone clock a little off still works


def is_required(user):
    """Superusers, and whoever holds a manager or lead role on any unit."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return UnitMembership.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()


def totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_step(user):
    """What a signed-in user who has not given a code yet must do: "verify",
    "enrol", or None when they may go on without two-step sign-in."""
    if totp_device(user) is not None:
        return "verify"
    if is_required(user):
        return "enrol"
    return None


def new_secret():
    """A fresh 20-byte secret, hex-encoded as TOTPDevice.key stores it."""
    return random_hex(20)


def secret_as_text(key_hex):
    """The secret as authenticator apps take it typed in: base32, groups of four."""
    text = b32encode(unhexlify(key_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def key_from_text(text):
    """Hex key from base32 text (spaces ignored), for the demo's fixed secret."""
    return hexlify(b32decode(text.replace(" ", "").upper())).decode()


def matching_step(key_hex, code):
    """The time step at which `code` is the secret's code (enrolment confirmation),
    or None when it is not a current code of the secret."""
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    totp = TOTP(unhexlify(key_hex), digits=TOTP_DIGITS)
    if not totp.verify(int(code), tolerance=TOTP_TOLERANCE):
        return None
    return totp.t()


def normalise(code):
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def enrol(user, key_hex, step, name):
    """Save the confirmed authenticator and new backup codes; returns (device, codes).
    The confirmation code's step counts as used: it cannot sign in again."""
    remove_devices(user)
    device = TOTPDevice.objects.create(
        user=user,
        name=name,
        key=key_hex,
        digits=TOTP_DIGITS,
        tolerance=TOTP_TOLERANCE,
        last_t=step,
        confirmed=True,
    )
    return device, new_backup_codes(user)


def new_backup_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=backup, token=code) for code in codes]
    )
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


def remove_devices(user):
    """Forget the user's authenticator and backup codes (their sessions that were
    verified with them stop counting as verified: the device is gone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def check_code(user, code):
    """Verify a code from the authenticator (6 digits) or a backup code.

    Returns (device, wait): the device that accepted the code, or None; `wait` is
    the number of seconds to wait when wrong codes have locked verification. Two
    locks are decided before a code is compared, with the device's row locked so
    that parallel codes are decided one at a time: django-otp's back-off (1, 2,
    4… seconds after each wrong code), then our count of the user's wrong codes
    (throttle.py), which caps them at `FAILURE_LIMIT` in its window however they
    are spread. A wrong code is counted on the device it was checked against.
    """
    code = normalise(code)
    key = throttle.code_key(user)
    with transaction.atomic():
        device = _locked_device(user, code)
        if device is None:
            return None, None
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, _back_off_seconds(info)
        attempt = throttle.take_attempt(key)
        if attempt is None:
            return None, throttle.seconds_locked(key)
        verified = device.verify_token(code)
    if not verified:
        throttle.log_lock(attempt, "Two-step verification", user.get_username())
        return None, None
    throttle.forget(key)
    return device, None


def _locked_device(user, code):
    """The device `code` is for, with the user's authenticator row locked (it
    serialises their code checks): the authenticator for 6 digits, the backup
    codes otherwise. None without an authenticator."""
    confirmed = {"user": user, "confirmed": True}
    totp = TOTPDevice.objects.select_for_update().filter(**confirmed).first()
    if totp is None or (code.isdigit() and len(code) == TOTP_DIGITS):
        return totp
    return StaticDevice.objects.select_for_update().filter(**confirmed).first()


def _back_off_seconds(info):
    locked_until = info.get("locked_until") if info else None
    seconds = (locked_until - timezone.now()).total_seconds() if locked_until else 1
    return max(1, math.ceil(seconds))


def usable_code(device, now=None):
    """The code the device's owner could type now that has not been used yet, or
    None when the next unused one is still too far ahead (wait a step). For tests
    and the development command `totp_code`, never for the sign-in itself."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if now is not None:
        totp.time = now
    step = max(totp.t(), device.last_t + 1)
    if step > totp.t() + device.tolerance:
        return None
    totp.drift += step - totp.t()
    return f"{totp.token():0{device.digits}d}"
