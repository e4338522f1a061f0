"""Bulk scheduling from CSV or XLSX: preview with every row checked, all or nothing,
an editor's own texts wait for an approver, rights checked per row."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.core.models import Role
from publishing.models import Publication, ShareRequest
from tests.publishing.factories import make_channel
from tests.publishing.helpers import csv_file, login

URL = reverse("publishing_bulk:index")
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = "Bài viết,Kênh,Thời gian,Nội dung\n"
pytestmark = pytest.mark.django_db


def upload(client, upload_file):
    return client.post(URL, {"file": upload_file})


def confirm(client, preview):
    token = preview.context["token"]
    return client.post(URL, {"token": token})


def when(days, hour=8, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


@pytest.fixture
def world(org):
    return {
        "fb": make_channel(
            org.bac_son,
            "facebook",
            "Trang Bắc Sơn",
            "1001",
            posting_slots="06:00, 18:00",
        ),
        "fb2": make_channel(
            org.bac_son, "facebook", "Trang Thanh niên Bắc Sơn", "1002"
        ),
        "other": make_channel(org.loc_binh, "facebook", "Trang Lộc Bình", "2001"),
        "article": org.article("bac-son", title="Hộ kinh doanh và BHXH"),
        "second": org.article("bac-son", title="Người quản lý HTX"),
    }


def test_an_approver_schedules_every_row_after_the_preview(client, org, world):
    approver = login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    article, second = world["article"], world["second"]
    at = when(3, 7, 30)
    text = HEADER + (
        f"{article.pk},Trang Bắc Sơn,{at:%d/%m/%Y %H:%M},\n"
        f"{article.url},1002,,Đọc ngay: {{title}} {{url}}\n"
        f"/admin/pages/{second.pk}/edit/,trang bắc sơn,,\n"
    )
    preview = upload(client, csv_file(text))
    assert preview.status_code == 200
    assert preview.context["result"].ok, preview.context["error_lines"]
    assert (preview.context["scheduled"], preview.context["waits"]) == (3, 0)
    assert not Publication.objects.exists()  # nothing before confirming

    done = confirm(client, preview)
    assert done.status_code == 302
    made = {
        (p.page_id, p.channel_id): p
        for p in Publication.objects.filter(channel__unit=org.bac_son)
    }
    assert len(made) == 3
    assert made[(article.pk, world["fb"].pk)].publish_at == at
    assert made[(article.pk, world["fb2"].pk)].message == "Đọc ngay: {title} {url}"
    # No time on a channel with posting times: its next free slot.
    slot = made[(second.pk, world["fb"].pk)].publish_at
    assert timezone.localtime(slot, LOCAL).strftime("%H:%M") in ("06:00", "18:00")
    assert slot > timezone.now()
    # The article's history says who planned them.
    assert article.get_latest_revision() is not None
    from wagtail.models import PageLogEntry

    assert (
        PageLogEntry.objects.filter(
            page=article, action="publishing.plan", user=approver
        ).count()
        == 2
    )


def test_an_editors_own_text_waits_for_an_approver(client, org, world):
    login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
    article = world["article"]
    text = HEADER + (
        f"{article.pk},Trang Bắc Sơn,,\n"
        f"{article.pk},Trang Thanh niên Bắc Sơn,,Tin mới: {{title}}\n"
    )
    preview = upload(client, csv_file(text))
    assert (preview.context["scheduled"], preview.context["waits"]) == (1, 1)
    confirm(client, preview)
    assert Publication.objects.get().channel == world["fb"]
    request = ShareRequest.objects.get()
    assert (request.channel, request.message) == (world["fb2"], "Tin mới: {title}")


def test_an_xlsx_file_is_read_the_same(client, org, world):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    book = openpyxl.Workbook()
    book.active.append(["Article", "Channel", "Time"])
    at = when(2, 20, 0)
    book.active.append([world["article"].pk, "Trang Bắc Sơn", at.replace(tzinfo=None)])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, SimpleUploadedFile("lich.xlsx", buffer.getvalue()))
    assert preview.context["result"].ok, preview.context["error_lines"]
    confirm(client, preview)
    assert Publication.objects.get().publish_at == at  # a date-and-time cell


@pytest.mark.parametrize(
    "row, column, message",
    [
        ("999999,Trang Bắc Sơn,,", "Bài viết", "No published article"),
        ("{article},Trang Lộc Bình,,", "Kênh", "No channel"),  # another unit's
        ("{article},Không có,,", "Kênh", "No channel"),
        ("{article},Trang Bắc Sơn,01/01/2020 08:00,", "Thời gian", "in the past"),
        ("{article},Trang Bắc Sơn,ngày mai,", "Thời gian", "not a date and time"),
        ("{article},Trang Bắc Sơn,,Xem {{link}}", "Nội dung", "unknown placeholder"),
        ("{article},Trang Bắc Sơn,,\n{article},trang bắc sơn,,", "Kênh", "Row 3"),
    ],
)
def test_a_bad_row_saves_nothing_and_is_named(client, org, world, row, column, message):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    good = f"{world['second'].pk},Trang Bắc Sơn,,\n"
    text = HEADER + good + row.format(article=world["article"].pk) + "\n"
    preview = upload(client, csv_file(text))
    assert not preview.context["result"].ok
    lines = [(h, m) for _n, h, m in preview.context["error_lines"]]
    assert any(h == column and message in m for h, m in lines), lines
    # Confirming the token anyway (a forged POST) saves nothing either.
    confirm(client, preview)
    assert not Publication.objects.exists()
    assert not ShareRequest.objects.exists()


def test_wrong_columns_and_files_are_refused(client, org, world):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    preview = upload(client, csv_file("Bài viết,Kênh,Ghi chú\n1,2,3\n"))
    errors = preview.context["result"].header_errors
    assert any("Ghi chú" in e for e in errors)
    preview = upload(client, csv_file("Kênh\nTrang Bắc Sơn\n"))
    assert any("Bài viết" in e for e in preview.context["result"].header_errors)
    response = upload(client, SimpleUploadedFile("lich.pdf", b"%PDF-1.4"))
    assert "CSV" in response.context["form"].errors["file"][0]
    assert not Publication.objects.exists()


def test_the_rows_are_checked_again_on_confirmation(client, org, world):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    text = HEADER + f"{world['article'].pk},Trang Bắc Sơn,,\n"
    preview = upload(client, csv_file(text))
    assert preview.context["result"].ok
    world["article"].unpublish()  # taken offline between preview and confirm
    response = confirm(client, preview)
    assert response.status_code == 200
    assert not response.context["result"].ok
    assert not Publication.objects.exists()


def test_people_without_a_role_cannot_use_it(client, org, world):
    login(client, org.user("nobody"))
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert client.get(
        reverse("publishing_bulk:template", args=("csv",))
    ).status_code in (
        302,
        403,
    )


def test_the_template_downloads(client, org, world):
    login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
    response = client.get(reverse("publishing_bulk:template", args=("csv",)))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Bài viết,Kênh,Thời gian,Nội dung,Loại bài,Gửi người theo dõi"
    )
    response = client.get(reverse("publishing_bulk:template", args=("xlsx",)))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:2] == ["Bài viết", "Kênh"]
