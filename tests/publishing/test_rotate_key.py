"""`manage.py rotate_encryption_key`: FIELD_ENCRYPTION_KEY rotation, all or nothing."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from publishing import crypto
from publishing.models import Channel

OLD, NEW, LOST = (Fernet.generate_key().decode() for _ in range(3))


def channel(org, n, credentials, key):
    with override_settings(FIELD_ENCRYPTION_KEY=key):
        item = Channel(
            unit=org.bac_son, network="zalo", name=f"OA {n}", external_id=f"oa-{n}"
        )
        item.set_credentials(credentials)
        item.save()
    return item


def stored(item):
    return Channel.objects.values_list("credentials", flat=True).get(pk=item.pk)


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_encryption_key", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestRotation:
    def test_every_credential_moves_to_the_new_key(self, org):
        first = channel(org, 1, {"access_token": "a1", "refresh_token": "r1"}, OLD)
        second = channel(org, 2, {"access_token": "a2", "refresh_token": "r2"}, OLD)
        empty = Channel.objects.create(
            unit=org.bac_son, network="zalo", name="OA 3", external_id="oa-3"
        )
        before = stored(first)
        with override_settings(FIELD_ENCRYPTION_KEY=f"{NEW},{OLD}"):
            assert "của 2 kênh" in rotate()
        assert stored(first) != before and stored(empty) == ""
        # The old key can go: everything reads with the new one alone.
        with override_settings(FIELD_ENCRYPTION_KEY=NEW):
            assert "2 kênh: mọi thông tin đăng nhập giải mã được" in rotate("--check")
            assert Channel.objects.get(pk=first.pk).get_credentials() == {
                "access_token": "a1",
                "refresh_token": "r1",
            }
            assert crypto.decrypt(stored(second))["refresh_token"] == "r2"
        with (
            override_settings(FIELD_ENCRYPTION_KEY=OLD),
            pytest.raises(crypto.CredentialsUnreadable),
        ):
            Channel.objects.get(pk=first.pk).get_credentials()

    def test_one_unreadable_credential_changes_nothing(self, org):
        readable = channel(org, 1, {"page_token": "p1"}, OLD)
        lost = channel(org, 2, {"page_token": "p2"}, LOST)
        before = {item.pk: stored(item) for item in (readable, lost)}
        with (
            override_settings(FIELD_ENCRYPTION_KEY=f"{NEW},{OLD}"),
            pytest.raises(CommandError) as refused,
        ):
            rotate()
        message = str(refused.value)
        assert "1 kênh không giải mã được" in message and "OA 2" in message
        assert "Chưa ghi gì" in message and "p2" not in message
        assert {item.pk: stored(item) for item in (readable, lost)} == before

    def test_check_after_dropping_the_old_key_too_soon_names_the_channels(self, org):
        item = channel(org, 1, {"page_token": "p1"}, OLD)
        with (
            override_settings(FIELD_ENCRYPTION_KEY=NEW),
            pytest.raises(CommandError, match=f"#{item.pk} Zalo · OA 1 · Bắc Sơn"),
        ):
            rotate("--check")
