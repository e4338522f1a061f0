"""Approved answers (`ApprovedAnswer`) in the admin: the short list of answers,
per target group or for everyone, that the inbox suggests and that an editor may
send unchanged. Written and changed by approvers (of any unit) and administrators:
what is here is already approved.

URL names: `publishing_approved_answers:index`, `:add`, `:edit`, `:delete`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.core.models import Role
from cms.core.roles import units_for
from publishing.models import ApprovedAnswer


def _approver(user):
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or bool(units_for(user, Role.APPROVER))


class ApproversOnly(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return _approver(user)

    def user_has_any_permission(self, user, actions):
        return _approver(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        return [user for user in users if _approver(user)]

    def user_has_permission_for_instance(self, user, action, instance):
        return _approver(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if _approver(user):
            return self.model.objects.all()
        return self.model.objects.none()


register_permission_policy(ApprovedAnswer, ApproversOnly(ApprovedAnswer))


class ApprovedAnswerViewSet(ModelViewSet):
    model = ApprovedAnswer
    icon = "help"
    menu_label = _("Approved answers")
    url_prefix = "publishing/approved-answers"
    url_namespace = "publishing_approved_answers"
    add_to_admin_menu = False
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = [
        "question",
        "keywords",
        "answer",
        "target_group",
        "article",
        "mentions_vssid",
        "mentions_portal",
        "active",
    ]
    list_filter = ["target_group", "active"]
    search_fields = ["question", "keywords"]
    list_display = [
        TitleColumn(
            "question",
            label=_("Question it answers"),
            url_name="publishing_approved_answers:edit",
        ),
        Column("target_group", label=_("Target group")),
        BooleanColumn("active", label=_("Offered")),
    ]
