"""Rights on models with a `unit` foreign key, from the unit roles.

Seeing (and choosing) takes any role on the object's unit or a unit above it;
adding, changing and deleting take `write_role` or a higher one. Superusers may do
everything. Used by the channels (write role: manager) and the offline figures
(editor or manager, by kind)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from cms.core.models import ROLE_ORDER, Role, Unit
from cms.core.roles import units_for

VIEW_ACTIONS = {"view", "choose"}


class UnitRolePermissionPolicy(BasePermissionPolicy):
    """Rights on records with a `unit`: seeing takes any role on the unit (or above),
    adding, changing and deleting takes `write_role` or a higher one."""

    def __init__(self, model, write_role=Role.MANAGER):
        super().__init__(model)
        self.write_role = write_role

    def role_for(self, action):
        return Role.EDITOR if action in VIEW_ACTIONS else self.write_role

    def unit_ids(self, user, action):
        if not (user.is_active and user.is_authenticated):
            return set()
        cache = user.__dict__.setdefault("_unit_role_cache", {})
        role = self.role_for(action)
        if role not in cache:
            cache[role] = units_for(user, role)
        return cache[role]

    def user_has_permission(self, user, action):
        return user.is_active and (
            user.is_superuser or bool(self.unit_ids(user, action))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_active and user.is_superuser:
            return True
        return instance.unit_id in self.unit_ids(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if user.is_active and user.is_superuser:
            return queryset
        allowed = set()
        for action in actions:
            allowed |= self.unit_ids(user, action)
        return queryset.filter(unit_id__in=allowed)

    def users_with_any_permission(self, actions):
        lowest = min(
            (self.role_for(a) for a in actions), key=ROLE_ORDER.index, default=Role.LEAD
        )
        roles = ROLE_ORDER[ROLE_ORDER.index(lowest) :]
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(unit_memberships__role__in=roles) | Q(is_superuser=True))
            .distinct()
        )

    def allowed_units(self, user, action):
        units = Unit.objects.active()
        if user.is_superuser:
            return units
        return units.filter(pk__in=self.unit_ids(user, action))
