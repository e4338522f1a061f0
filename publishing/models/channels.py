"""Social channels: one Facebook Page or Zalo OA of one unit.

Credentials (Page token; OA access + refresh tokens) are encrypted at rest and never
leave the server: forms take them write-only and no page shows them back.
"""

import contextlib
import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cms.core.hidden_chars import no_hidden_chars
from publishing import crypto
from publishing.lifecycle import DUE, PublicationStatus

# A channel's posting times (`posting_slots`): read and checked here; the next
# free one is found in publishing/planning/slots.py.
MAX_SLOTS = 12
_TIME = re.compile(r"^(\d{1,2})[:hH.](\d{2})$")


def parse_slots(text):
    """'07:30, 11:30 20:00' -> sorted distinct times; ValidationError naming the
    wrong entry otherwise. Separators: commas, semicolons or spaces; 7h30 and 7.30
    are read as 07:30."""
    times = set()
    for entry in re.split(r"[,;\s]+", (text or "").strip()):
        if not entry:
            continue
        match = _TIME.match(entry)
        hour, minute = (int(g) for g in match.groups()) if match else (-1, -1)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValidationError(
                gettext(
                    "“%(entry)s” is not a time of day: write hours and minutes, for "
                    "example 07:30, 11:30, 20:00."
                )
                % {"entry": entry}
            )
        times.add(datetime.time(hour, minute))
    if len(times) > MAX_SLOTS:
        raise ValidationError(
            gettext("At most %(count)s posting times a day.") % {"count": MAX_SLOTS}
        )
    return sorted(times)


def format_slots(times):
    return ", ".join(t.strftime("%H:%M") for t in times)


def validate_slots(text):
    parse_slots(text)


