"""Roles on units become Wagtail groups, page permissions and approval workflows."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from cms.content.models import ArticlePage
from cms.core.models import Role, UnitGroup, UnitMembership
from tests.cms.helpers import article_form
from tests.conftest import make_image

NO_PERMISSION = "Bạn không có quyền truy cập vào khu vực này."


def add_url(section):
    return reverse(
        "wagtailadmin_pages:add", args=("cms_content", "articlepage", section.pk)
    )


def approve_url(page):
    task_state = page.current_workflow_task_state
    return reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )


def assert_refused(response):
    """Wagtail refuses with 403, or sends the user to the dashboard with a message."""
    if response.status_code == 403:
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    shown = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert NO_PERMISSION in shown


def unit_group(unit, role):
    return UnitGroup.objects.get(unit=unit, role=role).group


class TestMembershipSync:
    def test_membership_gives_the_units_group(self, org):
        user = org.user("pd", Role.APPROVER, org.loc_binh)
        assert list(user.groups.all()) == [unit_group(org.loc_binh, Role.APPROVER)]
        assert user.groups.get().name == "Lộc Bình · Người duyệt"

    def test_changing_the_role_swaps_the_group(self, org):
        user = org.user("bt", Role.EDITOR, org.bac_son)
        membership = UnitMembership.objects.get(user=user)
        membership.role = Role.APPROVER
        membership.save()
        assert list(user.groups.all()) == [unit_group(org.bac_son, Role.APPROVER)]

    def test_deleting_the_membership_removes_the_group_at_once(self, client, org):
        user = org.user("bt", Role.EDITOR, org.bac_son)
        client.force_login(user)
        assert client.get(add_url(org.section["bac-son"])).status_code == 200

        UnitMembership.objects.get(user=user).delete()

        assert not user.groups.exists()
        # No unit left, so no admin access at all: back to the login page.
        response = client.get(add_url(org.section["bac-son"]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))

    def test_deleting_through_the_snippet_admin_removes_the_group(self, client, org):
        user = org.user("bt", Role.EDITOR, org.bac_son)
        unrelated = user.groups.model.objects.create(name="Nhóm riêng")
        user.groups.add(unrelated)
        membership = UnitMembership.objects.get(user=user)
        client.force_login(org.user("admin", superuser=True))
        response = client.post(
            reverse(
                "wagtailsnippets_cms_core_unitmembership:delete", args=(membership.pk,)
            )
        )
        assert response.status_code == 302
        assert not UnitMembership.objects.filter(user=user).exists()
        assert list(user.groups.all()) == [unrelated]  # only unit groups are managed


class TestSectionPermissions:
    def test_region_editor_can_write_in_a_district_section(self, client, org):
        client.force_login(org.user("kv", Role.EDITOR, org.region))
        for slug in ("bac-son", "loc-binh", "khu-vuc-v"):
            assert client.get(add_url(org.section[slug])).status_code == 200

    def test_district_editor_can_write_in_own_section(self, client, org):
        client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
        assert client.get(add_url(org.section["bac-son"])).status_code == 200

    def test_district_editor_cannot_write_in_another_units_section(self, client, org):
        client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
        url = add_url(org.section["loc-binh"])
        assert_refused(client.get(url))
        response = client.post(
            url, article_form(cover=make_image(), action="action-submit")
        )
        assert_refused(response)
        assert not ArticlePage.objects.exists()

    def test_district_editor_cannot_write_in_the_region_section(self, client, org):
        client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
        assert_refused(client.get(add_url(org.section["khu-vuc-v"])))


class TestEditorCannotPublish:
    def test_publish_action_on_create_does_not_make_it_live(self, client, org):
        client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
        response = client.post(
            add_url(org.section["bac-son"]),
            article_form(cover=make_image(), action="action-publish"),
        )
        assert response.status_code in (200, 302, 403)
        assert not ArticlePage.objects.filter(live=True).exists()
        assert not ArticlePage.objects.exclude(last_published_at=None).exists()
        assert (
            client.get("/tin-tuc/bac-son/ho-kinh-doanh-tham-gia-bhxh/").status_code
            == 404
        )

    def test_publish_action_on_edit_does_not_make_it_live(self, client, org):
        editor = org.user("bt", Role.EDITOR, org.bac_son)
        client.force_login(editor)
        client.post(add_url(org.section["bac-son"]), article_form(cover=make_image()))
        page = ArticlePage.objects.get()
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            article_form(cover=page.cover_image, action="action-publish"),
        )
        assert response.status_code in (200, 302, 403)
        page.refresh_from_db()
        assert not page.live and page.last_published_at is None


@pytest.fixture
def submitted(client, org):
    """An article a Bắc Sơn editor wrote and submitted for approval."""
    client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
    response = client.post(
        add_url(org.section["bac-son"]),
        article_form(cover=make_image(), action="action-submit"),
    )
    assert response.status_code == 302
    client.logout()
    return ArticlePage.objects.get()


class TestApprovalWorkflow:
    def test_submitted_article_enters_the_units_workflow(self, submitted, org):
        assert not submitted.live
        state = WorkflowState.objects.get(object_id=str(submitted.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == "Duyệt bài · Bắc Sơn"
        task = state.current_task_state.task.specific
        groups = set(task.groups.all())
        assert unit_group(org.bac_son, Role.APPROVER) in groups
        assert unit_group(org.region, Role.APPROVER) in groups  # roles cover below
        assert unit_group(org.loc_binh, Role.APPROVER) not in groups

    def test_unit_approver_sees_it_on_the_dashboard(self, client, submitted, org):
        client.force_login(org.user("pd", Role.APPROVER, org.bac_son))
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        content = response.content.decode()
        assert submitted.title in content
        assert approve_url(submitted) in content  # in "awaiting your review"

    def test_other_units_approver_does_not_see_it(self, client, submitted, org):
        client.force_login(org.user("lb", Role.APPROVER, org.loc_binh))
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        content = response.content.decode()
        assert submitted.title not in content
        assert approve_url(submitted) not in content

    def test_unit_approver_approves_and_it_goes_live(self, client, submitted, org):
        client.force_login(org.user("pd", Role.APPROVER, org.bac_son))
        response = client.post(approve_url(submitted), {"comment": ""})
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.live
        state = WorkflowState.objects.get(object_id=str(submitted.pk))
        assert state.status == WorkflowState.STATUS_APPROVED
        client.logout()
        assert client.get(submitted.url).status_code == 200

    def test_region_approver_can_approve_a_district_article(
        self, client, submitted, org
    ):
        client.force_login(org.user("kv", Role.APPROVER, org.region))
        assert client.post(approve_url(submitted), {"comment": ""}).status_code == 302
        submitted.refresh_from_db()
        assert submitted.live

    @pytest.mark.parametrize(
        "username, role, unit",
        [("lb", Role.APPROVER, "loc_binh"), ("bt2", Role.EDITOR, "bac_son")],
        ids=["other-unit-approver", "editor"],
    )
    def test_others_cannot_approve(self, client, submitted, org, username, role, unit):
        client.force_login(org.user(username, role, getattr(org, unit)))
        assert_refused(client.post(approve_url(submitted), {"comment": ""}))
        submitted.refresh_from_db()
        assert not submitted.live
        task_state = submitted.current_workflow_task_state
        assert task_state.status == TaskState.STATUS_IN_PROGRESS
