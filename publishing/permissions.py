"""Who may do what with channels: decided per unit, from the unit roles.

Everyone with a role sees their units' channels (to plan shares on them); connecting,
editing, checking and removing a channel takes the manager role (or lead) on its
unit or a unit above it. Superusers may do everything.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from cms.core.models import Role
from cms.core.roles import units_for

VIEW_ACTIONS = {"view", "choose"}


def required_role(action):
    return Role.EDITOR if action in VIEW_ACTIONS else Role.MANAGER


class UnitRolePermissionPolicy(BasePermissionPolicy):
    """A permission policy for models with a `unit` foreign key."""

    def _unit_ids(self, user, action):
        if not user.is_active or not user.is_authenticated:
            return set()
        cache = user.__dict__.setdefault("_unit_role_cache", {})
        role = required_role(action)
        if role not in cache:
            cache[role] = units_for(user, role)
        return cache[role]

    def user_has_permission(self, user, action):
        return user.is_active and (
            user.is_superuser or bool(self._unit_ids(user, action))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_active and user.is_superuser:
            return True
        return instance.unit_id in self._unit_ids(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if user.is_active and user.is_superuser:
            return queryset
        allowed = set()
        for action in actions:
            allowed |= self._unit_ids(user, action)
        return queryset.filter(unit_id__in=allowed)

    def users_with_any_permission(self, actions):
        roles = {required_role(a) for a in actions}
        lowest = min(roles, key=lambda r: list(Role).index(r))
        allowed = [r for r in Role if list(Role).index(r) >= list(Role).index(lowest)]
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(
            Q(unit_memberships__role__in=allowed) | Q(is_superuser=True)
        ).distinct()

    def allowed_units(self, user, action):
        """The units a form may offer this user for `action`."""
        from cms.core.models import Unit

        if user.is_superuser:
            return Unit.objects.active()
        return Unit.objects.active().filter(pk__in=self._unit_ids(user, action))


# What each publishing action takes, on the channel's unit or a unit above it.
# Planning shares is the editors' work; everything that changes what is (or will be)
# posted is the approvers'; switching posting off and on is the managers'.
ACTION_ROLES = {
    "view": Role.EDITOR,
    "plan": Role.EDITOR,
    "share_again": Role.EDITOR,  # made by an editor, it waits for an approver
    "approve": Role.APPROVER,
    "cancel": Role.APPROVER,
    "retry": Role.APPROVER,
    "reschedule": Role.APPROVER,
    "correct": Role.APPROVER,
    "withdraw": Role.APPROVER,
    "mark_posted": Role.APPROVER,
    "pause": Role.MANAGER,
}


def unit_ids_for(user, action):
    """Ids of the units on whose channels `user` may do `action` (cached per user)."""
    if not user.is_active or not user.is_authenticated:
        return set()
    role = ACTION_ROLES[action]
    cache = user.__dict__.setdefault("_unit_role_cache", {})
    if role not in cache:
        cache[role] = units_for(user, role)
    return cache[role]


def may(user, action, channel):
    """May `user` do `action` on `channel`? Checked on the server for every request."""
    if user.is_active and user.is_superuser:
        return True
    return channel.unit_id in unit_ids_for(user, action)


def channels_for(user, action):
    """The channels on which `user` may do `action`."""
    from .models import Channel

    queryset = Channel.objects.select_related("unit")
    if user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(unit_id__in=unit_ids_for(user, action))
