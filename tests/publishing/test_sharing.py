"""Share plans become publications once per share round (guarantee 4)."""

import datetime

import pytest
from django.utils import timezone

from cms.core.models import Role
from publishing.models import (
    Publication,
    PublicationStatus,
    SharePlan,
    ShareRequest,
    ShareRequestStatus,
)
from publishing.planning.sharing import create_round, share_again
from tests.publishing.factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(org):
    """A live article with two plans, published again so the plans are live."""
    page = org.article()
    fb, zalo = (
        make_channel(org.bac_son, "facebook", "facebook 101", "101"),
        make_channel(org.bac_son, "zalo", "zalo 202", "202"),
    )
    later = timezone.now() + datetime.timedelta(hours=2)
    page.share_plans.add(SharePlan(channel=fb, message="{title} {url}"))
    page.share_plans.add(SharePlan(channel=zalo, publish_at=later))
    page.save_revision().publish()
    return page, fb, zalo, later


def test_first_publish_creates_one_publication_per_plan(planned):
    page, fb, zalo, later = planned
    publications = {p.channel: p for p in Publication.objects.filter(page=page)}
    assert set(publications) == {fb, zalo}
    assert {p.round for p in publications.values()} == {1}
    assert {p.status for p in publications.values()} == {PublicationStatus.SCHEDULED}
    assert publications[zalo].publish_at == later
    assert publications[fb].publish_at <= timezone.now()
    assert publications[fb].plan.message == "{title} {url}"
    assert publications[fb].external_id == ""


def test_republishing_an_edited_page_shares_nothing_new(planned):
    page = planned[0]
    page.title = "Tiêu đề đã sửa"
    page.save_revision().publish()
    page.save_revision().publish()
    assert Publication.objects.filter(page=page).count() == 2
    assert create_round(page) == []  # the same round twice: nothing
    assert Publication.objects.filter(page=page).count() == 2


def test_share_again_starts_round_two(planned):
    page, fb, zalo, _later = planned
    made = share_again(page)
    assert sorted(p.round for p in made) == [2, 2]
    assert {p.channel for p in made} == {fb, zalo}
    assert Publication.objects.filter(page=page).count() == 4
    assert Publication.objects.filter(page=page, round=2).count() == 2


def test_a_page_without_plans_shares_nothing(org):
    page = org.article()
    page.save_revision().publish()
    assert not Publication.objects.filter(page=page).exists()


# Guarantee 5 at go-live: plans the publishing person may not approve wait ----------
def draft(org, plans):
    """An article an editor wrote and submitted, with `plans` (channels)."""
    from cms.content.models import ArticlePage
    from tests.conftest import make_image

    editor = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    page = ArticlePage(
        title="Bài chờ duyệt", intro="Giới thiệu.", cover_image=make_image(), live=False
    )
    org.section["bac-son"].add_child(instance=page)
    for plan_channel in plans:
        page.share_plans.add(SharePlan(channel=plan_channel, message="{title}"))
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


@pytest.fixture
def two_units(org):
    """Bắc Sơn's Page and the region's Page."""
    region = make_channel(org.bac_son, "facebook", "facebook 909", "909")
    region.unit = org.region
    region.save()
    return make_channel(org.bac_son, "facebook", "facebook 101", "101"), region


def test_approval_shares_only_on_the_approvers_channels(org, two_units):
    district, region = two_units
    page = draft(org, [district, region])
    approver = org.user("dt.bacson", Role.APPROVER, org.bac_son)
    page.current_workflow_task_state.approve(user=approver)
    page.refresh_from_db()
    assert page.live
    assert [p.channel for p in Publication.objects.filter(page=page)] == [district]
    request = ShareRequest.objects.get(page=page)
    assert (request.channel, request.status) == (region, ShareRequestStatus.PENDING)
    assert (request.requested_by, request.message) == (approver, "{title}")
    page.save_revision().publish()  # publishing again makes no second request
    assert ShareRequest.objects.filter(page=page).count() == 1


def test_a_region_approver_shares_on_both(org, two_units):
    page = draft(org, list(two_units))
    lead = org.user("dt.khuvuc", Role.APPROVER, org.region)
    page.current_workflow_task_state.approve(user=lead)
    assert Publication.objects.filter(page=page).count() == 2
    assert not ShareRequest.objects.exists()


def test_scheduled_go_live_uses_who_approved_it(org, two_units):
    from django.core.management import call_command
    from wagtail.models import Revision

    district, region = two_units
    page = draft(org, [district, region])
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision()
    approver = org.user("dt.bacson", Role.APPROVER, org.bac_son)
    page.current_workflow_task_state.approve(user=approver)
    page.refresh_from_db()
    assert not page.live
    assert not Publication.objects.exists() and not ShareRequest.objects.exists()
    # The hour has passed: what the scheduler's publish_scheduled job then finds.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision = Revision.objects.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert [p.channel for p in Publication.objects.filter(page=page)] == [district]
    assert ShareRequest.objects.get(page=page).channel == region
