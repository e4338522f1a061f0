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
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Unit(RevisionMixin, models.Model):
    """One node of the agency: the region at the top, districts below it."""

    name = models.CharField(_("tên đơn vị"), max_length=150)
    short_name = models.CharField(
        _("tên ngắn"),
        max_length=60,
        blank=True,
        help_text=_("Dùng trong menu và bộ lọc, ví dụ “Bắc Sơn”."),
    )
    slug = models.SlugField(_("mã đường dẫn"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
        help_text=_("Đơn vị nhận lại công việc khi đơn vị này được sáp nhập."),
    )
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = UnitQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        MultiFieldPanel(
            [FieldPanel("active"), FieldPanel("merged_into")],
            heading=_("Trạng thái"),
        ),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
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
                    "Không thể chọn “%(parent)s” làm đơn vị cấp trên: "
                    "đơn vị này nằm dưới “%(unit)s”, cây đơn vị sẽ bị vòng lặp."
                ) % {"parent": self.parent, "unit": self.name}
        if self.merged_into_id:
            if self.merged_into_id == self.pk:
                errors["merged_into"] = _("Một đơn vị không thể sáp nhập vào chính nó.")
            elif not self.merged_into.active:
                errors["merged_into"] = _(
                    "Đơn vị nhận sáp nhập “%(target)s” đã ngừng hoạt động."
                ) % {"target": self.merged_into}
            elif self.active:
                errors["active"] = _(
                    "Đơn vị đã sáp nhập phải được đánh dấu ngừng hoạt động."
                )
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """Roles are cumulative: each one can do what the ones before it can."""

    EDITOR = "editor", _("Biên tập viên")
    APPROVER = "approver", _("Người duyệt")
    MANAGER = "manager", _("Quản lý")
    LEAD = "lead", _("Lãnh đạo truyền thông")


ROLE_ORDER = [Role.EDITOR, Role.APPROVER, Role.MANAGER, Role.LEAD]


class UnitMembership(models.Model):
    """A person's role on a unit; it covers every unit below that one too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    panels = [FieldPanel("user"), FieldPanel("unit"), FieldPanel("role")]

    class Meta:
        verbose_name = _("phân quyền đơn vị")
        verbose_name_plural = _("phân quyền đơn vị")
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
        verbose_name = _("nhóm quyền của đơn vị")
        verbose_name_plural = _("nhóm quyền của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="one_group_per_role")
        ]

    def __str__(self):
        return self.group.name


class TargetGroup(index.Indexed, models.Model):
    """A group of people the law now covers, addressed by its own content."""

    name = models.CharField(_("tên nhóm"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=60, blank=True)
    slug = models.SlugField(_("mã đường dẫn"), max_length=80, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("nhóm đối tượng")
        verbose_name_plural = _("nhóm đối tượng")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class Campaign(ClusterableModel):
    """A communication campaign over a period, with measurable goals."""

    name = models.CharField(_("tên chiến dịch"), max_length=200)
    slug = models.SlugField(_("mã đường dẫn"), max_length=80, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("nhóm đối tượng"), blank=True
    )
    units = ParentalManyToManyField(Unit, verbose_name=_("đơn vị"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("starts_on"), FieldPanel("ends_on")],
            heading=_("Thời gian"),
        ),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("units", widget=forms.CheckboxSelectMultiple),
        InlinePanel("goals", heading=_("Mục tiêu"), label=_("Mục tiêu")),
    ]

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _(
                        "Ngày kết thúc (%(end)s) phải bằng hoặc sau ngày bắt đầu "
                        "(%(start)s)."
                    )
                    % {
                        "end": self.ends_on.strftime("%d/%m/%Y"),
                        "start": self.starts_on.strftime("%d/%m/%Y"),
                    }
                }
            )


class GoalMetric(models.TextChoices):
    """What a goal counts; DESIGN.md ("Goals") defines each one exactly."""

    POSTS_PUBLISHED = "posts_published", _("Bài đăng mạng xã hội")
    FOLLOWERS = "followers", _("Người theo dõi")
    REACH = "reach", _("Lượt tiếp cận")
    ENGAGEMENTS = "engagements", _("Lượt tương tác")
    PRESS_ITEMS = "press_items", _("Tin, bài trên báo chí")
    OUTREACH_EVENTS = "outreach_events", _("Buổi truyền thông trực tiếp")
    NEW_PARTICIPANTS = "new_participants", _("Người tham gia mới")
    TOTAL_PARTICIPANTS = "total_participants", _("Tổng số người tham gia")


class CampaignGoal(Orderable):
    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("chỉ tiêu"), max_length=30, choices=GoalMetric.choices)
    target = models.PositiveIntegerField(
        _("mục tiêu"),
        validators=[
            MinValueValidator(1, message=_("Mục tiêu phải là số nguyên dương."))
        ],
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống nếu là mục tiêu chung của cả chiến dịch."),
    )

    panels = [FieldPanel("metric"), FieldPanel("target"), FieldPanel("unit")]

    class Meta(Orderable.Meta):
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")

    def __str__(self):
        scope = self.unit or _("toàn chiến dịch")
        return f"{self.get_metric_display()}: {self.target} ({scope})"
