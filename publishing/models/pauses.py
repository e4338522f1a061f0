"""What stops posting: a network's rate limit on a channel, and the pause switches
people set for a channel, a unit or everything."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.hidden_chars import no_hidden_chars_in_text
from publishing.models.channels import Channel

REASON_MAX = 500


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

    @classmethod
    def extend_until(cls, channel, until, reason):
        """Leave `channel` alone until `until`, or longer: a pause only extends. A
        shorter wait asked later (another call, a temporary error) never cuts short
        the wait the network asked for before. The UPDATE is conditional, so two
        threads recording rate limits at once keep the longer one."""
        pause, created = cls.objects.get_or_create(
            channel_id=channel.pk, defaults={"until": until, "reason": str(reason)}
        )
        if not created:
            cls.objects.filter(pk=pause.pk, until__lt=until).update(
                until=until, reason=str(reason)
            )


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
    # A TextField (no schema change, no cut of old rows) whose length full_clean()
    # bounds: every person who may see the list downloads each reason.
    reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[
            MaxLengthValidator(
                REASON_MAX,
                message=_(
                    "Keep the reason to %(limit_value)s characters (it has "
                    "%(show_value)s): everyone who may see the list reads it."
                ),
            ),
            no_hidden_chars_in_text,
        ],
    )
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
