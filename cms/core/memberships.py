"""Role assignments in the admin for managers and leads, not only the superuser.

Rules, checked on the server (the permission policy and the form):
- A manager or lead of a unit manages the role assignments of that unit and of the
  units below it; nobody sees or changes the assignments of other units.
- Nobody assigns a role above their own on that unit (a manager assigns editors,
  approvers and managers; a lead any role), nor touches an assignment above their
  own role there.
- Nobody changes or removes their own assignment (ask the level above).
- Superusers may do everything.

Saving or deleting an assignment syncs the person's Wagtail groups at once
(`cms.core.signals`): the groups carry the page permissions and the approval
workflow tasks, so a removed role stops working on the next request.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets

from cms.core.models import ROLE_ORDER, Role, Unit, UnitMembership
from cms.core.object_permissions import ObjectPermissionMixin


def _rank(role):
    return ROLE_ORDER.index(role)


def manageable_units(user):
    """{unit id: the highest rank `user` holds over it} for units they manage."""
    cache = user.__dict__.setdefault("_membership_admin_cache", None)
    if cache is not None:
        return cache
    result = {}
    if user.is_active and user.is_authenticated:
        for membership in UnitMembership.objects.filter(
            user=user, role__in=[Role.MANAGER, Role.LEAD]
        ).select_related("unit"):
            for unit_id in membership.unit.descendant_ids():
                result[unit_id] = max(result.get(unit_id, 0), _rank(membership.role))
    user.__dict__["_membership_admin_cache"] = result
    return result


def may_manage(user, membership):
    """May `user` change or remove this existing assignment?"""
    if user.is_active and user.is_superuser:
        return True
    rank = manageable_units(user).get(membership.unit_id)
    return (
        rank is not None
        and membership.user_id != user.pk
        and _rank(membership.role) <= rank
    )


class MembershipPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return user.is_active and (user.is_superuser or bool(manageable_units(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return user.is_active and (
                user.is_superuser or instance.unit_id in manageable_units(user)
            )
        return may_manage(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if user.is_active and user.is_superuser:
            return queryset
        return queryset.filter(unit_id__in=list(manageable_units(user)))

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True).filter(
            unit_memberships__role__in=[Role.MANAGER, Role.LEAD]
        ) | get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(UnitMembership, MembershipPermissionPolicy(UnitMembership))


class MembershipForm(WagtailAdminModelForm):
    """The units offered are those the person manages; the role is checked against
    theirs on the chosen unit."""

    class Meta:
        model = UnitMembership
        fields = ["user", "unit", "role"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.actor = for_user
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["user"].queryset = users
        if for_user is not None and not for_user.is_superuser:
            self.fields["unit"].queryset = Unit.objects.filter(
                pk__in=list(manageable_units(for_user))
            )
            top = max(manageable_units(for_user).values(), default=-1)
            self.fields["role"].choices = [
                (value, label)
                for value, label in self.fields["role"].choices
                if not value or _rank(value) <= top
            ]

    def clean(self):
        cleaned = super().clean()
        actor, unit, role = self.actor, cleaned.get("unit"), cleaned.get("role")
        if actor is None or actor.is_superuser or unit is None or not role:
            return cleaned
        rank = manageable_units(actor).get(unit.pk)
        if rank is None:
            raise ValidationError({"unit": _("You do not manage this unit.")})
        if _rank(role) > rank:
            raise ValidationError(
                {
                    "role": _(
                        "You may assign roles up to %(role)s on %(unit)s, your own "
                        "role there."
                    )
                    % {"role": Role(ROLE_ORDER[rank]).label, "unit": unit}
                }
            )
        person = cleaned.get("user")
        if person is not None and person.pk == actor.pk:
            raise ValidationError(
                {"user": _("You cannot change your own role: ask the level above.")}
            )
        if self.instance.pk and not may_manage(actor, self.instance):
            raise ValidationError(_("You may not change this role assignment."))
        return cleaned


OwnAssignmentsMixin = ObjectPermissionMixin  # 404 outside one's units, 403 above


class MembershipEditView(OwnAssignmentsMixin, snippets.EditView):
    object_action = "change"


class MembershipDeleteView(OwnAssignmentsMixin, snippets.DeleteView):
    object_action = "delete"


class MembershipHistoryView(OwnAssignmentsMixin, snippets.HistoryView):
    pass


class MembershipUsageView(OwnAssignmentsMixin, snippets.UsageView):
    pass


class MembershipIndexView(snippets.IndexView):
    def get_base_queryset(self):
        # Wagtail's index lists every row; a manager sees their units' assignments.
        visible = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )
        return (
            super()
            .get_base_queryset()
            .filter(pk__in=visible)
            .select_related("user", "unit")
        )


class UnitMembershipViewSet(snippets.SnippetViewSet):
    model = UnitMembership
    icon = "group"
    menu_label = _("Role assignments")
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    history_view_class = MembershipHistoryView
    usage_view_class = MembershipUsageView

    def get_form_class(self, for_update=False):
        return MembershipForm
