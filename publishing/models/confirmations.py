"""One-time confirmations: a form that creates shares is saved at most once.

A double click, a second tab or a retried request sends the same token again; the
first request that marks it used (a conditional UPDATE, see
`publishing.planning.confirmations`) saves, the others are told it was already done. The
session cannot hold this: parallel requests of one person each read it before any
of them writes it back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfirmationPurpose(models.TextChoices):
    BULK = "bulk", _("Schedule from a file")
    SHARE_AGAIN = "share_again", _("Share again")


class Confirmation(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=ConfirmationPurpose.choices
    )
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.user_id})"
