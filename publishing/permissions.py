"""Who may do what with channels: decided per unit, from the unit roles.

Everyone with a role sees their units' channels (to plan shares on them); connecting,
editing, checking and removing a channel takes the manager role (or lead) on its
unit or a unit above it. Superusers may do everything.
"""

from cms.core.models import Role
from cms.core.roles import units_for
from cms.core.unit_policy import UnitRolePermissionPolicy  # noqa: F401  (channels)

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
    from publishing.models import Channel

    queryset = Channel.objects.select_related("unit")
    if user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(unit_id__in=unit_ids_for(user, action))
