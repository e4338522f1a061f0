"""Daily roll-ups of the published posts, what the dashboard reads instead of every
post (a year at 100 channels x 10 posts a day is 365,000 posts; these are ~10 times
fewer rows). Kept by `publishing/metrics/rollups.py` whenever posts are published,
counted, withdrawn or moved; rebuilt from the posts nightly. Never edited by hand.

A row holds, for the posts published (status `published`) on one local day, with
each post's latest counters: how many, the sum of their reach (unknown reach adds
nothing, and is counted apart), and their engagements (reactions + comments +
shares). `ArticleDay` holds only posts of articles in a campaign (the dashboard's);
`ChannelDay` every post, those of articles in no campaign under `campaign` NULL
(the calendar counts each day's posts from it; the dashboard never reads them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models.channels import Channel, Network

EVERY_GROUP = 0  # ChannelDay.group: every post, whatever its article's groups


class DayFigures(models.Model):
    day = models.DateField(_("day"))
    posts = models.PositiveIntegerField(_("posts"), default=0)
    reach = models.BigIntegerField(_("reach"), default=0)
    reach_unknown = models.PositiveIntegerField(_("posts of unknown reach"), default=0)
    engagements = models.BigIntegerField(_("engagements"), default=0)

    FIGURES = ("posts", "reach", "reach_unknown", "engagements")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.day}: {self.posts}"


class ChannelDay(DayFigures):
    """One campaign's posts on one channel on one day (campaign NULL: the posts of
    articles in no campaign). `group` 0 is every post; otherwise only the posts
    whose article has that target group (an article with two groups counts in
    both), for the channel table under a target-group filter."""

    campaign = models.ForeignKey(
        "cms_core.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    group = models.PositiveIntegerField(_("target group"), default=EVERY_GROUP)
    # Posts of a later share round (rare): only where some are does the dashboard
    # look for an article posted twice on the channel in the period.
    later_rounds = models.PositiveIntegerField(_("posts of later rounds"), default=0)

    FIGURES = (*DayFigures.FIGURES, "later_rounds")

    class Meta:
        verbose_name = _("channel day")
        verbose_name_plural = _("channel days")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "group", "day", "channel"],
                name="one_channel_day",
            )
        ]
        # The dashboard's scans read the index alone (no row lookups: 3x faster
        # on SQLite for a year of 100 channels).
        indexes = [
            models.Index(
                fields=[
                    "campaign",
                    "group",
                    "day",
                    "channel",
                    *DayFigures.FIGURES,
                    "later_rounds",
                ],
                name="channel_day_scan_idx",
            )
        ]


class ArticleDay(DayFigures):
    """One article's posts on one day, per unit and network of their channels:
    totals, units, networks, target groups, series and top articles, with distinct
    articles counted exactly at every level."""

    campaign = models.ForeignKey(
        "cms_core.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "cms_content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "cms_core.Unit", on_delete=models.CASCADE, related_name="+"
    )
    network = models.CharField(_("network"), max_length=20, choices=Network.choices)

    class Meta:
        verbose_name = _("article day")
        verbose_name_plural = _("article days")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "unit", "network", "page"],
                name="one_article_day",
            )
        ]
        indexes = [
            models.Index(
                fields=[
                    "campaign",
                    "day",
                    "unit",
                    "network",
                    "page",
                    *DayFigures.FIGURES,
                ],
                name="article_day_scan_idx",
            )
        ]
