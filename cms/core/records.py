"""Offline figures of a campaign, entered by people (or imported from CSV/XLSX):
press coverage, outreach events and enrolment reports, each for one campaign and
one unit. The goals they count are defined in docs/architecture.md ("Goals").
Imported by `cms.core.models`, so Django finds them there.

Who may do what (enforced in `record_admin.py`, like every role, on the unit and the
units below it):
- anyone with a role on a unit sees its records;
- editors and above add, change and delete press items and outreach events: they
  are the ones who go to the meetings and read the papers;
- enrolment reports are official figures of the unit's enrolment work, so only
  managers and leads add, change or delete them (and import them);
- superusers see and do everything.
Screens: Organisation → Press coverage / Outreach events / Enrolment reports, each
with an import from CSV or XLSX (`record_import.py`, `record_views.py`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Nothing points at these records and what they point at is protected from deletion,
# so Wagtail's reference index would only slow imports down: indexing took 85 % of
# the time of saving 2,000 imported rows (13 ms a row).
LEAF_RECORD = True


class PressCoverage(models.Model):
    """An item in the press (newspaper, radio, television, online) on the campaign."""

    wagtail_reference_index_ignore = LEAF_RECORD

    campaign = models.ForeignKey(
        "cms_core.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="press_items",
    )
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="press_items",
    )
    outlet = models.CharField(_("outlet"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("press item")
        verbose_name_plural = _("press coverage")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "outlet", "title", "published_on"],
                name="one_press_item",
            )
        ]

    def __str__(self):
        return f"{self.outlet}: {self.title}"

    def clean(self):
        super().clean()
        check_in_campaign(self, "published_on")


class OutreachKind(models.TextChoices):
    VILLAGE_MEETING = "village_meeting", _("Village meeting")
    CONFERENCE = "conference", _("Conference")
    DIALOGUE = "dialogue", _("Direct dialogue")
    MARKET_STAND = "market_stand", _("Market stand")
    OTHER = "other", _("Other")


class OutreachEvent(models.Model):
    """A meeting with people in person: who was reached, where and how many."""

    wagtail_reference_index_ignore = LEAF_RECORD

    campaign = models.ForeignKey(
        "cms_core.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OutreachKind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    target_groups = models.ManyToManyField(
        "cms_core.TargetGroup",
        verbose_name=_("target groups"),
        blank=True,
        related_name="outreach_events",
    )
    attendees = models.PositiveIntegerField(_("attendees"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.place} ({self.held_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        check_in_campaign(self, "held_on")


class EnrolmentReport(models.Model):
    """A unit's enrolment figures for one target group over one period."""

    wagtail_reference_index_ignore = LEAF_RECORD

    campaign = models.ForeignKey(
        "cms_core.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="enrolment_reports",
    )
    unit = models.ForeignKey(
        "cms_core.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="enrolment_reports",
    )
    target_group = models.ForeignKey(
        "cms_core.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="enrolment_reports",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    identified_eligible = models.PositiveIntegerField(_("identified eligible"))
    new_participants = models.PositiveIntegerField(_("new participants"))
    total_participants = models.PositiveIntegerField(_("total participants"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment report")
        verbose_name_plural = _("enrolment reports")
        ordering = ["-period_end", "unit", "target_group"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "unit",
                    "target_group",
                    "period_start",
                    "period_end",
                ],
                name="one_enrolment_report_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="enrolment_period_ordered",
            ),
        ]

    def __str__(self):
        return (
            f"{self.unit} · {self.target_group} · "
            f"{self.period_start:%d/%m/%Y}-{self.period_end:%d/%m/%Y}"
        )

    def clean(self):
        super().clean()
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            raise ValidationError(
                {"period_end": _("The period must end on or after its start.")}
            )
        check_in_campaign(self, "period_start", "period_end")


def check_in_campaign(record, *date_fields):
    """ValidationError on each date outside the record's campaign."""
    campaign = record.campaign if record.campaign_id else None
    if campaign is None:
        return
    errors = {}
    for name in date_fields:
        value = getattr(record, name)
        if value and not campaign.starts_on <= value <= campaign.ends_on:
            errors[name] = _(
                "%(date)s is outside the campaign (%(start)s to %(end)s)."
            ) % {
                "date": value.strftime("%d/%m/%Y"),
                "start": campaign.starts_on.strftime("%d/%m/%Y"),
                "end": campaign.ends_on.strftime("%d/%m/%Y"),
            }
    if errors:
        raise ValidationError(errors)
