"""Sign-in throttling: a username is locked for one address after repeated failures.

After `FAILURE_LIMIT` failed sign-ins for one username from one address, that pair
is refused for `LOCK_SECONDS` without checking the password, so guessing costs a
quarter of an hour per five tries. Other people, and the same person from another
address, are not affected. Two-step codes are counted the same way, per user.

Each attempt takes a slot in the database before the password (or code) is checked,
in one conditional UPDATE: every web worker on every host sees the same count, and
of guesses sent in parallel at most `FAILURE_LIMIT` are ever checked (a count read
first and written after the check let all of them through). A success gives the
slots back.

Behind a proxy every request comes from the proxy's address unless
`LOGIN_THROTTLE_IP_HEADER` names the header the proxy sets (e.g.
`HTTP_X_REAL_IP`); the lock is then per username, which still stops guessing. Of
a list (X-Forwarded-For) the last address is taken: the one our proxy added, not
one the client wrote.
"""

import datetime
import hashlib
import logging
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FAILURE_LIMIT = 5
LOCK_SECONDS = 15 * 60

logger = logging.getLogger(__name__)


class SignInThrottle(models.Model):
    """Failed attempts of one sign-in key (a username and address, or a user's
    two-step codes) within the lock window; the row goes after a success."""

    key = models.CharField(gettext_lazy("key"), max_length=80, primary_key=True)
    failures = models.PositiveIntegerField(gettext_lazy("failures"), default=0)
    last_failure_at = models.DateTimeField(gettext_lazy("last failure"), db_index=True)

    class Meta:
        app_label = "cms_core"
        verbose_name = gettext_lazy("sign-in throttle")
        verbose_name_plural = gettext_lazy("sign-in throttles")

    def __str__(self):
        return f"{self.key[:12]}… ({self.failures})"


def client_ip(request):
    header = getattr(settings, "LOGIN_THROTTLE_IP_HEADER", None)
    value = request.META.get(header, "") if header else ""
    return value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def login_key(username, request):
    raw = f"{username.strip().casefold()}|{client_ip(request)}"
    return "login:" + hashlib.sha256(raw.encode()).hexdigest()


def code_key(user):
    return f"code:{user.pk}"


def take_attempt(key):
    """Count one attempt before it is checked. Returns the attempt's number in the
    window, or None when the key is locked (then nothing may be checked).

    Rows whose window has ended go first (guessed usernames leave rows behind).
    The key's row is made once (a conflict leaves it as it is), then one UPDATE
    takes a slot only while fewer than `FAILURE_LIMIT` are taken or the last
    failure is older than the lock: the database applies parallel ones in turn.
    """
    now = timezone.now()
    expired = Q(last_failure_at__lte=now - datetime.timedelta(seconds=LOCK_SECONDS))
    SignInThrottle.objects.filter(expired).delete()
    rows = SignInThrottle.objects.filter(key=key)
    for _attempt in range(2):  # once more if a parallel purge took the row
        SignInThrottle.objects.bulk_create(
            [SignInThrottle(key=key, failures=0, last_failure_at=now)],
            ignore_conflicts=True,
        )
        taken = rows.filter(Q(failures__lt=FAILURE_LIMIT) | expired).update(
            failures=Case(When(expired, then=Value(1)), default=F("failures") + 1),
            last_failure_at=now,
        )
        if taken:
            # 1 when a parallel success has just forgotten the row: it counted.
            return rows.values_list("failures", flat=True).first() or 1
        if rows.exists():
            return None
    return None


def seconds_locked(key):
    """Seconds until a locked key may try again (at least 1)."""
    row = SignInThrottle.objects.filter(key=key).first()
    if row is None:
        return 1
    end = row.last_failure_at + datetime.timedelta(seconds=LOCK_SECONDS)
    return max(1, math.ceil((end - timezone.now()).total_seconds()))


def forget(key):
    SignInThrottle.objects.filter(key=key).delete()


def log_lock(attempt, what, where):
    if attempt == FAILURE_LIMIT:
        logger.warning(
            "%s locked for %d minutes after %d failures (%s)",
            what,
            LOCK_SECONDS // 60,
            attempt,
            where,
        )


class ThrottledLoginMixin:
    """For an AuthenticationForm: take a slot before checking the password (a
    locked pair is refused unchecked), forget the failures after a success."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # nothing is checked: nothing to count
        key = login_key(username, self.request)
        attempt = take_attempt(key)
        if attempt is None:
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
            log_lock(attempt, "Sign-in", f"address {client_ip(self.request)}")
            raise
        forget(key)
        return cleaned
