"""Engagement over time: post counts (`EngagementSnapshot`) and channel followers
(`FollowerSnapshot`). Sizing and the storage policy:
`publishing/metrics/engagement.py`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models.channels import Channel
from publishing.models.publications import Publication

COUNTERS = ("reactions", "comments", "shares", "views", "reach", "clicks")
"""The counts kept per post, latest on `Publication`, history in snapshots; None is
"the network does not say" (unknown), never 0."""
ENGAGEMENT_COUNTERS = ("reactions", "comments", "shares")
"""What a post's engagements are the sum of (docs/architecture.md, "Goals");
unknown adds 0."""


class EngagementSnapshot(models.Model):
    """One post's counts at one moment: a row only when a count changed since the
    previous row; after a week only each day's last row is kept (counts are
    cumulative, so the last row of a day is that day's figure)."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    captured_at = models.DateTimeField(_("captured at"))
    reactions = models.PositiveIntegerField(_("reactions"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clicks"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement snapshot")
        verbose_name_plural = _("engagement snapshots")
        ordering = ["publication", "captured_at"]
        indexes = [
            models.Index(
                fields=["publication", "captured_at"], name="snapshot_pub_time_idx"
            ),
            models.Index(fields=["captured_at"], name="snapshot_time_idx"),
        ]

    def __str__(self):
        return f"{self.publication} @ {self.captured_at:%Y-%m-%d %H:%M}"


class FollowerSnapshot(models.Model):
    """A channel's follower count on one day (the latest reading of that day)."""

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="follower_snapshots",
    )
    captured_on = models.DateField(_("date"))
    followers = models.PositiveIntegerField(_("followers"))
    captured_at = models.DateTimeField(_("captured at"))

    class Meta:
        verbose_name = _("follower count")
        verbose_name_plural = _("follower counts")
        ordering = ["channel", "captured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "captured_on"], name="one_follower_count_per_day"
            )
        ]

    def __str__(self):
        return f"{self.channel} {self.captured_on}: {self.followers}"
