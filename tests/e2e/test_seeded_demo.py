"""The journeys' demo (tests/e2e/conftest.py): seeded once per session, and each
journey gets the seed back as it was made, whatever the journey before it did."""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.content.models import ArticlePage
from cms.core.models import UnitMembership


def rows():
    return {
        "articles": sorted(ArticlePage.objects.values_list("pk", "title", "live")),
        "users": sorted(get_user_model().objects.values_list("pk", "username")),
        "roles": sorted(UnitMembership.objects.values_list("pk", "unit", "role")),
        "devices": sorted(TOTPDevice.objects.values_list("pk", "last_t")),
    }


def test_each_journey_gets_the_seed_back_as_it_was_made(demo, _seeded_demo):
    seeded = rows()
    assert all(seeded.values()), seeded
    # What journeys do: unpublish, sign in with a code (spent), remove someone.
    ArticlePage.objects.live().first().unpublish()
    TOTPDevice.objects.update(last_t=123)
    get_user_model().objects.get(username="bientap.bacson").delete()
    assert rows() != seeded

    _seeded_demo.load()  # as the next journey's `demo` does
    assert rows() == seeded
