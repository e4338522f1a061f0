"""Zalo's targeting codes: seeded unconfirmed by the migration (gender 0-2, age
bands 0-7, the 63 former provinces 0-62), edited by administrators only."""

import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.models import BroadcastTarget, TargetKind

pytestmark = pytest.mark.django_db


def target(key, kind=TargetKind.PROVINCE):
    return BroadcastTarget.objects.get(kind=kind, key=key)


def edit_data(row, **changes):
    data = {
        "name": row.name,
        "code": row.code,
        "note": row.note,
        "sort_order": row.sort_order,
    }
    if row.confirmed:
        data["confirmed"] = "on"
    data.update(changes)
    return data


class TestSeeded:
    def test_every_code_is_there_and_unconfirmed(self):
        rows = BroadcastTarget.objects.all()
        counts = {kind: rows.filter(kind=kind).count() for kind in TargetKind.values}
        assert counts == {"gender": 3, "age": 8, "province": 63}
        assert not rows.filter(confirmed=True).exists()
        provinces = rows.filter(kind=TargetKind.PROVINCE)
        assert sorted(provinces.values_list("code", flat=True)) == list(range(63))
        assert [t.code for t in rows.filter(kind=TargetKind.AGE)] == list(range(8))
        assert target("all", TargetKind.GENDER).code == 0

    def test_lang_son_is_to_check_at_the_first_real_broadcast(self):
        lang_son = target("lang-son")
        assert (lang_son.name, lang_son.code) == ("Lạng Sơn", 58)
        assert "Kiểm tra ở lần gửi thật đầu tiên" in lang_son.note


class TestAdministratorsOnly:
    def test_an_administrator_corrects_a_code(self, client, org):
        client.force_login(org.user("quantri", superuser=True))
        index = client.get(reverse("publishing_targets:index"))
        assert index.status_code == 200 and "Lạng Sơn" in index.content.decode()
        row = target("lang-son")
        url = reverse("publishing_targets:edit", args=(row.pk,))
        response = client.post(url, edit_data(row, code=58, confirmed="on"))
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.confirmed is True

    def test_a_code_taken_by_another_province_is_refused(self, client, org):
        client.force_login(org.user("quantri", superuser=True))
        row = target("lang-son")
        url = reverse("publishing_targets:edit", args=(row.pk,))
        response = client.post(url, edit_data(row, code=9))
        assert response.status_code == 200
        assert "Mã 9 đã thuộc về Hà Nội" in response.content.decode()
        row.refresh_from_db()
        assert row.code == 58

    @pytest.mark.parametrize("role", [Role.EDITOR, Role.MANAGER, Role.LEAD])
    def test_no_one_else_sees_or_changes_it(self, client, org, role):
        client.force_login(org.user(f"u-{role}", role, org.region))
        assert client.get(reverse("publishing_targets:index")).status_code in (
            302,
            403,
        )
        row = target("lang-son")
        url = reverse("publishing_targets:edit", args=(row.pk,))
        response = client.post(url, edit_data(row, code=62))
        assert response.status_code in (302, 403)
        row.refresh_from_db()
        assert row.code == 58

    def test_rows_are_not_added_here(self, client, org):
        client.force_login(org.user("quantri", superuser=True))
        response = client.get(reverse("publishing_targets:add"))
        assert response.status_code in (302, 403)
