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

from cms.core.models import ROLE_ORDER, Role, Unit, UnitGroup, UnitMembership

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
# Images, documents and media check these, not model permissions.
COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
    "wagtailmedia.add_media",
]


def _permission_ids(dotted_names):
    """{"app_label.codename": permission id} for the given names, in one query."""
    names = set(dotted_names)
    codenames = {name.split(".", 1)[1] for name in names}
    rows = Permission.objects.filter(codename__in=codenames).values_list(
        "content_type__app_label", "codename", "pk"
    )
    return {f"{app}.{code}": pk for app, code, pk in rows if f"{app}.{code}" in names}


def group_name(unit, role):
    """Always in Vietnamese: group names are data, whatever the active language."""
    with translation.override("vi"):
        return f"{unit.label} · {Role(role).label}"


def _role_groups(units):
    """{unit id: {role: Group}}, creating or renaming groups to match the units."""
    links = {
        (link.unit_id, link.role): link.group
        for link in UnitGroup.objects.select_related("group")
    }
    groups = {}
    for unit in units:
        groups[unit.pk] = {}
        for role in ROLE_ORDER:
            name = group_name(unit, role)
            group = links.get((unit.pk, role))
            if group is None:
                group, _ = Group.objects.get_or_create(name=name)
                UnitGroup.objects.create(unit=unit, role=role, group=group)
            elif group.name != name:
                group.name = name
                group.save(update_fields=["name"])
            groups[unit.pk][role] = group
    return groups


def _sync_rows(queryset, wanted, fields, make):
    """Make `queryset` hold exactly the rows whose `fields` values are in `wanted`."""
    have = {}
    for row in queryset.values_list("pk", *fields):
        have[tuple(row[1:])] = row[0]
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        queryset.filter(pk__in=stale).delete()
    missing = wanted - set(have)
    if missing:
        queryset.model.objects.bulk_create(make(*key) for key in sorted(missing))


def _sync_group_permissions(groups, perm_ids):
    through = Group.permissions.through
    wanted, collection_wanted = set(), set()
    root = Collection.get_first_root_node()
    for by_role in groups.values():
        for role, group in by_role.items():
            for name in MODEL_PERMISSIONS[role]:
                wanted.add((group.pk, perm_ids[name]))
            if root is not None:
                for name in COLLECTION_PERMISSIONS:
                    collection_wanted.add((group.pk, root.pk, perm_ids[name]))
    group_ids = [g.pk for by_role in groups.values() for g in by_role.values()]
    _sync_rows(
        through.objects.filter(group_id__in=group_ids),
        wanted,
        ("group_id", "permission_id"),
        lambda g, p: through(group_id=g, permission_id=p),
    )
    _sync_rows(
        GroupCollectionPermission.objects.filter(group_id__in=group_ids),
        collection_wanted,
        ("group_id", "collection_id", "permission_id"),
        lambda g, c, p: GroupCollectionPermission(
            group_id=g, collection_id=c, permission_id=p
        ),
    )


def _subtrees(units):
    """{unit id: ids of the unit and every unit below it}, from one list of units."""
    children = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    result = {}
    for unit in units:
        seen, stack = [], [unit.pk]
        while stack:
            pk = stack.pop()
            if pk not in seen:
                seen.append(pk)
                stack.extend(children.get(pk, []))
        result[unit.pk] = seen
    return result


@transaction.atomic
def sync_unit_permissions():
    """Bring each unit's groups, page permissions and workflow in line with the tree.

    Reads the current state once and writes only the differences, so saving a unit
    costs a few queries per unit, not a rebuild of everything.
    """
    units = list(Unit.objects.all())
    by_pk = {unit.pk: unit for unit in units}
    groups = _role_groups(units)
    all_names = [n for names in MODEL_PERMISSIONS.values() for n in names]
    page_names = {f"wagtailcore.{c}" for cs in PAGE_PERMISSIONS.values() for c in cs}
    perm_ids = _permission_ids(all_names + COLLECTION_PERMISSIONS + list(page_names))
    _sync_group_permissions(groups, perm_ids)
    sections = {
        s.unit_id: s
        for s in apps.get_model("cms_content", "UnitSectionPage").objects.all()
    }
    wanted = set()
    for unit_pk, covered in _subtrees(units).items():
        pages = [sections[pk].pk for pk in covered if pk in sections]
        for role, group in groups[unit_pk].items():
            for codename in PAGE_PERMISSIONS[role]:
                perm = perm_ids[f"wagtailcore.{codename}"]
                wanted.update((group.pk, page, perm) for page in pages)
    group_ids = [g.pk for by_role in groups.values() for g in by_role.values()]
    _sync_rows(
        GroupPagePermission.objects.filter(group_id__in=group_ids),
        wanted,
        ("group_id", "page_id", "permission_id"),
        lambda g, page, p: GroupPagePermission(
            group_id=g, page_id=page, permission_id=p
        ),
    )
    workflows = {
        link.page_id: link.workflow
        for link in WorkflowPage.objects.select_related("workflow")
    }
    for unit in units:
        if unit.pk in sections:
            chain = [unit]
            while chain[-1].parent_id in by_pk and len(chain) <= len(units):
                chain.append(by_pk[chain[-1].parent_id])
            approvers = [groups[u.pk][role] for u in chain for role in APPROVING_ROLES]
            section = sections[unit.pk]
            _sync_workflow(unit, section, workflows.get(section.pk), approvers)


def _sync_workflow(unit, section, workflow, approver_groups):
    name = f"Duyệt bài · {unit.label}"
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        task = GroupApprovalTask.objects.create(name=f"Người duyệt · {unit.label}")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=section, workflow=workflow)
    else:
        if workflow.name != name:
            workflow.name = name
            workflow.save(update_fields=["name"])
        task = workflow.tasks.specific().first()
    task.groups.set(approver_groups)


def sync_user_groups(user):
    """Give a user exactly the unit groups of their memberships; other groups stay."""
    memberships = set(
        UnitMembership.objects.filter(user=user).values_list("unit_id", "role")
    )
    links = {
        (link.unit_id, link.role): link.group_id for link in UnitGroup.objects.all()
    }
    if memberships - set(links):
        # A unit saved without signals (raw fixtures): create its groups first.
        sync_unit_permissions()
        links = {(ug.unit_id, ug.role): ug.group_id for ug in UnitGroup.objects.all()}
    wanted = {links[key] for key in memberships}
    managed = set(links.values())
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
