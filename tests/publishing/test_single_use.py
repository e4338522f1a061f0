"""A confirmation saves once, whatever the clicks: parallel or repeated confirms of
one bulk preview or one "Chia sẻ lại" form make one set of shares, the others are
told "Đã xác nhận rồi"; a share that repeats one already there (same article and
channel within an hour) is shown first, and saved only on "Vẫn lên lịch"."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Confirmation, Publication, PublicationStatus
from publishing.planning import bulk
from publishing.planning.views import requests as request_views
from tests.publishing.concurrency import CLICKS, all_at_once, meet_before
from tests.publishing.factories import make_channel
from tests.publishing.helpers import csv_file, login, text

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=LOCAL)
BULK = reverse("publishing_bulk:index")
HEADER = "Bài viết,Kênh,Thời gian,Nội dung\n"
ALREADY = "Đã xác nhận rồi"


@pytest.fixture
def world(org):
    return {
        "fb": make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001"),
        "fb2": make_channel(
            org.bac_son, "facebook", "Trang Thanh niên Bắc Sơn", "1002"
        ),
        "article": org.article("bac-son", title="Hộ kinh doanh và BHXH"),
    }


def share_again_url(page):
    return reverse("publishing_share_again", args=(page.pk,))


def existing(world, at, round=1):
    return Publication.objects.create(
        page=world["article"],
        channel=world["fb"],
        round=round,
        publish_at=at,
        status=PublicationStatus.SCHEDULED,
    )


def one_saved_the_others_already(results, saved):
    assert [status for status, _said in results] == [302] * CLICKS, results
    winners = [m for _s, m in results if any(saved in text for text in m)]
    others = [m for _s, m in results if any(ALREADY in text for text in m)]
    assert (len(winners), len(others)) == (1, CLICKS - 1), results


class TestParallelClicks:
    def test_five_parallel_confirms_of_one_bulk_preview_make_one_set(
        self, client, org, world, threads_db, monkeypatch, time_machine
    ):
        time_machine.move_to(NOW)
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        article = world["article"]
        preview = client.post(
            BULK,
            {
                "file": csv_file(
                    HEADER + f"{article.pk},1001,12/03/2027 07:30,\n"
                    f"{article.pk},1002,12/03/2027 18:00,\n"
                )
            },
        )
        assert preview.context["result"].ok
        threads_db()
        meet_before(monkeypatch, bulk, "check")
        results = all_at_once(client, BULK, {"token": preview.context["token"]})
        one_saved_the_others_already(results, "Đã lên lịch 2")
        assert Publication.objects.count() == 2
        assert sorted(Publication.objects.values_list("channel__external_id")) == [
            ("1001",),
            ("1002",),
        ]

    def test_five_parallel_share_again_clicks_make_one_share(
        self, client, org, world, threads_db, monkeypatch, time_machine
    ):
        time_machine.move_to(NOW)
        article = world["article"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        form = client.get(share_again_url(article))
        threads_db()
        meet_before(monkeypatch, request_views.ShareAgainForm, "clean")
        results = all_at_once(
            client,
            share_again_url(article),
            {
                "channels": [world["fb"].pk],
                "message": "",
                "publish_at": "2027-03-11 08:00",
                "token": form.context.get("token", ""),  # (none before the fix)
            },
        )
        one_saved_the_others_already(results, "Đã chia sẻ lại")
        assert Publication.objects.count() == 1


# Repeated clicks ---------------------------------------------------------------
@pytest.mark.django_db
class TestRepeatedClicks:
    @pytest.fixture(autouse=True)
    def clock(self, time_machine):
        time_machine.move_to(NOW, tick=False)

    def test_a_second_confirm_of_one_preview_saves_nothing_and_says_so(
        self, client, org, world
    ):
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        row = f"{world['article'].pk},1001,12/03/2027 07:30,\n"
        preview = client.post(BULK, {"file": csv_file(HEADER + row)})
        token = preview.context["token"]
        first = client.post(BULK, {"token": token})
        again = client.post(BULK, {"token": token}, follow=True)
        assert first.status_code == 302
        assert Publication.objects.count() == 1
        assert ALREADY in text(again)
        assert again.redirect_chain[-1][0] == reverse("publishing_publications:index")

    def test_an_unknown_token_saves_nothing(self, client, org, world):
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        response = client.post(BULK, {"token": "gia-mao"}, follow=True)
        assert "Xác nhận này đã hết hạn" in text(response)
        assert not Publication.objects.exists()

    def test_another_persons_token_is_not_theirs(self, client, org, world):
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        row = f"{world['article'].pk},1001,12/03/2027 07:30,\n"
        token = client.post(BULK, {"file": csv_file(HEADER + row)}).context["token"]
        login(client, org.user("dt2.bacson", Role.APPROVER, org.bac_son), "vi")
        client.post(BULK, {"token": token})
        assert not Publication.objects.exists()
        assert Confirmation.objects.get(token=token).used_at is None

    def test_share_again_sent_twice_with_one_form_shares_once(self, client, org, world):
        article = world["article"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        token = client.get(share_again_url(article)).context["token"]
        data = {
            "channels": [world["fb"].pk],
            "publish_at": "2027-03-11 08:00",
            "token": token,
        }
        client.post(share_again_url(article), data)
        again = client.post(share_again_url(article), data, follow=True)
        assert Publication.objects.count() == 1
        assert ALREADY in text(again)


# What already exists -----------------------------------------------------------
@pytest.mark.django_db
class TestAlreadyScheduled:
    @pytest.fixture(autouse=True)
    def clock(self, time_machine):
        time_machine.move_to(NOW, tick=False)

    def test_the_bulk_preview_shows_a_repeat_and_saves_it_only_when_asked(
        self, client, org, world
    ):
        existing(world, datetime.datetime(2027, 3, 12, 7, 0, tzinfo=LOCAL))
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        article = world["article"]
        preview = client.post(
            BULK,
            {
                "file": csv_file(
                    HEADER + f"{article.pk},1001,12/03/2027 07:30,\n"  # 30 min later
                    f"{article.pk},1002,12/03/2027 07:30,\n"  # another channel
                )
            },
        )
        page = text(preview)
        assert "1 dòng lặp lại một lượt chia sẻ đã có" in page
        assert "Bài viết này đã có trên kênh này: đã lên lịch lúc 07:00 12/03/2027" in (
            page
        )
        assert "Vẫn lên lịch" in page and "Xác nhận và lên lịch" not in page
        token = preview.context["token"]
        plain = client.post(BULK, {"token": token})  # without "Vẫn lên lịch"
        assert plain.status_code == 200
        assert "Chưa lưu gì" in text(plain)
        assert Publication.objects.count() == 1
        client.post(BULK, {"token": token, "go_on": "1"})
        assert Publication.objects.count() == 3

    def test_bulk_rows_an_hour_away_or_cancelled_ones_are_no_repeat(
        self, client, org, world
    ):
        cancelled = existing(world, datetime.datetime(2027, 3, 12, 7, 30, tzinfo=LOCAL))
        cancelled.status = PublicationStatus.CANCELLED
        cancelled.save()
        existing(world, datetime.datetime(2027, 3, 12, 6, 29, tzinfo=LOCAL), round=2)
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        row = f"{world['article'].pk},1001,12/03/2027 07:30,\n"
        preview = client.post(BULK, {"file": csv_file(HEADER + row)})
        assert "Vẫn lên lịch" not in text(preview)
        assert "Xác nhận và lên lịch" in text(preview)

    def test_share_again_twice_warns_and_goes_on_when_asked(self, client, org, world):
        article = world["article"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        data = {"channels": [world["fb"].pk], "publish_at": "2027-03-11 08:00"}
        for _click in range(2):  # two forms opened, each sent once
            token = client.get(share_again_url(article)).context["token"]
            response = client.post(share_again_url(article), {**data, "token": token})
        assert response.status_code == 200
        page = text(response)
        assert "bài viết này đã có trên các kênh này" in page
        assert "Trang Bắc Sơn: Đã lên lịch, 08:00 11/03/2027" in page
        assert Publication.objects.count() == 1
        client.post(share_again_url(article), {**data, "token": token, "go_on": "1"})
        assert Publication.objects.count() == 2
