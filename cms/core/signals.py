"""Keep Wagtail's groups, sections and workflows in step with units and memberships."""

from django.db.models.signals import post_delete, post_save


def unit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from cms.content.sections import ensure_section
    from cms.core.roles import sync_unit_permissions

    ensure_section(instance)
    sync_unit_permissions()


def membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from cms.core.roles import sync_user_groups

    sync_user_groups(instance.user)


def connect():
    from cms.core.models import Unit, UnitMembership

    post_save.connect(unit_saved, sender=Unit, dispatch_uid="unit_saved")
    post_save.connect(
        membership_changed, sender=UnitMembership, dispatch_uid="membership_saved"
    )
    post_delete.connect(
        membership_changed, sender=UnitMembership, dispatch_uid="membership_deleted"
    )