class Network(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    ZALO = "zalo", _("Zalo OA")


# Channel labels: the networks' own names, which are not translated; the fields a
# label reads (for querysets of many channels loaded with only()).
SHORT_NETWORK_NAMES = {"facebook": "Facebook", "zalo": "Zalo"}
LABEL_FIELDS = ("pk", "name", "network", "unit__name", "unit__short_name")
_BRACKETED_NETWORK = re.compile(
    r"\s*\((?:trang\s+)?(?:facebook|fb|zalo)(?:\s+(?:page|oa))?\)\s*$", re.IGNORECASE
)


def _without_network(name):
    return _BRACKETED_NETWORK.sub("", name).strip() or name


def _folded(text):
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("channel status", "Active")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    """The token expired or was revoked, or a permission is missing."""
    DISABLED = "disabled", pgettext_lazy("channel status", "Disabled")
    """Switched off by a person, or the network says the channel cannot post."""


class Channel(models.Model):
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    name = models.CharField(_("name"), max_length=200, validators=[no_hidden_chars])
    external_id = models.CharField(
        _("Page / OA id"),
        max_length=100,
        help_text=_("The id of the Facebook Page or of the Zalo OA."),
    )
    credentials = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChannelStatus.choices,
        default=ChannelStatus.ACTIVE,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    posting_slots = models.CharField(
        _("posting times"),
        max_length=200,
        blank=True,
        validators=[validate_slots],
        help_text=_(
            "Default times of day, for example 07:30, 11:30, 20:00. A share planned "
            "without a time takes the next free one after the article goes live; "
            "empty: it goes out at once."
        ),
    )
    broadcasts_per_month = models.PositiveSmallIntegerField(
        _("broadcasts a month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_(
            "Zalo OA only: how many broadcasts the OA's package allows a month "
            "(1 to 6, at most one a day)."
        ),
    )
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("connected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    connected_at = models.DateTimeField(_("connected at"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["unit__sort_order", "unit__name", "network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "external_id"], name="one_channel_per_page_or_oa"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The one way a channel is named: network · name · unit, without saying a
        thing twice ("Zalo · BHXH Bắc Sơn", not "Zalo · BHXH Bắc Sơn (Zalo) (Bắc
        Sơn)"): a name ending in its network in brackets loses it, and the unit is
        left out when the name already says it."""
        network = SHORT_NETWORK_NAMES.get(self.network, self.network)
        name = _without_network(self.name)
        parts = [network, name]
        unit = self.unit.label if self.unit_id else ""
        if unit and _folded(unit) not in _folded(name):
            parts.append(unit)
        return " · ".join(parts)

    # Credentials ------------------------------------------------------------------
    def get_credentials(self):
        return crypto.decrypt(self.credentials)

    def set_credentials(self, data):
        self.credentials = crypto.encrypt(data)

    @property
    def has_credentials(self):
        return bool(self.credentials)

    @contextlib.contextmanager
    def credentials_locked(self):
        """This channel's row locked for a credentials change (Zalo's single-use
        refresh token), yielding the credentials stored now: `store_credentials`
        inside saves new ones in the same transaction, so two processes never
        spend the same refresh token (an adapter's `token_lock`)."""
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=self.pk)
            self.credentials = locked.credentials
            yield locked.get_credentials()

    def store_credentials(self, credentials):
        """Save credentials a network rotated, and their expiry (an adapter's
        `on_token`); inside `credentials_locked`."""
        self.set_credentials(credentials)
        expires = _moment(credentials.get("expires_at"))
        self.token_expires_at = expires or self.token_expires_at
        Channel.objects.filter(pk=self.pk).update(
            credentials=self.credentials,
            token_expires_at=self.token_expires_at,
            updated_at=timezone.now(),
        )

    def update_credentials_locked(self, refresh):
        """Serialise a credentials change (Zalo's single-use refresh token).

        `refresh(current) -> new or None` runs while this channel's row is locked, and
        the new credentials are saved in the same transaction: two processes never
        spend the same refresh token. The call inside must have a short timeout.
        """
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=self.pk)
            current = locked.get_credentials()
            new = refresh(current)
            if new is not None:
                locked.set_credentials(new)
                locked.save(update_fields=["credentials", "updated_at"])
            self.credentials = locked.credentials
            return new if new is not None else current

    # Status -----------------------------------------------------------------------
    def mark_needs_reconnect(self, reason, *, hold_posts=False, code="", check=False):
        """The one way a channel comes to need reconnecting (its token expired or
        was revoked, a permission is missing), with the reason and the time
        (`updated_at`) shown to people. A person reconnects it, which releases what
        it holds (`dispatch.reconcile.on_channel_saved`).

        A disabled channel stays disabled: a person switched it off, or the network
        said it cannot post, and reconnecting would not change that; only a check
        (`check=True`), a fresh reading of the channel, may say otherwise.
        `hold_posts`: its due publications are held meanwhile, with the reason (a
        publish refused for this reason: the next ones would be refused too)."""
        now = timezone.now()
        channels = Channel.objects.filter(pk=self.pk)
        if not check:
            channels = channels.exclude(status=ChannelStatus.DISABLED)
        channels.update(
            status=ChannelStatus.NEEDS_RECONNECT,
            status_reason=str(reason),
            updated_at=now,
        )
        self.refresh_from_db(fields=["status", "status_reason", "updated_at"])
        if hold_posts:
            self.publications.filter(status__in=DUE).update(
                status=PublicationStatus.HELD,
                last_error=str(reason),
                last_error_code=str(code or "")[:50],
                updated_at=now,
            )

    def record_check(self, result):
        """Store what check() found (a networks.CheckResult)."""
        self.checked_at = timezone.now()
        if result.followers is not None:
            self.followers = result.followers
        fields = ["checked_at", "followers", "updated_at"]
        if result.ok:
            self.status = ChannelStatus.ACTIVE
            self.status_reason = ""
            fields += ["status", "status_reason"]
        elif result.reconnect:
            # First, so that saving below sees the new status (an active channel
            # saved releases its held posts).
            self.mark_needs_reconnect(result.reason, check=True)
        else:
            self.status = ChannelStatus.DISABLED
            self.status_reason = str(result.reason)
            fields += ["status", "status_reason"]
        self.save(update_fields=fields)


def _moment(text):
    """An ISO date and time (UTC when naive), or None."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


# Sharing: plans on the page, publications in the outbox -----------------------------
