"""Pause switches ("Tạm dừng đăng"): stop posting everywhere, for a unit or for a
channel, with who did it and why; resume by removing the switch.

Rights: a unit or channel pause takes the manager role on that unit (or a unit
above it); pausing everything takes a superuser or the lead of a top unit (one
without a parent). Resuming takes the same right as pausing that target. The
dispatcher honours the rows (dispatch.due_queryset).

Who sees a switch, and its reason: the people it concerns. A pause of everything
concerns everyone (it stops their posts too), so every person with a role sees it
with its reason; a unit's pause is seen by those with a role on that unit, on a unit
below it (it stops their channels) or above it; a channel's pause by those who see
the channel. Long reasons are cut in the list (the form keeps them to 500
characters).

URL names: `publishing_pauses:index`, `:add`, `:resume` (args: pk).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import (
    ButtonsColumnMixin,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.core.models import Role, Unit, UnitMembership
from publishing.models import PauseScope, PublishingPause
from publishing.models.pauses import REASON_MAX
from publishing.permissions import channels_for, may, unit_ids_for

REASON_SHOWN = 200  # characters of a reason in the list


def visible_pauses(user):
    """The switches that concern `user` (see the module's docstring)."""
    pauses = PublishingPause.objects.all()
    if user.is_active and user.is_superuser:
        return pauses
    units = unit_ids_for(user, "view")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    concerned = set(units)
    for unit in units:
        parent = parents.get(unit)
        while parent is not None and parent not in concerned:
            concerned.add(parent)
            parent = parents.get(parent)
    return pauses.filter(
        Q(scope=PauseScope.GLOBAL)
        | Q(scope=PauseScope.UNIT, unit_id__in=concerned)
        | Q(scope=PauseScope.CHANNEL, channel__unit_id__in=units)
    )


def may_pause_everything(user):
    return user.is_active and (
        user.is_superuser
        or UnitMembership.objects.filter(
            user=user, role=Role.LEAD, unit__parent__isnull=True
        ).exists()
    )


def may_switch(user, pause):
    """May `user` create (or resume) this pause switch?"""
    if pause.scope == PauseScope.GLOBAL:
        return may_pause_everything(user)
    if pause.scope == PauseScope.UNIT:
        return user.is_superuser or pause.unit_id in unit_ids_for(user, "pause")
    return pause.channel is not None and may(user, "pause", pause.channel)


class PausePermissionPolicy(BasePermissionPolicy):
    """Everyone who may view channels sees the switches; managers flip them."""

    def user_has_permission(self, user, action):
        if action == "view":
            return bool(unit_ids_for(user, "view"))
        if action in ("add", "delete"):  # a switch is never edited: resume, pause
            return may_pause_everything(user) or bool(unit_ids_for(user, "pause"))
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return visible_pauses(user).filter(pk=instance.pk).exists()
        return action == "delete" and may_switch(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return visible_pauses(user)


register_permission_policy(PublishingPause, PausePermissionPolicy(PublishingPause))


class PauseForm(WagtailAdminModelForm):
    class Meta:
        model = PublishingPause
        fields = ["scope", "unit", "channel", "reason"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.user = for_user
        self.fields["reason"].required = True
        self.fields["reason"].widget.attrs["maxlength"] = REASON_MAX
        self.fields["reason"].help_text = _(
            "Why posting stops, in at most 500 characters: everyone it concerns "
            "sees it in the list."
        )
        if for_user is not None:
            units = Unit.objects.filter(pk__in=unit_ids_for(for_user, "pause"))
            self.fields["unit"].queryset = (
                Unit.objects.all() if for_user.is_superuser else units
            )
            self.fields["channel"].queryset = channels_for(for_user, "pause")

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == PauseScope.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit to pause."))
        if scope == PauseScope.CHANNEL and not cleaned.get("channel"):
            self.add_error("channel", _("Choose the channel to pause."))
        if scope != PauseScope.UNIT:
            cleaned["unit"] = None
        if scope != PauseScope.CHANNEL:
            cleaned["channel"] = None
        if self.errors or not scope:
            return cleaned
        candidate = PublishingPause(
            scope=scope, unit=cleaned["unit"], channel=cleaned["channel"]
        )
        if not may_switch(self.user, candidate):
            if scope == PauseScope.GLOBAL:
                message = _(
                    "Only a superuser or the lead of a top unit may pause everything; "
                    "pause your unit or a channel instead."
                )
            else:
                message = _("You may not pause this: it takes the manager role.")
            raise forms.ValidationError(message)
        return cleaned

    def save(self, commit=True):
        self.instance.unit = self.cleaned_data["unit"]
        self.instance.channel = self.cleaned_data["channel"]
        self.instance.created_by = self.user
        return super().save(commit=commit)


class PauseIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            visible_pauses(self.request.user)
            .select_related("unit", "channel", "created_by")
            .order_by("-created_at", "-pk")
        )


class ScopeColumn(ButtonsColumnMixin, TitleColumn):
    """What the switch stops; under it "Resume", for those who may resume it."""

    def get_buttons(self, instance, parent_context):
        if not may_switch(parent_context["request"].user, instance):
            return []
        return [
            ListingButton(
                _("Resume"),
                url="#",
                icon_name="resubmit",
                attrs={
                    "data-controller": "w-action",
                    "data-action": "w-action#post",
                    "data-w-action-url-value": reverse(
                        "publishing_pauses:resume", args=(instance.pk,)
                    ),
                },
            )
        ]


class PauseCreateView(generic.CreateView):
    def get_success_message(self, instance):
        return _("Paused: %(pause)s. Nothing goes out there until you resume.") % {
            "pause": instance
        }

    def get_success_buttons(self):
        return []  # no "Edit": a switch is never edited (resume, then pause again)

    def save_instance(self):
        instance = super().save_instance()
        log(instance=instance, action="publishing.pause", user=self.request.user)
        return instance


@require_POST
def resume(request, pk):
    pause = get_object_or_404(PublishingPause, pk=pk)
    if not may_switch(request.user, pause):
        raise PermissionDenied
    label = str(pause)
    log(instance=pause, action="publishing.resume", user=request.user)
    pause.delete()
    messages.success(
        request, _("Resumed: %(pause)s. Due posts go out now.") % {"pause": label}
    )
    return redirect("publishing_pauses:index")


class PauseDeleteView(generic.DeleteView):
    """Wagtail's delete URL of a switch is a resume too: the same right as pausing
    that target (it checked only "may pause something"), and logged as a resume."""

    def get_object(self, queryset=None):
        pause = super().get_object(queryset)
        if not may_switch(self.request.user, pause):
            raise PermissionDenied
        return pause

    def delete_action(self):
        log(instance=self.object, action="publishing.resume", user=self.request.user)
        super().delete_action()


class PauseViewSet(ModelViewSet):
    model = PublishingPause
    icon = "warning"
    menu_label = _("Pause publishing")
    url_prefix = "publishing/pauses"
    url_namespace = "publishing_pauses"
    add_to_admin_menu = False
    index_view_class = PauseIndexView
    add_view_class = PauseCreateView
    delete_view_class = PauseDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["scope", "unit", "channel", "reason"]
    list_display = [
        ScopeColumn("scope", label=_("Scope"), accessor="get_scope_display"),
        Column(
            "target", label=_("Target"), accessor=lambda p: p.channel or p.unit or "—"
        ),
        Column(
            "reason",
            label=_("Reason"),
            accessor=lambda p: Truncator(p.reason).chars(REASON_SHOWN),
        ),
        Column("created_by", label=_("Paused by")),
        DateColumn("created_at", label=_("Paused at")),
    ]

    def get_form_class(self, for_update=False):
        return PauseForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/resume/", resume, name="resume"),
        ]
