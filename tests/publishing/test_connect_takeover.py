"""Connecting by login never takes a channel from another unit (issue 15).

Facebook Login offers every Page the account manages, Zalo's permission page any OA
the account administers: some are already channels, perhaps of another unit. A
(re)connect only refreshes the credentials of a channel the person may manage, in
its own unit; anything else is refused with a message, and the channel keeps its
unit, token and publications. Both networks, through the sandbox over real HTTP,
for each role of the person's own unit, of the other unit, and the region lead.
"""

import datetime

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation

from cms.core.models import Role
from publishing.channels.connect import not_moved_message, not_yours_message
from publishing.models import Channel, Publication, SharePlan
from tests.publishing.helpers import decide, local_path

OLD_TOKEN = "jeton-cu-cua-kenh"
OTHER = {"bac_son": "loc_binh", "loc_binh": "bac_son"}
NETWORKS = ["facebook", "zalo"]


class FacebookFlow:
    network = "facebook"
    pick_url = reverse_lazy("publishing_connect_pick", args=["facebook"])

    def __init__(self, sandbox, client):
        self.sandbox, self.client = sandbox, client

    def account(self, name):
        """A Page the signed-in Facebook account manages: (id, its fresh token)."""
        page = self.sandbox.facebook_page(name)
        return page["id"], page["page_token"]

    def token_of(self, channel):
        return channel.get_credentials()["page_token"]

    def stale_credentials(self):
        return {"page_token": OLD_TOKEN}

    def sign_in(self, external_id):
        """Through the dialog and the callback; the Pages are then in the session."""
        dialog = self.client.get(reverse("publishing_connect", args=["facebook"]))[
            "Location"
        ]
        self.client.get(local_path(decide(dialog)))

    def choose(self, external_id, unit):
        data = {f"unit_{external_id}": unit.pk}
        return self.client.post(self.pick_url, data)


class ZaloFlow(FacebookFlow):
    network = "zalo"
    pick_url = reverse_lazy("publishing_connect_pick", args=["zalo"])

    def account(self, name):
        oa = self.sandbox.zalo_oa(name)
        return oa["id"], None  # each permission gives the OA a new access token

    def token_of(self, channel):
        return channel.get_credentials()["access_token"]

    def stale_credentials(self):
        expires = timezone.now() + datetime.timedelta(hours=25)
        return {
            "access_token": OLD_TOKEN,
            "refresh_token": OLD_TOKEN,
            "expires_at": expires.isoformat(),
        }

    def sign_in(self, external_id):
        dialog = self.client.get(reverse("publishing_connect", args=["zalo"]))[
            "Location"
        ]
        self.client.get(local_path(decide(dialog, oa_id=external_id)))

    def choose(self, external_id, unit):
        return self.client.post(self.pick_url, {"unit": unit.pk})


@pytest.fixture(params=NETWORKS)
def flow(request, sandbox, client):
    return {"facebook": FacebookFlow, "zalo": ZaloFlow}[request.param](sandbox, client)


