"""Visits brought to the site by our posts: each publication's short link
(`Publication.link_code`, `/l/<code>`) and a daily counter per publication.

No cookie, no address, no user agent is stored: only how many visits a day.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models.publications import Publication


class VisitDay(models.Model):
    """Visits one publication brought on one local day (Asia/Ho_Chi_Minh)."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="visit_days",
    )
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits by day")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "day"], name="one_visit_count_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="visitday_day_idx")]

    def __str__(self):
        return f"{self.publication} {self.day}: {self.visits}"
