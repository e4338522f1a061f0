"""Who sets which goals: the region's lead the campaign and its campaign-wide goals,
a manager the goals of their units only; a refused change saves nothing."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from cms.core.models import Campaign, CampaignGoal, GoalMetric, Role
from tests.cms.helpers import CAMPAIGN_EDIT as EDIT
from tests.cms.helpers import campaign_form as form

ADD = "wagtailsnippets_cms_core_campaign:add"


def login(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The campaign below runs through 2026: stand the clock inside it, so that
    the form's checks against today give the same answer in any month."""
    time_machine.move_to(datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC))


@pytest.fixture
def campaign(org):
    made = Campaign.objects.create(
        name="Chiến dịch 2026",
        slug="chien-dich-2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    CampaignGoal.objects.create(
        campaign=made, metric=GoalMetric.NEW_PARTICIPANTS, target=1000
    )
    CampaignGoal.objects.create(
        campaign=made,
        metric=GoalMetric.PRESS_ITEMS,
        target=5,
        unit=org.loc_binh,
    )
    return made


def goals(campaign):
    return sorted(
        (g.metric, g.target, g.unit_id)
        for g in CampaignGoal.objects.filter(campaign=campaign)
    )


def test_a_manager_sets_a_goal_of_their_unit(client, org, campaign):
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
    new = (GoalMetric.OUTREACH_EVENTS, 12, org.bac_son.pk)
    response = client.post(reverse(EDIT, args=(campaign.pk,)), form(campaign, [new]))
    assert response.status_code == 302
    assert (GoalMetric.OUTREACH_EVENTS, 12, org.bac_son.pk) in goals(campaign)


@pytest.mark.parametrize(
    "change",
    ["other unit's goal", "campaign-wide goal", "campaign name", "delete other's"],
)
def test_a_manager_cannot_set_what_is_not_theirs(client, org, campaign, change):
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
    before = goals(campaign)
    other = campaign.goals.get(unit=org.loc_binh)
    data = {
        "other unit's goal": form(
            campaign, [(GoalMetric.PRESS_ITEMS, 3, org.loc_binh.pk)]
        ),
        "campaign-wide goal": form(campaign, [(GoalMetric.FOLLOWERS, 9000, "")]),
        "campaign name": form(campaign, name="Đổi tên"),
        "delete other's": form(campaign, delete=[other.pk]),
    }[change]
    response = client.post(reverse(EDIT, args=(campaign.pk,)), data)
    assert response.status_code == 200
    assert goals(campaign) == before
    assert Campaign.objects.get(pk=campaign.pk).name == "Chiến dịch 2026"


def test_the_region_lead_sets_everything(client, org, campaign):
    login(client, org.user("ld.khuvuc", Role.LEAD, org.region))
    data = form(
        campaign,
        [(GoalMetric.FOLLOWERS, 9000, ""), (GoalMetric.PRESS_ITEMS, 3, org.bac_son.pk)],
        name="Chiến dịch 2026 (sửa)",
    )
    response = client.post(reverse(EDIT, args=(campaign.pk,)), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Chiến dịch 2026 (sửa)"
    assert (GoalMetric.FOLLOWERS, 9000, None) in goals(campaign)


def test_only_the_region_lead_creates_campaigns(client, org):
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
    data = nested_form_data(
        {
            "name": "Chiến dịch riêng",
            "slug": "rieng",
            "description": "",
            "starts_on": "2026-01-01",
            "ends_on": "2026-06-30",
            "goals": inline_formset([]),
        }
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code in (200, 302)
    assert not Campaign.objects.filter(slug="rieng").exists()
