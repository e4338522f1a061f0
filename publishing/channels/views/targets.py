"""Zalo's targeting codes (`BroadcastTarget`): administrators only.

No source confirms Zalo's codes, so an administrator corrects a name, a code or
"confirmed" here, without a release, once a real broadcast shows its audience.
Plans keep the key, so a corrected code applies to every broadcast not yet sent.

URL names: `publishing_targets:index`, `:edit` (args: pk).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from publishing.models import BroadcastTarget


class AdministratorsOnly(BasePermissionPolicy):
    """Viewing and changing the table take a superuser; rows are never added or
    removed here (their keys are what plans keep; a migration adds them)."""

    ALLOWED = {"change", "view", None}

    def user_has_permission(self, user, action):
        return action in self.ALLOWED and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_permission(user, None):
            return self.model.objects.all()
        return self.model.objects.none()


# Registered for the model, as Wagtail 8 asks (a viewset's own policy is deprecated).
register_permission_policy(BroadcastTarget, AdministratorsOnly(BroadcastTarget))


class BroadcastTargetViewSet(ModelViewSet):
    model = BroadcastTarget
    icon = "group"
    menu_label = _("Zalo targeting codes")
    url_prefix = "publishing/zalo-targets"
    url_namespace = "publishing_targets"
    add_to_admin_menu = False
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["name", "code", "confirmed", "note", "sort_order"]
    list_filter = ["kind", "confirmed"]
    search_fields = ["name", "key"]
    list_per_page = 100
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="publishing_targets:edit"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("code", label=_("Zalo code")),
        BooleanColumn("confirmed", label=_("Confirmed")),
        Column("note", label=_("Note")),
    ]

    def get_form_class(self, for_update=False):
        return type(
            "BroadcastTargetForm", (TargetForm, super().get_form_class(for_update)), {}
        )


class TargetForm(forms.ModelForm):
    def clean_code(self):
        """One code per kind (the form has no "kind": the constraint would
        otherwise fail in the database)."""
        code = self.cleaned_data["code"]
        taken = (
            BroadcastTarget.objects.filter(kind=self.instance.kind, code=code)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if taken:
            raise forms.ValidationError(
                _("Code %(code)s is already %(name)s's. Correct that one first.")
                % {"code": code, "name": taken.name}
            )
        return code