def existing_channel(org, flow, unit, name):
    """A channel of `unit` for a new Page/OA of the account, with a publication."""
    external_id, _ = flow.account(name)
    channel = Channel(
        unit=unit, network=flow.network, name=name, external_id=external_id
    )
    channel.set_credentials(flow.stale_credentials())
    channel.save()
    section = "loc-binh" if unit == org.loc_binh else "bac-son"
    article = org.article(section, title=f"Bài của {name}")
    plan = SharePlan.objects.create(page=article, channel=channel)
    Publication.objects.create(
        page=article,
        channel=channel,
        plan=plan,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    return channel


def state(channel):
    """What a takeover would change: the row, its secret, its publications."""
    row = Channel.objects.get(pk=channel.pk)
    publications = Publication.objects.filter(channel_id=channel.pk)
    return (
        row.unit_id,
        row.name,
        row.credentials,
        row.status,
        row.connected_by_id,
        row.connected_at,
        sorted(publications.values_list("pk", "status", "publish_at")),
    )


def signed_in(org, client, role, unit_slug):
    unit = org.region if unit_slug == "region" else getattr(org, unit_slug)
    user = org.user(f"{role}.{unit_slug}", role, unit)
    client.force_login(user)
    return user


def vietnamese(message):
    with translation.override("vi"):
        return str(message())


def page_text(response):
    return response.content.decode()


@pytest.mark.parametrize("home", ["bac_son", "loc_binh"])
@pytest.mark.parametrize("role", [Role.EDITOR, Role.APPROVER])
class TestEditorsAndApprovers:
    def test_they_cannot_connect_nor_send_a_choice(self, org, flow, client, role, home):
        mine = existing_channel(org, flow, getattr(org, home), "Kênh của mình")
        theirs = existing_channel(org, flow, getattr(org, OTHER[home]), "Kênh khác")
        before = [state(mine), state(theirs)]
        signed_in(org, client, role, home)
        refused = client.get(reverse("publishing_connect", args=[flow.network]))
        # Wagtail answers a PermissionDenied in the admin with a redirect home.
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
        for channel in (mine, theirs):
            forged = flow.choose(channel.external_id, getattr(org, home))
            assert (forged.status_code, forged["Location"]) == (302, "/admin/")
        assert [state(mine), state(theirs)] == before
        assert Channel.objects.count() == 2


@pytest.mark.parametrize("home", ["bac_son", "loc_binh"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.LEAD])
class TestManagersAndLeadsOfADistrict:
    def test_a_new_page_becomes_a_channel_of_their_unit(
        self, org, flow, client, role, home
    ):
        user = signed_in(org, client, role, home)
        external_id, _ = flow.account("Kênh mới")
        flow.sign_in(external_id)
        response = flow.choose(external_id, getattr(org, home))
        assert response.status_code == 302
        channel = Channel.objects.get(external_id=external_id)
        assert (channel.unit, channel.connected_by) == (getattr(org, home), user)
        assert flow.token_of(channel) != OLD_TOKEN

    def test_their_units_channel_gets_fresh_credentials_and_stays(
        self, org, flow, client, role, home
    ):
        unit = getattr(org, home)
        channel = existing_channel(org, flow, unit, "Kênh của đơn vị")
        publications = state(channel)[-1]
        user = signed_in(org, client, role, home)
        flow.sign_in(channel.external_id)
        picker = client.get(flow.pick_url)
        field = picker.context["form"].fields[self.field_name(flow, channel)]
        assert list(field.queryset) == [unit]  # it stays in its unit
        assert f"Đã là kênh của {unit.label}" in page_text(picker)
        response = flow.choose(channel.external_id, unit)
        assert response.status_code == 302
        channel.refresh_from_db()
        assert (channel.unit, channel.connected_by) == (unit, user)
        assert flow.token_of(channel) != OLD_TOKEN
        assert state(channel)[-1] == publications

    def test_another_units_channel_is_shown_unavailable_and_refused(
        self, org, flow, client, role, home
    ):
        other = getattr(org, OTHER[home])
        channel = existing_channel(org, flow, other, "Kênh đơn vị bạn")
        before = state(channel)
        signed_in(org, client, role, home)
        flow.sign_in(channel.external_id)
        picker = client.get(flow.pick_url)
        name = self.field_name(flow, channel)
        assert picker.context["form"].fields[name].disabled
        shown = page_text(picker)
        assert f"Không thể chọn: đã là kênh của {other.label}" in shown
        # A choice sent anyway (a forged form), to their unit or to the owner's.
        for unit in (getattr(org, home), other):
            response = flow.choose(channel.external_id, unit)
            assert response.status_code == 200
            expected = vietnamese(lambda: not_yours_message(channel))
            assert response.context["form"].errors[name] == [expected]
            assert expected in page_text(response)
            assert "không quản lý" in expected
        assert state(channel) == before
        assert flow.token_of(Channel.objects.get(pk=channel.pk)) == OLD_TOKEN

    @staticmethod
    def field_name(flow, channel):
        return f"unit_{channel.external_id}" if flow.network == "facebook" else "unit"


class TestRegionLead:
    """A lead of the region may manage both districts' channels, yet a login never
    moves one from its district to the other."""

    def test_a_district_channel_is_refreshed_in_its_district(self, org, flow, client):
        channel = existing_channel(org, flow, org.loc_binh, "Kênh Lộc Bình")
        publications = state(channel)[-1]
        signed_in(org, client, Role.LEAD, "region")
        flow.sign_in(channel.external_id)
        assert flow.choose(channel.external_id, org.loc_binh).status_code == 302
        channel.refresh_from_db()
        assert channel.unit == org.loc_binh
        assert flow.token_of(channel) != OLD_TOKEN
        assert state(channel)[-1] == publications

    def test_a_district_channel_cannot_be_moved_to_another_unit(
        self, org, flow, client
    ):
        channel = existing_channel(org, flow, org.loc_binh, "Kênh Lộc Bình")
        before = state(channel)
        signed_in(org, client, Role.LEAD, "region")
        flow.sign_in(channel.external_id)
        name = TestManagersAndLeadsOfADistrict.field_name(flow, channel)
        picker = client.get(flow.pick_url)
        assert list(picker.context["form"].fields[name].queryset) == [org.loc_binh]
        for unit in (org.bac_son, org.region):
            response = flow.choose(channel.external_id, unit)
            assert response.status_code == 200
            expected = vietnamese(lambda: not_moved_message(channel))
            assert response.context["form"].errors[name] == [expected]
            assert expected in page_text(response)
        assert state(channel) == before


class TestConnectedMeanwhile:
    """The list was shown before another unit connected the Page or OA: the choice
    is checked again when it is sent."""

    def test_the_late_choice_is_refused_and_changes_nothing(self, org, flow, client):
        signed_in(org, client, Role.MANAGER, "bac_son")
        external_id, _ = flow.account("Kênh vừa được kết nối")
        flow.sign_in(external_id)
        assert client.get(flow.pick_url).status_code == 200
        channel = Channel(
            unit=org.loc_binh,
            network=flow.network,
            name="Kênh vừa được kết nối",
            external_id=external_id,
        )
        channel.set_credentials(flow.stale_credentials())
        channel.save()
        before = state(channel)
        response = flow.choose(external_id, org.bac_son)
        assert response.status_code == 200
        expected = vietnamese(lambda: not_yours_message(channel))
        assert expected in page_text(response)
        assert state(channel) == before


class TestConnectItself:
    """publishing.channels.connect.connect() refuses on its own, whatever called it."""

    @pytest.mark.parametrize("network", NETWORKS)
    def test_no_unit_change_without_rights_on_the_channel(self, org, network, sandbox):
        from publishing.channels.connect import ConnectError, connect

        channel = Channel(
            unit=org.loc_binh, network=network, name="Kênh", external_id="42"
        )
        channel.set_credentials({"page_token": OLD_TOKEN})
        channel.save()
        before = state(channel)
        manager = org.user("quanly.bacson", Role.MANAGER, org.bac_son)
        lead = org.user("lanhdao.khuvuc", Role.LEAD, org.region)
        for user, message in (
            (manager, not_yours_message),
            (lead, not_moved_message),
            (None, not_moved_message),
        ):
            with pytest.raises(ConnectError) as refused:
                connect(network, "42", "Kênh", org.bac_son, {"page_token": "x"}, user)
            assert refused.value.message == message(channel)
        assert state(channel) == before
        assert sandbox.calls() == []  # refused before asking the network
