"""Incidents: what a person must act on, announced once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.models.channels import Channel
from publishing.models.publications import Publication


class IncidentKind(models.TextChoices):
    FAILED = "failed", _("A post failed")
    HELD = "held", _("Posts are held")
    EXPIRED = "expired", _("A post expired")
    RECONNECT = "reconnect", _("A channel needs reconnecting")
    QUOTA = "quota", _("The OA's broadcasts are used up")
    INBOX = "inbox", _("Citizens' questions cannot be read")
    """A Page connected before the inbox lacks the permissions comments need."""


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
