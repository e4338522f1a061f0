"""Share plans become publications once per share round (guarantee 4)."""

import datetime

import pytest
from django.utils import timezone

from publishing.models import Channel, Publication, PublicationStatus, SharePlan
from publishing.sharing import create_round, share_again

pytestmark = pytest.mark.django_db


def channel(org, network, external_id):
    made = Channel(
        unit=org.bac_son,
        network=network,
        name=f"{network} {external_id}",
        external_id=external_id,
    )
    made.set_credentials({"page_token": "t"})
    made.save()
    return made


@pytest.fixture
def planned(org):
    """A live article with two plans, published again so the plans are live."""
    page = org.article()
    fb, zalo = channel(org, "facebook", "101"), channel(org, "zalo", "202")
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


def test_share_again_starts_round_two(planned, org):
    page, fb, zalo, _later = planned
    made = share_again(page, org.user("bientap"))
    assert sorted(p.round for p in made) == [2, 2]
    assert {p.channel for p in made} == {fb, zalo}
    assert Publication.objects.filter(page=page).count() == 4
    assert Publication.objects.filter(page=page, round=2).count() == 2


def test_a_page_without_plans_shares_nothing(org):
    page = org.article()
    page.save_revision().publish()
    assert not Publication.objects.filter(page=page).exists()
