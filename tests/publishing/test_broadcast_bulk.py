"""The bulk schedule's "Gửi người theo dõi" column: a Zalo row also sent to the
OA's followers, refused in the preview beyond the OA's monthly quota (the file's
earlier rows counted), naming the days used; nothing is saved."""

import datetime

import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Broadcast, Publication, ShareRequest
from tests.publishing.factories import TZ, at, make_channel
from tests.publishing.helpers import csv_file, login

pytestmark = pytest.mark.django_db

URL = reverse("publishing_bulk:index")
HEADER = "Bài viết,Kênh,Thời gian,Nội dung,Gửi người theo dõi\n"
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def world(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    zalo = make_channel(org.bac_son, "zalo", "OA Bắc Sơn", "3001")
    zalo.broadcasts_per_month = 2
    zalo.save()
    return {
        "zalo": zalo,
        "fb": make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001"),
        "a": org.article("bac-son", title="Hộ kinh doanh và BHXH"),
        "b": org.article("bac-son", title="Người quản lý HTX"),
        "c": org.article("bac-son", title="BHXH tự nguyện"),
    }


def sent_on(world, day):
    publication = Publication.objects.create(
        page=world["c"], channel=world["zalo"], publish_at=at(day, 8)
    )
    Broadcast.objects.create(publication=publication, send_at=at(day, 8))


def preview(client, rows):
    return client.post(URL, {"file": csv_file(HEADER + rows)})


def row_error(response, number, column="broadcast"):
    [row] = [r for r in response.context["result"].rows if r.number == number]
    return row.errors.get(column, "")


def test_a_row_beyond_the_quota_is_refused_with_the_days_used(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    sent_on(world, datetime.date(2026, 12, 3))
    a, b = world["a"].pk, world["b"].pk
    response = preview(
        client, f"{a},3001,10/12/2026 09:00,,có\n{b},3001,20/12/2026 09:00,,có\n"
    )
    assert not response.context["result"].ok
    assert row_error(response, 2) == ""
    error = row_error(response, 3)
    assert "không còn lượt gửi đến người theo dõi trong tháng 12/2026" in error
    assert "đã dùng: 03/12, 10/12" in error
    client.post(URL, {"token": response.context.get("token") or ""})  # refused
    assert not Publication.objects.filter(page=world["a"]).exists()
    assert Broadcast.objects.count() == 1


def test_a_row_within_the_quota_makes_its_broadcast(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    response = preview(client, f"{world['a'].pk},3001,10/12/2026 22:05,,có\n")
    assert response.context["result"].ok
    client.post(URL, {"token": response.context["token"]})
    [broadcast] = Broadcast.objects.all()
    assert broadcast.publication.page_id == world["a"].pk
    assert broadcast.send_at == at(datetime.date(2026, 12, 10), 22, 5)


def test_an_editors_row_with_broadcast_waits_for_approval(client, org, world):
    login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
    response = preview(client, f"{world['a'].pk},3001,10/12/2026 09:00,,có\n")
    client.post(URL, {"token": response.context["token"]})
    assert ShareRequest.objects.get().broadcast is True
    assert not Broadcast.objects.exists() and not Publication.objects.exists()


def test_facebook_rows_cannot_send_to_followers(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    response = preview(client, f"{world['a'].pk},1001,10/12/2026 09:00,,có\n")
    assert "Chỉ OA Zalo mới gửi được bài đến người theo dõi" in row_error(response, 2)
