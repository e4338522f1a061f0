"""Login throttling: a username is locked for one address after repeated failures.

After `FAILURE_LIMIT` failed sign-ins for one username from one address, that pair
is refused for `LOCK_SECONDS` without checking the password, so guessing costs a
quarter of an hour per five tries. Other people, and the same person from another
address, are not affected. Counts live in the cache named by
`LOGIN_THROTTLE_CACHE` (production: a file cache shared by the web workers).

Behind a proxy every request comes from the proxy's address unless
`LOGIN_THROTTLE_IP_HEADER` names the header the proxy sets (e.g.
`HTTP_X_REAL_IP`); the lock is then per username, which still stops guessing. Of
a list (X-Forwarded-For) the last address is taken: the one our proxy added, not
one the client wrote.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FAILURE_LIMIT = 5
LOCK_SECONDS = 15 * 60

logger = logging.getLogger(__name__)


def _cache():
    return caches[getattr(settings, "LOGIN_THROTTLE_CACHE", "default")]


def client_ip(request):
    header = getattr(settings, "LOGIN_THROTTLE_IP_HEADER", None)
    value = request.META.get(header, "") if header else ""
    return value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _key(username, request):
    raw = f"{username.strip().casefold()}|{client_ip(request)}"
    return "login-throttle:" + hashlib.sha256(raw.encode()).hexdigest()


def is_locked(username, request):
    return _cache().get(_key(username, request), 0) >= FAILURE_LIMIT


def record_failure(username, request):
    """Counts one failure; the window restarts with each failure until the lock."""
    key = _key(username, request)
    failures = _cache().get(key, 0) + 1
    _cache().set(key, failures, LOCK_SECONDS)
    if failures == FAILURE_LIMIT:
        logger.warning(
            "Sign-in locked for %d minutes after %d failures (address %s)",
            LOCK_SECONDS // 60,
            failures,
            client_ip(request),
        )


def reset(username, request):
    _cache().delete(_key(username, request))


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse a locked pair before checking the password,
    count the failures, forget them after a successful sign-in."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username, self.request):
            raise ValidationError(
                _(
                    "Too many failed sign-in attempts for this username. Sign-in "
                    "is locked for %(minutes)d minutes; try again later or ask "
                    "an administrator to reset your password."
                ),
                code="locked",
                params={"minutes": LOCK_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                record_failure(username, self.request)
            raise
        if username:
            reset(username, self.request)
        return cleaned
