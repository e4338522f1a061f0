"""The unit tree: no cycles, coherent merges, renames that keep id, URL and history."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, Revision, WorkflowPage
from wagtail.users.models import UserProfile

from cms.content.models import UnitSectionPage
from cms.core.models import Role, Unit, UnitGroup
from tests.cms.helpers import shown_text, unit_form

CYCLE = "cây đơn vị sẽ bị vòng lặp"
SELF_MERGE = "Một đơn vị không thể sáp nhập vào chính nó."
MUST_BE_INACTIVE = "Đơn vị đã sáp nhập phải được đánh dấu ngừng hoạt động."
TARGET_INACTIVE = "đã ngừng hoạt động"


def edit_url(unit):
    return reverse("wagtailsnippets_cms_core_unit:edit", args=(unit.pk,))


def snapshot(unit):
    """Everything a refused edit must leave as it was."""
    unit = Unit.objects.get(pk=unit.pk)
    section = UnitSectionPage.objects.get(unit=unit)
    return {
        "row": (unit.name, unit.parent_id, unit.active, unit.merged_into_id),
        "section": (section.pk, section.title, section.url_path),
        "revisions": Revision.objects.for_instance(unit).count(),
        "logs": ModelLogEntry.objects.filter(object_id=str(unit.pk)).count(),
    }


def clean_errors(unit):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        unit.full_clean()
    return caught.value.message_dict


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("admin", superuser=True))
    return client


class TestUnitTreeHasNoCycle:
    def test_parent_below_the_unit_is_refused_by_full_clean(self, org):
        commune = Unit.objects.create(name="Xã Vũ Lễ", slug="vu-le", parent=org.bac_son)
        region = Unit.objects.get(pk=org.region.pk)
        region.parent = commune  # region -> commune -> Bắc Sơn -> region
        errors = clean_errors(region)
        assert CYCLE in " ".join(errors["parent"])
        assert "Xã Vũ Lễ" in " ".join(errors["parent"])

    def test_unit_as_its_own_parent_is_refused(self, org):
        unit = Unit.objects.get(pk=org.bac_son.pk)
        unit.parent = unit
        assert CYCLE in " ".join(clean_errors(unit)["parent"])

    def test_valid_parent_passes(self, org):
        unit = Unit.objects.get(pk=org.loc_binh.pk)
        unit.parent = org.region
        unit.full_clean()  # no cycle: nothing raised

    def test_cycle_through_snippet_edit_view_changes_nothing(self, admin_client, org):
        before = snapshot(org.region)
        response = admin_client.post(
            edit_url(org.region), unit_form(org.region, parent=org.bac_son.pk)
        )
        assert response.status_code == 200  # the form again, not a redirect
        assert CYCLE in shown_text(response)
        assert snapshot(org.region) == before
        assert Unit.objects.get(pk=org.region.pk).parent_id is None


class TestMerging:
    def test_merge_into_itself_is_refused(self, org):
        unit = Unit.objects.get(pk=org.bac_son.pk)
        unit.merged_into, unit.active = unit, False
        assert SELF_MERGE in clean_errors(unit)["merged_into"]

    def test_merged_unit_must_be_inactive(self, org):
        unit = Unit.objects.get(pk=org.bac_son.pk)
        unit.merged_into, unit.active = org.loc_binh, True
        assert MUST_BE_INACTIVE in clean_errors(unit)["active"]

    def test_merge_into_inactive_unit_is_refused(self, org):
        Unit.objects.filter(pk=org.loc_binh.pk).update(active=False)
        unit = Unit.objects.get(pk=org.bac_son.pk)
        unit.merged_into, unit.active = Unit.objects.get(pk=org.loc_binh.pk), False
        message = " ".join(clean_errors(unit)["merged_into"])
        assert TARGET_INACTIVE in message and "BHXH cơ sở Lộc Bình" in message

    @pytest.mark.parametrize(
        "changes, message",
        [
            ({"merged_into": "self", "active": False}, SELF_MERGE),
            ({"merged_into": "loc_binh", "active": True}, MUST_BE_INACTIVE),
            ({"merged_into": "inactive", "active": False}, TARGET_INACTIVE),
        ],
        ids=["self", "still-active", "inactive-target"],
    )
    def test_bad_merge_through_snippet_edit_view_changes_nothing(
        self, admin_client, org, changes, message
    ):
        targets = {"self": org.bac_son, "loc_binh": org.loc_binh}
        if changes["merged_into"] == "inactive":
            targets["inactive"] = Unit.objects.create(
                name="BHXH cơ sở cũ", slug="co-so-cu", active=False, parent=org.region
            )
        before = snapshot(org.bac_son)
        data = unit_form(org.bac_son, **changes)
        data["merged_into"] = targets[changes["merged_into"]].pk
        response = admin_client.post(edit_url(org.bac_son), data)
        assert response.status_code == 200
        assert message in shown_text(response)
        assert snapshot(org.bac_son) == before

    def test_valid_merge_keeps_id_and_section(self, admin_client, org):
        section = UnitSectionPage.objects.get(unit=org.bac_son)
        data = unit_form(org.bac_son, merged_into=org.loc_binh.pk, active=False)
        response = admin_client.post(edit_url(org.bac_son), data)
        assert response.status_code == 302
        unit = Unit.objects.get(pk=org.bac_son.pk)
        assert (unit.merged_into, unit.active) == (org.loc_binh, False)
        assert UnitSectionPage.objects.get(unit=unit).pk == section.pk


class TestRename:
    def test_rename_keeps_id_and_url_updates_section_and_history(
        self, admin_client, client, org
    ):
        article = org.article("bac-son")
        section = UnitSectionPage.objects.get(unit=org.bac_son)
        old_url, old_article_url = section.url, article.url
        revisions = Revision.objects.for_instance(org.bac_son).count()

        response = admin_client.post(
            edit_url(org.bac_son),
            unit_form(org.bac_son, name="BHXH cơ sở Bắc Sơn - Văn Quan"),
        )
        assert response.status_code == 302

        unit = Unit.objects.get(slug="bac-son")
        assert unit.pk == org.bac_son.pk
        assert unit.name == "BHXH cơ sở Bắc Sơn - Văn Quan"
        section = UnitSectionPage.objects.get(unit=unit)
        assert section.title == "BHXH cơ sở Bắc Sơn - Văn Quan"
        assert section.draft_title == "BHXH cơ sở Bắc Sơn - Văn Quan"
        assert (section.slug, section.url) == ("bac-son", old_url)
        assert client.get(old_url).status_code == 200
        assert "BHXH cơ sở Bắc Sơn - Văn Quan" in client.get(old_url).content.decode()
        assert client.get(old_article_url).status_code == 200

        # The edit is in the history: a revision with the new name, a log entry.
        assert Revision.objects.for_instance(unit).count() == revisions + 1
        latest = Revision.objects.for_instance(unit).order_by("-created_at").first()
        assert latest.content["name"] == "BHXH cơ sở Bắc Sơn - Văn Quan"
        assert ModelLogEntry.objects.filter(
            object_id=str(unit.pk), action="wagtail.edit"
        ).exists()
        history = admin_client.get(
            reverse("wagtailsnippets_cms_core_unit:history", args=(unit.pk,))
        )
        assert history.status_code == 200

    def test_short_name_change_renames_groups_and_keeps_members(
        self, admin_client, org
    ):
        editor = org.user("bt", Role.EDITOR, org.bac_son)
        group = UnitGroup.objects.get(unit=org.bac_son, role=Role.EDITOR).group
        response = admin_client.post(
            edit_url(org.bac_son), unit_form(org.bac_son, short_name="Bắc Sơn mới")
        )
        assert response.status_code == 302
        group.refresh_from_db()
        assert group.name == "Bắc Sơn mới · Biên tập viên"
        assert list(editor.groups.all()) == [group]
        workflow = WorkflowPage.objects.get(page__unitsectionpage__unit=org.bac_son)
        assert workflow.workflow.name == "Duyệt bài · Bắc Sơn mới"


class TestNewUnit:
    def test_new_unit_gets_section_four_groups_and_workflow(self, admin_client, org):
        response = admin_client.post(
            reverse("wagtailsnippets_cms_core_unit:add"),
            {
                "name": "BHXH cơ sở Đình Lập",
                "short_name": "Đình Lập",
                "slug": "dinh-lap",
                "parent": org.region.pk,
                "merged_into": "",
                "sort_order": "3",
                "active": "on",
            },
        )
        assert response.status_code == 302
        unit = Unit.objects.get(slug="dinh-lap")

        section = UnitSectionPage.objects.get(unit=unit)
        assert section.title == "BHXH cơ sở Đình Lập"
        assert section.slug == "dinh-lap"
        assert section.live
        assert section.get_parent().specific == org.news

        groups = {g.role: g.group.name for g in UnitGroup.objects.filter(unit=unit)}
        assert groups == {
            Role.EDITOR: "Đình Lập · Biên tập viên",
            Role.APPROVER: "Đình Lập · Người duyệt",
            Role.MANAGER: "Đình Lập · Quản lý",
            Role.LEAD: "Đình Lập · Lãnh đạo truyền thông",
        }
        assert Group.objects.filter(unit_group__unit=unit).count() == 4
        assert WorkflowPage.objects.get(page=section).workflow.name == (
            "Duyệt bài · Đình Lập"
        )


class TestGroupNamesDoNotFollowTheAdminLanguage:
    def test_unit_saved_by_an_english_speaking_admin_keeps_vietnamese_names(
        self, client, org
    ):
        admin = org.user("admin-en", superuser=True)
        profile = UserProfile.get_for_user(admin)
        profile.preferred_language = "en"
        profile.save()
        client.force_login(admin)

        response = client.post(
            edit_url(org.loc_binh), unit_form(org.loc_binh, sort_order=5)
        )
        assert response.status_code == 302
        assert Unit.objects.get(pk=org.loc_binh.pk).sort_order == 5
        names = set(
            UnitGroup.objects.filter(unit=org.bac_son).values_list(
                "group__name", flat=True
            )
        )
        assert names == {
            "Bắc Sơn · Biên tập viên",
            "Bắc Sơn · Người duyệt",
            "Bắc Sơn · Quản lý",
            "Bắc Sơn · Lãnh đạo truyền thông",
        }
