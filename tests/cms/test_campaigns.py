"""Campaigns: a period that makes sense and goals that can be reached."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.core.models import Campaign, CampaignGoal, GoalMetric
from tests.cms.helpers import shown_text

# The moment these tests run at (the dates they write are fixed ones of 2025-2026;
# the clock is pinned so that "today" never moves past or before them).
NOW = datetime.datetime(
    2026, 11, 16, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


ADD_URL = "wagtailsnippets_cms_core_campaign:add"
POSITIVE_TARGET = "Mục tiêu phải là số nguyên dương."


def campaign_form(starts_on="2025-07-01", ends_on="2025-12-31", goals=()):
    return nested_form_data(
        {
            "name": "Chiến dịch cuối năm 2025",
            "slug": "cuoi-nam-2025",
            "description": "Vận động hộ kinh doanh tham gia BHXH.",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "goals": inline_formset(list(goals)),
        }
    )


def goal(target, metric=GoalMetric.NEW_PARTICIPANTS, unit=""):
    return {"id": "", "metric": metric, "target": str(target), "unit": unit}


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("admin", superuser=True))
    return client


def test_valid_campaign_with_goals_is_saved(admin_client, org):
    response = admin_client.post(
        reverse(ADD_URL),
        campaign_form(
            goals=[goal(1200), goal(5, GoalMetric.PRESS_ITEMS, org.bac_son.pk)]
        ),
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="cuoi-nam-2025")
    assert sorted(campaign.goals.values_list("target", flat=True)) == [5, 1200]


class TestCampaignPeriod:
    def test_end_before_start_is_refused_and_nothing_saved(self, admin_client):
        response = admin_client.post(
            reverse(ADD_URL),
            campaign_form(
                starts_on="2025-12-31", ends_on="2025-07-01", goals=[goal(10)]
            ),
        )
        assert response.status_code == 200
        text = shown_text(response)
        assert (
            "Ngày kết thúc (01/07/2025) phải bằng hoặc sau ngày bắt đầu (31/12/2025)."
            in text
        )
        assert not Campaign.objects.exists()
        assert not CampaignGoal.objects.exists()

    def test_same_day_campaign_is_allowed(self, admin_client):
        response = admin_client.post(
            reverse(ADD_URL),
            campaign_form(starts_on="2025-09-02", ends_on="2025-09-02"),
        )
        assert response.status_code == 302
        assert Campaign.objects.filter(slug="cuoi-nam-2025").exists()


class TestGoalTarget:
    @pytest.mark.parametrize("target", [-5, 0], ids=["negative", "zero"])
    def test_non_positive_target_is_refused_and_nothing_saved(
        self, admin_client, target
    ):
        response = admin_client.post(
            reverse(ADD_URL), campaign_form(goals=[goal(1200), goal(target)])
        )
        assert response.status_code == 200
        assert POSITIVE_TARGET in shown_text(response)
        assert not Campaign.objects.exists()
        assert not CampaignGoal.objects.exists()

    def test_non_positive_target_on_edit_changes_nothing(self, admin_client, campaign):
        kept = CampaignGoal.objects.create(
            campaign=campaign, metric=GoalMetric.REACH, target=50000
        )
        data = nested_form_data(
            {
                "name": campaign.name,
                "slug": campaign.slug,
                "description": "",
                "starts_on": "2025-07-01",
                "ends_on": "2025-12-31",
                "goals": inline_formset(
                    [
                        {
                            "id": str(kept.pk),
                            "metric": "reach",
                            "target": "0",
                            "unit": "",
                        }
                    ],
                    initial=1,
                ),
            }
        )
        response = admin_client.post(
            reverse("wagtailsnippets_cms_core_campaign:edit", args=(campaign.pk,)), data
        )
        assert response.status_code == 200
        assert POSITIVE_TARGET in shown_text(response)
        kept.refresh_from_db()
        assert kept.target == 50000
