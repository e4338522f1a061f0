"""Social channels: one Facebook Page or Zalo OA of one unit.

Credentials (Page token; OA access + refresh tokens) are encrypted at rest and never
leave the server: forms take them write-only and no page shows them back.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from . import crypto


class Network(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    ZALO = "zalo", _("Zalo OA")


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
    name = models.CharField(_("name"), max_length=200)
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
        return f"{self.get_network_display()} · {self.name}"

    # Credentials ------------------------------------------------------------------
    def get_credentials(self):
        return crypto.decrypt(self.credentials)

    def set_credentials(self, data):
        self.credentials = crypto.encrypt(data)

    @property
    def has_credentials(self):
        return bool(self.credentials)

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
    def record_check(self, result):
        """Store what check() found (a networks.CheckResult)."""
        self.checked_at = timezone.now()
        if result.ok:
            self.status = ChannelStatus.ACTIVE
            self.status_reason = ""
        elif result.reconnect:
            self.status = ChannelStatus.NEEDS_RECONNECT
            self.status_reason = str(result.reason)
        else:
            self.status = ChannelStatus.DISABLED
            self.status_reason = str(result.reason)
        if result.followers is not None:
            self.followers = result.followers
        self.save(
            update_fields=[
                "checked_at",
                "status",
                "status_reason",
                "followers",
                "updated_at",
            ]
        )


# Sharing: plans on the page, publications in the outbox -----------------------------
class PayloadKind(models.TextChoices):
    """What kind of post a plan asks for ("" = the network's default)."""

    DEFAULT = "", _("Default")
    LINK = "link", _("Link")
    PHOTO = "photo", _("Photo")
    PHOTOS = "photos", _("Several photos")


class SharePlan(Orderable):
    page = ParentalKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="share_plans",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="share_plans",
    )
    message = models.TextField(
        _("message"),
        blank=True,
        help_text=_("Custom text; placeholders: {title}, {intro}, {url}, {hashtags}."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Empty: when the page goes live."),
    )
    kind = models.CharField(
        _("kind of post"),
        max_length=10,
        blank=True,
        choices=PayloadKind.choices,
        default=PayloadKind.DEFAULT,
    )

    class Meta(Orderable.Meta):
        verbose_name = _("share plan")
        verbose_name_plural = _("share plans")

    def __str__(self):
        return f"{self.page_id} → {self.channel}"


class PublicationStatus(models.TextChoices):
    """Where a publication is in its life cycle (see DESIGN.md)."""

    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    RETRYING = "retrying", _("Retrying")
    HELD = "held", _("Held")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    PAUSED = "paused", _("Paused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Publication(models.Model):
    page = models.ForeignKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    plan = models.ForeignKey(
        SharePlan,
        verbose_name=_("share plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    round = models.PositiveIntegerField(_("share round"), default=1)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.SCHEDULED,
    )
    publish_at = models.DateTimeField(_("publish at"))
    # The approved text and kind, frozen when the round is made (guarantee 5).
    message = models.TextField(_("message"), blank=True)
    kind = models.CharField(
        _("kind of post"),
        max_length=10,
        blank=True,
        choices=PayloadKind.choices,
        default=PayloadKind.DEFAULT,
    )
    payload = models.JSONField(_("payload"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=200, blank=True)
    external_id = models.CharField(_("post id"), max_length=200, blank=True, default="")
    permalink = models.URLField(_("link"), max_length=500, blank=True)
    verify_token = models.CharField(_("verify token"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(_("last error code"), max_length=50, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reactions = models.PositiveIntegerField(_("reactions"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "channel", "round"], name="one_publication_per_round"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="publication_due_idx"
            ),
            models.Index(fields=["channel", "status"], name="publication_channel_idx"),
        ]

    def __str__(self):
        return f"pub-{self.pk}"

    @property
    def marker(self):
        return f"pub-{self.pk}"


class AttemptOutcome(models.TextChoices):
    """How one publish (or reconcile) attempt ended."""

    OK = "ok", _("Posted")
    RETRY = "retry", _("Will retry")
    HELD = "held", _("Held")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown")
    RECONCILED = "reconciled", _("Reconciled")


class PublishAttempt(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="attempt_history",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AttemptOutcome.choices, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    message = models.TextField(_("message"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("publish attempt")
        verbose_name_plural = _("publish attempts")
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.publication} {self.outcome} {self.started_at:%Y-%m-%d %H:%M:%S}"


class ChannelPause(models.Model):
    """A channel the network asked us to leave alone until `until` (rate limits)."""

    channel = models.OneToOneField(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="rate_pause",
    )
    until = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("channel rate pause")
        verbose_name_plural = _("channel rate pauses")

    def __str__(self):
        return f"{self.channel} until {self.until:%Y-%m-%d %H:%M}"


class PauseScope(models.TextChoices):
    """What a pause switch stops: everything, one unit or one channel."""

    GLOBAL = "global", _("Everything")
    UNIT = "unit", _("Unit")
    CHANNEL = "channel", _("Channel")


class PublishingPause(models.Model):
    scope = models.CharField(_("scope"), max_length=10, choices=PauseScope.choices)
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="publishing_pauses",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="publishing_pauses",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("paused at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publishing pause")
        verbose_name_plural = _("publishing pauses")

    def __str__(self):
        target = self.channel or self.unit or _("everything")
        return f"{self.get_scope_display()}: {target}"


class ShareRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ShareRequest(models.Model):
    """A share made outside its article's approval, waiting for an approver.

    Guarantee 5: what goes out was approved. "Share again" or a bulk share made by an
    editor, or a plan on a channel the person who published the page may not approve,
    becomes a request; an approver of the channel's unit (or a unit above it) approves
    it, which creates its `Publication`, or rejects it with a reason.
    """

    page = models.ForeignKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="share_requests",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="share_requests",
    )
    message = models.TextField(_("message"), blank=True)
    kind = models.CharField(
        _("kind of post"),
        max_length=10,
        blank=True,
        choices=PayloadKind.choices,
        default=PayloadKind.DEFAULT,
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ShareRequestStatus.choices,
        default=ShareRequestStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    publication = models.OneToOneField(
        Publication,
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="share_request",
    )

    class Meta:
        verbose_name = _("share request")
        verbose_name_plural = _("share requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.page_id} → {self.channel} ({self.status})"


class IncidentKind(models.TextChoices):
    FAILED = "failed", _("A post failed")
    HELD = "held", _("Posts are held")
    EXPIRED = "expired", _("A post expired")
    RECONNECT = "reconnect", _("A channel needs reconnecting")


class Incident(models.Model):
    """Something a person must act on, announced once (not once per retry).

    Open while the condition lasts (`resolved_at` empty); at most one open incident per
    kind and publication, or per kind and channel for channel-wide ones.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="incidents",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="incidents",
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incidents",
    )
    message = models.TextField(_("message"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "publication"],
                condition=models.Q(resolved_at__isnull=True, publication__isnull=False),
                name="one_open_incident_per_publication",
            ),
            models.UniqueConstraint(
                fields=["kind", "channel"],
                condition=models.Q(resolved_at__isnull=True, publication__isnull=True),
                name="one_open_incident_per_channel",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.channel}"
