"""seed_demo: the demo a new user sees after `make run`, loaded twice safely."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from wagtail.models import Site

from cms.content.demo.organisation import DEMO_USERS, DISTRICTS
from cms.content.models import ArticlePage, UnitSectionPage
from cms.core.models import Campaign, GoalMetric, TargetGroup, Unit, UnitMembership


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The first run, made once for the module (it takes seconds) in a transaction
    rolled back after it: each test runs in a savepoint of it (pytest-django's
    `db`), so what a test changes, a second run included, is undone before the
    next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(BASE_URL="https://bhxh.example.vn"):
            first = seed()
        yield first
        transaction.set_rollback(True)


def test_seed_demo_builds_a_living_campaign_and_is_idempotent(seeded, db, settings):
    settings.BASE_URL = "https://bhxh.example.vn"
    counts = {
        model: model.objects.count()
        for model in (Unit, TargetGroup, Campaign, ArticlePage, UnitMembership)
    }
    assert "0 bài viết mới" in seed()  # the second run adds nothing
    assert counts == {model: model.objects.count() for model in counts}

    region = Unit.objects.get(parent=None)
    assert region.children.count() == len(DISTRICTS) == 11
    assert UnitSectionPage.objects.count() == 12

    campaign = Campaign.objects.get()
    today = timezone.localdate()
    assert campaign.starts_on <= today <= campaign.ends_on
    metrics = set(campaign.goals.values_list("metric", flat=True))
    assert metrics == set(GoalMetric.values)
    enrolled = campaign.goals.get(metric="new_participants", unit=None)
    assert enrolled.target == 1000

    articles = ArticlePage.objects.live()
    assert articles.count() >= 8
    for group in TargetGroup.objects.all():
        assert articles.filter(target_groups=group).exists(), group
    for article in articles:
        assert article.cover_image.width == 1200
        assert article.cover_image.height == 630
        assert len(article.intro) <= 300
    with articles.first().cover_image.file.open() as cover:
        assert Image.open(cover).size == (1200, 630)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("bhxh.example.vn", 443)


def test_seed_demo_users_have_their_roles(seeded, db):
    User = get_user_model()
    for username, _first, _last, role, unit_slug in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password("bhxh-demo-2025")
        if role is None:
            assert user.is_superuser
        else:
            membership = UnitMembership.objects.get(user=user)
            assert (membership.role, membership.unit.slug) == (role, unit_slug)
            assert user.groups.filter(unit_group__unit__slug=unit_slug).exists()
