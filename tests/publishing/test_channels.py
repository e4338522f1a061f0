"""Channels in the admin: connect by login (both networks), paste a token, check now.

Everything goes over real HTTP to the sandbox; the browser's part (the network's
dialog) is played by `requests`, posting the dialog's own form.
"""

import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.channels.views import connect as connect_views
from publishing.models import Channel, ChannelStatus
from tests.publishing.helpers import decide, local_path, start_facebook


@pytest.fixture
def manager(org, client):
    user = org.user("quanly.bacson", Role.MANAGER, org.bac_son)
    client.force_login(user)
    return user


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


class TestFacebookLogin:
    def test_the_manager_picks_pages_and_they_become_channels(
        self, sandbox, org, client, manager
    ):
        first = sandbox.facebook_page("BHXH Bắc Sơn", followers=1200)
        sandbox.facebook_page("Trang cá nhân khác")
        dialog = start_facebook(client)
        assert dialog.startswith(sandbox.url)
        callback = decide(dialog)
        response = client.get(local_path(callback))
        assert response["Location"] == reverse(
            "publishing_connect_pick", args=["facebook"]
        )
        picker = client.get(response["Location"])
        html = picker.content.decode()
        assert "BHXH Bắc Sơn" in html and "Trang cá nhân khác" in html
        assert first["page_token"] not in html
        response = client.post(
            reverse("publishing_connect_pick", args=["facebook"]),
            {f"unit_{first['id']}": org.bac_son.pk},
            follow=True,
        )
        channel = Channel.objects.get()
        assert (channel.external_id, channel.unit) == (first["id"], org.bac_son)
        assert channel.status == ChannelStatus.ACTIVE
        assert channel.followers == 1200
        assert channel.connected_by == manager
        assert channel.get_credentials()["page_token"] == first["page_token"]
        assert first["page_token"] not in channel.credentials
        assert first["page_token"] not in response.content.decode()

    def test_a_replayed_callback_is_refused(self, sandbox, org, client, manager):
        sandbox.facebook_page("BHXH Bắc Sơn")
        callback = decide(start_facebook(client))
        client.get(local_path(callback))
        again = client.get(local_path(callback), follow=True)
        assert str(connect_views._forged_message()) in messages_of(again)

    def test_a_forged_state_is_refused_before_any_exchange(
        self, sandbox, client, manager
    ):
        sandbox.facebook_page("BHXH Bắc Sơn")
        callback = decide(start_facebook(client))
        parts = urlsplit(callback)
        query = dict(parse_qsl(parts.query), state="gia-mao")
        forged = reverse("publishing_connect_callback", args=["facebook"])
        response = client.get(forged, query, follow=True)
        assert str(connect_views._forged_message()) in messages_of(response)
        assert sandbox.calls("facebook", "token") == []
        assert not Channel.objects.exists()

    def test_a_refusal_is_explained(self, sandbox, client, manager):
        callback = decide(start_facebook(client), decision="deny")
        response = client.get(local_path(callback), follow=True)
        assert str(connect_views._denied_message("Facebook")) in messages_of(response)
        assert not Channel.objects.exists()

    def test_a_unit_the_manager_does_not_hold_cannot_be_chosen(
        self, sandbox, org, client, manager
    ):
        page = sandbox.facebook_page("BHXH Lộc Bình")
        client.get(local_path(decide(start_facebook(client))))
        response = client.post(
            reverse("publishing_connect_pick", args=["facebook"]),
            {f"unit_{page['id']}": org.loc_binh.pk},
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not Channel.objects.exists()


class TestZaloLogin:
    def test_the_manager_connects_an_oa(self, sandbox, org, client, manager):
        oa = sandbox.zalo_oa("BHXH Bắc Sơn Zalo", followers=800)
        response = client.get(reverse("publishing_connect", args=["zalo"]))
        dialog = response["Location"]
        assert dialog.startswith(sandbox.url) and "code_challenge=" in dialog
        callback = decide(dialog, oa_id=oa["id"])
        response = client.get(local_path(callback))
        assert response["Location"] == reverse("publishing_connect_pick", args=["zalo"])
        client.post(
            reverse("publishing_connect_pick", args=["zalo"]), {"unit": org.bac_son.pk}
        )
        channel = Channel.objects.get()
        assert (channel.network, channel.external_id) == ("zalo", oa["id"])
        assert channel.status == ChannelStatus.ACTIVE
        assert channel.followers == 800
        credentials = channel.get_credentials()
        assert credentials["access_token"] and credentials["refresh_token"]
        assert credentials["access_token"] not in channel.credentials

    def test_a_replayed_zalo_callback_is_refused(self, sandbox, org, client, manager):
        oa = sandbox.zalo_oa("BHXH Bắc Sơn Zalo")
        dialog = client.get(reverse("publishing_connect", args=["zalo"]))["Location"]
        callback = decide(dialog, oa_id=oa["id"])
        client.get(local_path(callback))
        again = client.get(local_path(callback), follow=True)
        assert str(connect_views._forged_message()) in messages_of(again)


class TestRights:
    def test_an_editor_sees_channels_but_cannot_connect_or_check(
        self, sandbox, org, client
    ):
        editor = org.user("bientap", Role.EDITOR, org.bac_son)
        client.force_login(editor)
        index = client.get(reverse("publishing_channels:index"))
        assert index.status_code == 200
        assert (
            reverse("publishing_connect", args=["facebook"])
            not in index.content.decode()
        )
        refused = client.get(reverse("publishing_connect", args=["facebook"]))
        # Wagtail answers a PermissionDenied in the admin with a redirect home.
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
        assert "connect_facebook_login" not in client.session
        channel = Channel.objects.create(
            unit=org.bac_son, network="facebook", name="BHXH", external_id="1"
        )
        check = reverse("publishing_channels:check", args=(channel.pk,))
        refused = client.post(check)
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
        channel.refresh_from_db()
        assert channel.checked_at is None

    def test_channels_of_other_units_are_not_listed(self, org, client, manager):
        Channel.objects.create(
            unit=org.loc_binh, network="facebook", name="BHXH Lộc Bình", external_id="9"
        )
        index = client.get(reverse("publishing_channels:index"))
        assert "BHXH Lộc Bình" not in index.content.decode()

    def test_another_units_channel_cannot_be_opened_changed_or_deleted(
        self, org, client, manager
    ):
        """Direct URLs and forged POSTs: Wagtail's generic views check only "may
        change some channel"; ours check the channel's unit (a 404, nothing
        changed)."""
        other = Channel.objects.create(
            unit=org.loc_binh, network="facebook", name="BHXH Lộc Bình", external_id="9"
        )
        for name in ("edit", "delete", "history"):
            url = reverse(f"publishing_channels:{name}", args=(other.pk,))
            assert client.get(url).status_code == 404, name
        edit = reverse("publishing_channels:edit", args=(other.pk,))
        form = {
            "unit": org.loc_binh.pk,
            "network": "facebook",
            "name": "Đã bị sửa",
            "external_id": "9",
            "status": "active",
        }
        assert client.post(edit, form).status_code == 404
        delete = reverse("publishing_channels:delete", args=(other.pk,))
        assert client.post(delete).status_code == 404
        other.refresh_from_db()
        assert other.name == "BHXH Lộc Bình"
        # An editor of the unit sees its channels but may not change them.
        client.force_login(org.user("bt.locbinh", Role.EDITOR, org.loc_binh))
        assert client.get(edit).status_code in (302, 403)
        assert client.post(delete).status_code in (302, 403)
        assert Channel.objects.filter(pk=other.pk).exists()


class TestPastedToken:
    def add(self, client, org, **fields):
        data = {
            "unit": org.bac_son.pk,
            "network": "facebook",
            "name": "BHXH Bắc Sơn",
            "status": "active",
            **fields,
        }
        return client.post(reverse("publishing_channels:add"), data)

    def test_a_page_token_is_verified_then_stored_encrypted(
        self, sandbox, org, client, manager
    ):
        page = sandbox.facebook_page("BHXH Bắc Sơn", followers=50)
        response = self.add(
            client, org, external_id=page["id"], token=page["page_token"]
        )
        assert response.status_code == 302
        channel = Channel.objects.get()
        assert channel.get_credentials() == {"page_token": page["page_token"]}
        edit = client.get(reverse("publishing_channels:edit", args=(channel.pk,)))
        assert page["page_token"] not in edit.content.decode()

    def test_a_user_token_is_refused_with_a_clear_message(
        self, sandbox, org, client, manager
    ):
        page = sandbox.facebook_page("BHXH Bắc Sơn")
        response = self.add(
            client, org, external_id=page["id"], token=page["user_token"]
        )
        assert response.status_code == 200
        errors = response.context["form"].errors["token"]
        assert errors and page["user_token"] not in " ".join(errors)
        assert not Channel.objects.exists()

    def test_a_zalo_refresh_token_is_exchanged_once(
        self, sandbox, org, client, manager
    ):
        oa = sandbox.zalo_oa("BHXH Bắc Sơn Zalo")
        response = self.add(
            client,
            org,
            network="zalo",
            external_id=oa["id"],
            token=oa["refresh_token"],
        )
        assert response.status_code == 302, response.context["form"].errors
        stored = Channel.objects.get().get_credentials()
        assert stored["refresh_token"] != oa["refresh_token"]  # single use: replaced


class TestCheckNow:
    def test_a_revoked_token_marks_the_channel_for_reconnecting(
        self, sandbox, org, client, manager, caplog
    ):
        page = sandbox.facebook_page("BHXH Bắc Sơn")
        channel = Channel(
            unit=org.bac_son, network="facebook", name="BHXH", external_id=page["id"]
        )
        channel.set_credentials({"page_token": page["page_token"]})
        channel.save()
        sandbox.control("tokens/revoke", {"token": page["page_token"]})
        with caplog.at_level(logging.DEBUG):
            response = client.post(
                reverse("publishing_channels:check", args=(channel.pk,)), follow=True
            )
        channel.refresh_from_db()
        assert channel.status == ChannelStatus.NEEDS_RECONNECT
        assert channel.status_reason and channel.checked_at
        page_html = response.content.decode()
        assert channel.status_reason in page_html or "status" in page_html
        assert page["page_token"] not in page_html
        assert all(page["page_token"] not in r.getMessage() for r in caplog.records)
