"""The organisation as data (units, roles) and what a campaign aims for.

Units are merged and renamed over time, so they are rows, never code: a unit keeps
its id and its history (revisions) when it changes, and `merged_into` says where the
work of a merged unit went.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from cms.core.hidden_chars import no_hidden_chars


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Unit(RevisionMixin, models.Model):
    """One node of the agency: the region at the top, districts below it."""

    name = models.CharField(
        _("unit name"), max_length=150, validators=[no_hidden_chars]
    )
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        validators=[no_hidden_chars],
        help_text=_("Used in menus and filters, e.g. ‘Bắc Sơn’."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(pgettext_lazy("unit", "active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
        help_text=_(
            "The unit that takes over the work of this unit when it is merged."
        ),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = UnitQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        MultiFieldPanel(
            [FieldPanel("active"), FieldPanel("merged_into")],
            heading=_("Status"),
        ),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name

    def ancestors(self):
        """Units above this one, nearest first. Stops on a cycle instead of looping."""
        seen, unit, result = {self.pk}, self.parent, []
        while unit is not None and unit.pk not in seen:
            result.append(unit)
            seen.add(unit.pk)
            unit = unit.parent
        return result

    def descendant_ids(self):
        """Ids of this unit and every unit below it (one query for the whole tree)."""
        children = {}
        for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        result, stack = [], [self.pk]
        while stack:
            pk = stack.pop()
            if pk in result:
                continue
            result.append(pk)
            stack.extend(children.get(pk, []))
        return result

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id and self.pk:
            if self.parent_id == self.pk or self.pk in [
                u.pk for u in self.parent.ancestors()
            ] + [self.parent_id]:
                errors["parent"] = _(
                    "‘%(parent)s’ cannot be the parent unit: it is below ‘%(unit)s’, "
                    "so the unit tree would loop."
                ) % {"parent": self.parent, "unit": self.name}
        if self.merged_into_id:
            if self.merged_into_id == self.pk:
                errors["merged_into"] = _("A unit cannot be merged into itself.")
            elif not self.merged_into.active:
                errors["merged_into"] = _(
                    "The unit to merge into, ‘%(target)s’, is no longer active."
                ) % {"target": self.merged_into}
            elif self.active:
                errors["active"] = _("A merged unit must be marked as inactive.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """Roles are cumulative: each one can do what the ones before it can."""

    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    MANAGER = "manager", _("Manager")
    LEAD = "lead", _("Communications lead")


ROLE_ORDER = [Role.EDITOR, Role.APPROVER, Role.MANAGER, Role.LEAD]


class UnitMembership(models.Model):
    """A person's role on a unit; it covers every unit below that one too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    panels = [FieldPanel("user"), FieldPanel("unit"), FieldPanel("role")]

    class Meta:
        verbose_name = _("unit role assignment")
        verbose_name_plural = _("unit role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="one_role_per_user_and_unit"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class UnitGroup(models.Model):
    """The Wagtail group that carries one role's permissions on one unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="groups")
    role = models.CharField(max_length=20, choices=Role.choices)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="unit_group"
    )

    class Meta:
        verbose_name = _("unit permission group")
        verbose_name_plural = _("unit permission groups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="one_group_per_role")
        ]

    def __str__(self):
        return self.group.name


class TargetGroup(index.Indexed, models.Model):
    """A group of people the law now covers, addressed by its own content."""

    name = models.CharField(
        _("group name"), max_length=150, validators=[no_hidden_chars]
    )
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, validators=[no_hidden_chars]
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class Campaign(ClusterableModel):
    """A communication campaign over a period, with measurable goals."""

    name = models.CharField(
        _("campaign name"), max_length=200, validators=[no_hidden_chars]
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True
    )
    units = ParentalManyToManyField(Unit, verbose_name=_("units"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("starts_on"), FieldPanel("ends_on")],
            heading=_("Period"),
        ),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("units", widget=forms.CheckboxSelectMultiple),
        InlinePanel("goals", heading=_("Goals"), label=_("Goal")),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _(
                        "The end date (%(end)s) must be on or after the start date "
                        "(%(start)s)."
                    )
                    % {
                        "end": self.ends_on.strftime("%d/%m/%Y"),
                        "start": self.starts_on.strftime("%d/%m/%Y"),
                    }
                }
            )


class GoalMetric(models.TextChoices):
    """What a goal counts; docs/architecture.md ("Goals") defines each one."""

    POSTS_PUBLISHED = "posts_published", _("Social media posts")
    FOLLOWERS = "followers", _("Followers")
    REACH = "reach", _("Reach")
    ENGAGEMENTS = "engagements", _("Engagements")
    PRESS_ITEMS = "press_items", _("Press coverage")
    OUTREACH_EVENTS = "outreach_events", _("In-person outreach events")
    NEW_PARTICIPANTS = "new_participants", _("New participants")
    TOTAL_PARTICIPANTS = "total_participants", _("Total participants")
    SOCIAL_VISITS = "social_visits", _("Visits from social networks")
    ANSWERED_WITHIN_DAY = "answered_within_24h", _("Questions answered within 24 h")


class CampaignGoal(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("metric"), max_length=30, choices=GoalMetric.choices)
    # An IntegerField: PositiveIntegerField's form field would reject -5 with
    # Django's generic ">= 0" before our message could say what is expected.
    target = models.IntegerField(
        _("target"),
        validators=[
            MinValueValidator(
                1, message=_("The target must be a positive whole number.")
            )
        ],
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave blank for a goal of the whole campaign."),
    )

    panels = [FieldPanel("metric"), FieldPanel("target"), FieldPanel("unit")]

    class Meta(Orderable.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__gte=1), name="goal_target_positive"
            )
        ]

    def __str__(self):
        scope = self.unit or _("whole campaign")
        return f"{self.get_metric_display()}: {self.target} ({scope})"


# Offline figures live in their own module; imported here so Django registers them.
from cms.core.records import (  # noqa: E402
    EnrolmentReport,
    OutreachEvent,
    OutreachKind,
    PressCoverage,
)
from cms.core.throttle import SignInThrottle  # noqa: E402

__all__ = [
    "Campaign",
    "CampaignGoal",
    "EnrolmentReport",
    "GoalMetric",
    "OutreachEvent",
    "OutreachKind",
    "PressCoverage",
    "Role",
    "SignInThrottle",
    "TargetGroup",
    "Unit",
    "UnitGroup",
    "UnitMembership",
]
