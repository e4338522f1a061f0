"""Zalo broadcasts: an OA article sent to the OA's followers, and the table of
Zalo's targeting codes the audience is chosen from (by name, never by code).

A broadcast is not a post: it does not count in "posts published". It belongs to
the publication whose article it sends, goes out only once that article is
verified, between 06:00 and 21:59 Vietnam time, within the OA's monthly quota
(`Channel.broadcasts_per_month`).
Its life cycle: `publishing.lifecycle.BroadcastStatus`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.lifecycle import BroadcastStatus
from publishing.models.functions import local_range
from publishing.models.publications import Publication, audience_field
from publishing.models.wakeups import BroadcastQuerySet

# Zalo sends broadcasts from 06:00 to 21:59 Vietnam time (error -234 otherwise).
WINDOW_OPENS = datetime.time(6, 0)
WINDOW_CLOSES = datetime.time(22, 0)  # the first minute outside


def in_window(moment):
    return WINDOW_OPENS <= timezone.localtime(moment).time() < WINDOW_CLOSES


def window_opens(moment):
    """`moment` if Zalo would send a broadcast then, else the next 06:00 local."""
    if in_window(moment):
        return moment
    local = timezone.localtime(moment)
    day = local.date()
    if local.time() >= WINDOW_CLOSES:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, WINDOW_OPENS, tzinfo=local.tzinfo)


# A broadcast uses one of the OA's monthly broadcasts unless it was cancelled or
# refused; its day is the day it was sent, or the day it is due to go out.
NOT_COUNTED = (BroadcastStatus.CANCELLED, BroadcastStatus.FAILED)


def broadcast_day(broadcast):
    moment = broadcast.sent_at or window_opens(
        broadcast.next_attempt_at or broadcast.send_at
    )
    return timezone.localtime(moment).date()


def month_of(day):
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, last - datetime.timedelta(days=1)


def used_days(channel, day, exclude=None):
    """The local days of `channel`'s broadcasts that use its quota in `day`'s
    month, sorted (a day twice if two were planned on it)."""
    first, last = month_of(day)
    start, end = local_range(first, last)
    # Wide enough for a broadcast planned the month before that waits into it.
    candidates = Broadcast.objects.filter(
        publication__channel=channel,
        send_at__lt=end,
    ).exclude(status__in=NOT_COUNTED)
    candidates = candidates.filter(
        models.Q(sent_at__gte=start)
        | models.Q(
            sent_at__isnull=True, send_at__gte=start - datetime.timedelta(days=1)
        )
        | models.Q(sent_at__isnull=True, next_attempt_at__gte=start)
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    days = (broadcast_day(b) for b in candidates)
    return sorted(d for d in days if first <= d <= last)


def quota_left(channel, day, exclude=None):
    """How many broadcasts `channel` has left in `day`'s month (never below 0)."""
    return max(0, channel.broadcasts_per_month - len(used_days(channel, day, exclude)))


class TargetKind(models.TextChoices):
    GENDER = "gender", _("Gender")
    AGE = "age", _("Age band")
    PROVINCE = "province", _("Province")


class BroadcastTarget(models.Model):
    """One of Zalo's targeting codes, by its name. No source we have confirms the
    codes (the province list is the 63 provinces from before the 2025 merger), so
    each row says whether a real broadcast has confirmed it; an administrator may
    correct a code here without a release."""

    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("Stable name used by share plans.")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.PositiveSmallIntegerField(_("Zalo code"))
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Checked against a real broadcast's audience in Zalo."),
    )
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("Zalo targeting code")
        verbose_name_plural = _("Zalo targeting codes")
        ordering = ["kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_target_per_key"),
            models.UniqueConstraint(
                fields=["kind", "code"], name="one_target_per_code"
            ),
        ]

    def __str__(self):
        return self.name


class Broadcast(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="broadcasts",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BroadcastStatus.choices,
        default=BroadcastStatus.SCHEDULED,
    )
    # Frozen when it is made (approved with its article, or by an approver).
    audience = audience_field()
    send_at = models.DateTimeField(_("send at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    waiting_reason = models.CharField(
        _("waiting for"), max_length=20, blank=True
    )  # "window", "quota", "rate_limit", "article"
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=200, blank=True)
    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(_("last error code"), max_length=50, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    resend_of = models.ForeignKey(
        "self",
        verbose_name=_("resend of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BroadcastQuerySet.as_manager()  # its changes wake the schedulers

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-send_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="broadcast_due_idx")
        ]

    def __str__(self):
        return f"broadcast-{self.pk} ({self.publication})"
