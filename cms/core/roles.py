"""Memberships -> Wagtail groups, page permissions and approval workflows.

Wagtail does the enforcement; this module keeps its groups in step with the unit
tree and the memberships. Each unit has one group per role. A role on a unit covers
the units below it, so a unit's groups get permissions on the sections of its whole
subtree, and the approval task of a section lists the approving groups of the unit
and of every unit above it. Running a sync twice changes nothing.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import ROLE_ORDER, Role, Unit, UnitGroup, UnitMembership

# Page permissions per role (codenames on wagtailcore.page). Editors cannot publish:
# their articles go live only through the unit's approval workflow.
PAGE_PERMISSIONS = {
    Role.EDITOR: ["add_page", "change_page"],
    Role.APPROVER: ["add_page", "change_page", "publish_page", "lock_page"],
    Role.MANAGER: ["add_page", "change_page", "publish_page", "lock_page"],
    Role.LEAD: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}
APPROVING_ROLES = [Role.APPROVER, Role.MANAGER, Role.LEAD]

# Model permissions per role, as "app_label.codename"; each role adds to the one before.
_EDITOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
    "wagtailmedia.add_media",
    "wagtailmedia.choose_media",
    "cms_core.view_campaign",
    "cms_core.view_targetgroup",
    "cms_core.view_unit",
]
MODEL_PERMISSIONS = {
    Role.EDITOR: _EDITOR_MODEL_PERMISSIONS,
    Role.APPROVER: _EDITOR_MODEL_PERMISSIONS,
    Role.MANAGER: _EDITOR_MODEL_PERMISSIONS
    + ["cms_core.add_campaign", "cms_core.change_campaign"],
    Role.LEAD: _EDITOR_MODEL_PERMISSIONS
    + [
        "cms_core.add_campaign",
        "cms_core.change_campaign",
        "cms_core.add_targetgroup",
        "cms_core.change_targetgroup",
    ],
}
# Collection permissions (on the root collection) that let a role upload and pick media.
COLLECTION_PERMISSIONS = [
    "add_image",
    "choose_image",
    "add_document",
    "choose_document",
]


def _permissions(dotted_names):
    result = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        result.extend(
            Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )
    return result


def group_name(unit, role):
    """Always in Vietnamese: group names are data, whatever the active language."""
    with translation.override("vi"):
        return f"{unit.label} · {Role(role).label}"


def ensure_groups(unit):
    """The four role groups of a unit, created or renamed to match the unit."""
    groups = {}
    for role in ROLE_ORDER:
        link = UnitGroup.objects.filter(unit=unit, role=role).select_related("group")
        link = link.first()
        name = str(group_name(unit, role))
        if link is None:
            group, _ = Group.objects.get_or_create(name=name)
            link = UnitGroup.objects.create(unit=unit, role=role, group=group)
        elif link.group.name != name:
            link.group.name = name
            link.group.save(update_fields=["name"])
        link.group.permissions.set(_permissions(MODEL_PERMISSIONS[role]))
        _sync_collection_permissions(link.group)
        groups[role] = link.group
    return groups


def _sync_collection_permissions(group):
    root = Collection.get_first_root_node()
    if root is None:
        return
    for perm in _permissions(
        [
            f"wagtail{'images' if 'image' in c else 'docs'}.{c}"
            for c in COLLECTION_PERMISSIONS
        ]
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=perm
        )


def section_for(unit):
    section_model = apps.get_model("cms_content", "UnitSectionPage")
    return section_model.objects.filter(unit=unit).first()


@transaction.atomic
def sync_unit_permissions():
    """Bring each unit's groups, page permissions and workflow in line with the tree."""
    units = list(Unit.objects.select_related("parent"))
    groups = {unit.pk: ensure_groups(unit) for unit in units}
    sections = {
        s.unit_id: s
        for s in apps.get_model("cms_content", "UnitSectionPage").objects.all()
    }
    page_perms = {
        role: _permissions(f"wagtailcore.{c}" for c in codenames)
        for role, codenames in PAGE_PERMISSIONS.items()
    }
    for unit in units:
        covered = [sections[pk] for pk in unit.descendant_ids() if pk in sections]
        for role, group in groups[unit.pk].items():
            _set_page_permissions(group, covered, page_perms[role])
    for unit in units:
        if unit.pk in sections:
            chain = [unit, *unit.ancestors()]
            approvers = [groups[u.pk][role] for u in chain for role in APPROVING_ROLES]
            _sync_workflow(unit, sections[unit.pk], approvers)


def _set_page_permissions(group, pages, permissions):
    wanted = {(page.pk, perm.pk) for page in pages for perm in permissions}
    existing = GroupPagePermission.objects.filter(group=group)
    for gpp in existing:
        if (gpp.page_id, gpp.permission_id) not in wanted:
            gpp.delete()
    have = set(existing.values_list("page_id", "permission_id"))
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=perm_id)
        for page_id, perm_id in wanted - have
    )


def _sync_workflow(unit, section, approver_groups):
    name = f"Duyệt bài · {unit.label}"
    link = WorkflowPage.objects.filter(page=section).select_related("workflow").first()
    if link is None:
        workflow = Workflow.objects.create(name=name)
        task = GroupApprovalTask.objects.create(name=f"Người duyệt · {unit.label}")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=section, workflow=workflow)
    else:
        workflow = link.workflow
        if workflow.name != name:
            workflow.name = name
            workflow.save(update_fields=["name"])
        task = workflow.tasks.specific().first()
    task.groups.set(approver_groups)


def sync_user_groups(user):
    """Give a user exactly the unit groups of their memberships; other groups stay."""
    managed = set(UnitGroup.objects.values_list("group_id", flat=True))
    wanted = set()
    for membership in UnitMembership.objects.filter(user=user).select_related("unit"):
        wanted.add(ensure_groups(membership.unit)[membership.role].pk)
    current = set(user.groups.values_list("id", flat=True))
    user.groups.remove(*((current & managed) - wanted))
    user.groups.add(*(wanted - current))


def units_for(user, min_role=Role.EDITOR):
    """Ids of units where `user` holds `min_role` or a higher one (with subtrees)."""
    if user.is_superuser:
        return set(Unit.objects.values_list("pk", flat=True))
    allowed = ROLE_ORDER[ROLE_ORDER.index(min_role) :]
    result = set()
    for membership in UnitMembership.objects.filter(
        user=user, role__in=allowed
    ).select_related("unit"):
        result.update(membership.unit.descendant_ids())
    return result
