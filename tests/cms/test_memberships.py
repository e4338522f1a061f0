"""Managers and leads assign roles in their units from the admin; the rights follow
at once (groups synced on save and delete), and never beyond their own reach."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from cms.core.models import Role, UnitMembership

pytestmark = pytest.mark.django_db
NS = "wagtailsnippets_cms_core_unitmembership"


def login(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return user


def refused(response):
    return response.status_code in (403, 404) or (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
    )


def can_edit_articles_of(user, section):
    user = type(user).objects.get(pk=user.pk)  # no cached permissions
    return section.permissions_for_user(user).can_add_subpage()


@pytest.fixture
def manager(org):
    return org.user("ql.bacson", Role.MANAGER, org.bac_son)


def test_a_manager_sees_only_the_assignments_of_their_units(client, org, manager):
    org.user("bt.bacson", Role.EDITOR, org.bac_son)
    org.user("bt.locbinh", Role.EDITOR, org.loc_binh)
    login(client, manager)
    page = client.get(reverse(f"{NS}:list")).content.decode()
    assert "bt.bacson" in page
    assert "bt.locbinh" not in page
    other = UnitMembership.objects.get(user__username="bt.locbinh")
    assert refused(client.get(reverse(f"{NS}:edit", args=(other.pk,))))


def test_a_manager_assigns_a_role_and_removing_it_takes_the_rights_away(
    client, org, manager
):
    newcomer = org.user("nguoi.moi")
    assert not can_edit_articles_of(newcomer, org.section["bac-son"])
    login(client, manager)
    response = client.post(
        reverse(f"{NS}:add"),
        {"user": newcomer.pk, "unit": org.bac_son.pk, "role": Role.EDITOR},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = UnitMembership.objects.get(user=newcomer)
    assert can_edit_articles_of(newcomer, org.section["bac-son"])
    assert not can_edit_articles_of(newcomer, org.section["loc-binh"])

    response = client.post(reverse(f"{NS}:delete", args=(membership.pk,)))
    assert response.status_code == 302
    assert not UnitMembership.objects.filter(user=newcomer).exists()
    assert not can_edit_articles_of(newcomer, org.section["bac-son"])


@pytest.mark.parametrize(
    "unit, role, field",
    [
        ("loc_binh", Role.EDITOR, "unit"),  # another unit (a forged POST)
        ("region", Role.EDITOR, "unit"),  # the unit above
        ("bac_son", Role.LEAD, "role"),  # above the manager's own role
    ],
)
def test_a_manager_cannot_reach_beyond_their_units_or_role(
    client, org, manager, unit, role, field
):
    newcomer = org.user("nguoi.moi")
    login(client, manager)
    response = client.post(
        reverse(f"{NS}:add"),
        {"user": newcomer.pk, "unit": getattr(org, unit).pk, "role": role},
    )
    assert response.status_code == 200
    assert not UnitMembership.objects.filter(user=newcomer).exists()
    assert field in response.context["form"].errors


def test_nobody_changes_their_own_role_or_one_above_theirs(client, org, manager):
    lead = org.user("ld.bacson", Role.LEAD, org.bac_son)
    login(client, manager)
    own = UnitMembership.objects.get(user=manager)
    response = client.post(
        reverse(f"{NS}:edit", args=(own.pk,)),
        {"user": manager.pk, "unit": org.bac_son.pk, "role": Role.LEAD},
    )
    assert refused(response) or response.status_code == 200
    assert UnitMembership.objects.get(pk=own.pk).role == Role.MANAGER
    above = UnitMembership.objects.get(user=lead)
    assert refused(client.post(reverse(f"{NS}:delete", args=(above.pk,))))
    assert UnitMembership.objects.filter(pk=above.pk).exists()


def test_a_lead_of_the_region_assigns_any_role_below(client, org):
    lead = org.user("ld.khuvuc", Role.LEAD, org.region)
    newcomer = org.user("nguoi.moi")
    login(client, lead)
    response = client.post(
        reverse(f"{NS}:add"),
        {"user": newcomer.pk, "unit": org.loc_binh.pk, "role": Role.LEAD},
    )
    assert response.status_code == 302
    assert UnitMembership.objects.get(user=newcomer).role == Role.LEAD


def test_editors_and_approvers_do_not_manage_roles(client, org):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    assert refused(client.get(reverse(f"{NS}:list")))
    newcomer = org.user("nguoi.moi")
    response = client.post(
        reverse(f"{NS}:add"),
        {"user": newcomer.pk, "unit": org.bac_son.pk, "role": Role.EDITOR},
    )
    assert refused(response)
    assert not UnitMembership.objects.filter(user=newcomer).exists()
