"""The bulk file as people fill it in: the kinds of post in the editor's Vietnamese
words (or English), the template's example row from the person's own articles and
channels, and the list of what was just scheduled after confirming."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Publication
from tests.publishing.factories import TZ, make_channel
from tests.publishing.helpers import csv_file, login

pytestmark = pytest.mark.django_db

URL = reverse("publishing_bulk:index")
HEADER = "Bài viết,Kênh,Thời gian,Nội dung,Loại bài\n"
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def world(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    return {
        "fb": make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001"),
        "zalo": make_channel(org.bac_son, "zalo", "OA Bắc Sơn", "3001"),
        "a": org.article("bac-son", title="Hộ kinh doanh và BHXH"),
        "b": org.article("bac-son", title="Người quản lý HTX"),
        "c": org.article("bac-son", title="BHXH tự nguyện"),
    }


def preview(client, rows):
    return client.post(URL, {"file": csv_file(HEADER + rows)})


def errors(response):
    return {(n, h): m for n, h, m in response.context["error_lines"]}


def test_kinds_in_the_editors_words_or_english_are_scheduled(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    a, b, c = world["a"].pk, world["b"].pk, world["c"].pk
    response = preview(
        client,
        f"{a},Trang Bắc Sơn,10/12/2026 09:00,,Liên kết\n"
        f"{b},Trang Bắc Sơn,10/12/2026 10:00,,  lien KET \n"
        f"{c},Trang Bắc Sơn,10/12/2026 11:00,,NHIỀU ẢNH\n"
        f"{a},OA Bắc Sơn,10/12/2026 12:00,,bài viết\n"
        f"{b},OA Bắc Sơn,10/12/2026 13:00,,article\n",
    )
    assert response.context["result"].ok, response.context["error_lines"]
    client.post(URL, {"token": response.context["token"]})
    kinds = {
        (p.page_id, p.channel.network): p.kind
        for p in Publication.objects.select_related("channel")
    }
    assert kinds == {
        (a, "facebook"): "link",
        (b, "facebook"): "link",
        (c, "facebook"): "photos",
        (a, "zalo"): "article",
        (b, "zalo"): "article",
    }


@pytest.mark.parametrize(
    "channel, kind, expected",
    [
        (
            "Trang Bắc Sơn",
            "reel",
            "“reel” không phải loại bài đăng trên Trang Facebook: ghi Liên kết, "
            "Ảnh, Nhiều ảnh, Video (hoặc link, photo, photos, video), hoặc để trống.",
        ),
        (
            "OA Bắc Sơn",
            "Ảnh",
            "“Ảnh” không phải loại bài đăng trên Zalo OA: ghi Bài viết, Video "
            "(hoặc article, video), hoặc để trống.",
        ),
    ],
)
def test_an_unknown_kind_names_the_words_accepted(
    client, org, world, channel, kind, expected
):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    response = preview(client, f"{world['a'].pk},{channel},10/12/2026 09:00,,{kind}\n")
    assert errors(response) == {(2, "Loại bài"): expected}
    assert expected in response.content.decode()
    client.post(URL, {"token": response.context["token"]})
    assert not Publication.objects.exists()


def test_a_video_row_without_a_video_says_what_to_do(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    response = preview(
        client, f"{world['a'].pk},Trang Bắc Sơn,10/12/2026 09:00,,Video\n"
    )
    assert errors(response) == {
        (2, ""): "Chưa có video để đăng: hãy chọn một video trong thư viện, hoặc "
        "đặt video tiêu biểu cho bài viết."
    }
    client.post(URL, {"token": response.context["token"]})
    assert not Publication.objects.exists()


def template(client, fmt="csv"):
    response = client.get(reverse("publishing_bulk:template", args=(fmt,)))
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[c.value or "" for c in row] for row in book.active.iter_rows()]


def test_the_templates_row_is_the_persons_own_article_and_channel(client, org, world):
    login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
    world["fb"].posting_slots = "07:30, 20:00"
    world["fb"].save()
    newest = world["c"]
    for fmt in ("csv", "xlsx"):
        header, row = template(client, fmt)
        assert row == [
            newest.full_url,
            "Trang Bắc Sơn",
            "01/12/2026 20:00",
            "",
            "Liên kết",
            "",
        ]
    page = client.get(URL).content.decode()
    assert (
        "Dòng ví dụ trong tệp chia sẻ bài viết “BHXH tự nguyện” của bạn lên kênh "
        "“Trang Bắc Sơn” của bạn" in page
    )
    # Uploaded as it is, the row is scheduled.
    response = client.post(
        URL, {"file": csv_file(",".join(header) + "\n" + ",".join(row) + "\n")}
    )
    assert response.context["result"].ok, response.context["error_lines"]
    assert response.context["scheduled"] == 1


def test_someone_without_a_channel_gets_a_note_not_a_made_up_row(client, org, world):
    login(client, org.user("bt", Role.EDITOR, org.loc_binh), "vi")
    note = (
        "(Bạn chưa có kênh nào để lên lịch chia sẻ: hãy nhờ quản lý đơn vị kết nối "
        "một kênh.)"
    )
    assert template(client)[1] == [note]
    assert note in client.get(URL).content.decode()


def test_confirming_lands_on_the_list_of_what_was_just_scheduled(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    older = Publication.objects.create(
        page=world["c"], channel=world["fb"], publish_at=NOW + datetime.timedelta(1)
    )
    a, b = world["a"].pk, world["b"].pk
    response = preview(
        client,
        f"{a},Trang Bắc Sơn,10/12/2026 09:00,,\n{b},OA Bắc Sơn,10/12/2026 10:00,,\n",
    )
    done = client.post(URL, {"token": response.context["token"]})
    made = sorted(Publication.objects.exclude(pk=older.pk).values_list("pk", flat=True))
    assert done.url == (
        reverse("publishing_publications:index") + f"?ids={made[0]}-{made[1]}"
    )
    listing = client.get(done.url)
    assert sorted(p.pk for p in listing.context["object_list"]) == made
    page = listing.content.decode()
    assert "Vừa lên lịch:" in page and '<b class="w-ml-1">2 bài đăng</b>' in page
    # The pill removes the filter: the older post is listed again.
    [pill] = listing.context["active_filters"]
    again = client.get(pill.removed_filter_url)
    assert older.pk in [p.pk for p in again.context["object_list"]]


def test_a_wrong_list_of_numbers_is_refused_in_vietnamese(client, org, world):
    login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
    Publication.objects.create(page=world["a"], channel=world["fb"], publish_at=NOW)
    listing = client.get(reverse("publishing_publications:index") + "?ids=1-x")
    assert "Ghi số của bài đăng hoặc khoảng số, ví dụ 12-40, 45." in (
        listing.content.decode()
    )
    assert not listing.context.get("active_filters")
