"""Admin wiring of publishing: one "Publishing" menu, the login-flow URLs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .dashboard.views import DashboardViewSet
from .models import Channel
from .permissions import UnitRolePermissionPolicy
from .views import connect
from .views.bulk import BulkScheduleViewSet
from .views.calendar import CalendarViewSet
from .views.channels import ChannelViewSet
from .views.pauses import PauseViewSet
from .views.publications import PublicationViewSet
from .views.requests import ShareRequestViewSet

# Before the viewset asks for it: channel rights follow the unit roles.
register_permission_policy(Channel, UnitRolePermissionPolicy(Channel))


class PublishingGroup(ViewSetGroup):
    menu_label = _("Publishing")
    menu_icon = "globe"
    menu_order = 240
    items = (
        ChannelViewSet,
        PublicationViewSet,
        CalendarViewSet,
        BulkScheduleViewSet,
        ShareRequestViewSet,
        PauseViewSet,
        DashboardViewSet,
    )


@hooks.register("register_admin_viewset")
def register_publishing():
    return PublishingGroup()


@hooks.register("register_admin_urls")
def register_connect_urls():
    return [
        path(
            "publishing/connect/facebook/",
            connect.facebook_start,
            name="publishing_connect_facebook",
        ),
        path(
            "publishing/connect/facebook/callback/",
            connect.facebook_callback,
            name="publishing_connect_facebook_callback",
        ),
        path(
            "publishing/connect/facebook/pages/",
            connect.facebook_pick,
            name="publishing_connect_facebook_pick",
        ),
        path(
            "publishing/connect/zalo/",
            connect.zalo_start,
            name="publishing_connect_zalo",
        ),
        path(
            "publishing/connect/zalo/callback/",
            connect.zalo_callback,
            name="publishing_connect_zalo_callback",
        ),
        path(
            "publishing/connect/zalo/oa/",
            connect.zalo_pick,
            name="publishing_connect_zalo_pick",
        ),
    ]


# Each part of publishing registers its own hooks; importing them here is what makes
# Wagtail load them.
from . import hooks_admin, hooks_editor, hooks_notify  # noqa: E402, F401
from .dashboard import panels as dashboard_panels  # noqa: E402, F401
