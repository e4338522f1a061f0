"""Single-use confirmations for the forms that create shares (bulk, share again).

`issue()` stores a random token (and what the form will save) in the database;
`consume()`, called inside the transaction that saves, marks it used with
UPDATE ... WHERE used_at IS NULL and lets the caller save only if that changed one
row. Parallel requests with one token: on PostgreSQL the second UPDATE waits for the
first transaction and then matches nothing; on SQLite writers take turns. A save
that fails rolls the mark back, so the same confirmation may be sent again.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.models import Confirmation

# A preview (or form) left open longer than this is read again from the start.
LIFETIME = datetime.timedelta(hours=12)
ALREADY_DONE = _(
    "Already confirmed: this was saved by an earlier click (or another tab); "
    "nothing was saved again."
)
EXPIRED = _("This confirmation has expired: start again.")


class NotConfirmable(Exception):
    """The token is unknown or too old: `message` says what to do."""

    message = EXPIRED

    def __init__(self):
        super().__init__(str(self.message))


class AlreadyConfirmed(NotConfirmable):
    """An earlier request used the token: what it saved is there."""

    message = ALREADY_DONE


def issue(user, purpose, payload=None):
    """A new token for `user`; confirmations of theirs past their life go."""
    now = timezone.now()
    Confirmation.objects.filter(user=user, created_at__lt=now - LIFETIME).delete()
    token = secrets.token_urlsafe(24)
    Confirmation.objects.create(
        token=token, user=user, purpose=purpose, payload=payload or {}
    )
    return token


def _current(user, purpose, token):
    return Confirmation.objects.filter(
        token=str(token or "")[:64],
        user=user,
        purpose=purpose,
        created_at__gte=timezone.now() - LIFETIME,
    )


def pending(user, purpose, token):
    """The unused Confirmation, or NotConfirmable (already used, or expired)."""
    found = _current(user, purpose, token).first()
    if found is None:
        raise NotConfirmable
    if found.used_at is not None:
        raise AlreadyConfirmed
    return found


def consume(user, purpose, token):
    """Mark the token used, in the caller's transaction: NotConfirmable unless this
    call is the one that did it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume() belongs in the transaction that saves")
    changed = (
        _current(user, purpose, token)
        .filter(used_at__isnull=True)
        .update(used_at=timezone.now())
    )
    if changed != 1:
        pending(user, purpose, token)  # raises with the reason
        raise AlreadyConfirmed
