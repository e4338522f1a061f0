"""Admin wiring of cms.core: the screens of the organisation (units, roles, target
groups, campaigns, offline records) and the records' bulk delete."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.core.campaign_form import CampaignForm
from cms.core.memberships import UnitMembershipViewSet
from cms.core.models import Campaign, TargetGroup, Unit
from cms.core.record_admin import (
    EnrolmentReportViewSet,
    OutreachEventViewSet,
    PressCoverageViewSet,
    RecordDeleteBulkAction,
)


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "site"
    menu_label = _("Units")
    list_display = ["name", "parent", "active", "merged_into"]
    list_filter = ["active", "parent"]
    search_fields = ["name", "short_name", "slug"]
    ordering = ["sort_order", "name"]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "user"
    menu_label = _("Target groups")
    list_display = ["name", "slug"]


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    # Who may change what (the campaign, its goals per unit): CampaignForm.
    edit_handler = ObjectList(Campaign.panels, base_form_class=CampaignForm)
    icon = "calendar-alt"
    menu_label = _("Campaigns")
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name", "description"]


class OrganisationGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 250
    items = (
        CampaignViewSet,
        PressCoverageViewSet,
        OutreachEventViewSet,
        EnrolmentReportViewSet,
        TargetGroupViewSet,
        UnitViewSet,
        UnitMembershipViewSet,
    )


register_snippet(OrganisationGroup)

# After Wagtail's own bulk delete of snippets (order 0), so this one wins for these.
hooks.register("register_bulk_action", RecordDeleteBulkAction, order=10)
