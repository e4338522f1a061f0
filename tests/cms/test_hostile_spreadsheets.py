"""Hostile spreadsheets through both imports (offline figures, bulk scheduling):
each is built here, a few kilobytes on disk, refused with a Vietnamese message that
names the limit it crossed, and nothing is saved. Headers and values from a file are
quoted shortened, and only the first few unknown columns are listed."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cms.core.models import Role
from cms.core.records import PressCoverage
from publishing.models import Publication, ShareRequest
from tests import spreadsheet_bombs as bombs
from tests.publishing.helpers import login

PRESS = reverse("wagtailsnippets_cms_core_presscoverage:import")
BULK = reverse("publishing_bulk:index")
PART_MB = 10  # unpacked, for one part of an XLSX


def vi(message, **params):
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % params if params else text


WIDE = vi(
    "A row of the file has more than %(limit)s columns: keep only the template's "
    "columns, or copy the table into a new file.",
    limit=100,
)


def part_too_big(part, size):
    return vi(
        "Unpacked, a part of the Excel file (%(part)s) takes %(size)s MB; at most "
        "%(limit)s MB is read for one part.",
        part=part,
        size=size,
        limit=PART_MB,
    )


def too_long(row):
    return vi(
        "A cell of row %(row)s is longer than %(limit)s characters.",
        row=row,
        limit="32.767",
    )


CASES = {
    # One shared string a megabyte over the limit for one part (the had
    # 100 MB: bench/spreadsheets.py reads that one).
    "shared-string.xlsx": (
        lambda: bombs.huge_shared_string(PART_MB + 1),
        part_too_big("xl/sharedStrings.xml", f"{PART_MB + 1},0"),
        f"{PART_MB} MB",
    ),
    "million-cells.xlsx": (
        lambda: bombs.wide_row(1_000_000),
        part_too_big("xl/worksheets/sheet1.xml", "14,3"),
        f"{PART_MB} MB",
    ),
    # Small enough unpacked to reach openpyxl: the streaming pass stops it.
    "wide-row.xlsx": (lambda: bombs.wide_row(300_000), WIDE, "100"),
    "row-1048576.xlsx": (
        bombs.far_row,
        vi("A sheet of the file has more than %(limit)s rows.", limit="50.000"),
        "50.000",
    ),
    "long-cell.xlsx": (
        lambda: bombs.long_shared_string(40_000),
        too_long(1),
        "32.767",
    ),
    "repeated-string.xlsx": (
        bombs.repeated_string,
        vi(
            "The file holds more than %(limit)s characters of text; at most "
            "%(limit)s can be imported at once.",
            limit="5.000.000",
        ),
        "5.000.000",
    ),
    "many-sheets.xlsx": (
        lambda: bombs.many_sheets(1000),
        vi(
            "The Excel file is made of %(count)s parts (sheets, pictures...); at "
            "most %(limit)s are read.",
            count="1.004",
            limit=200,
        ),
        "200",
    ),
    "big-sheets.xlsx": (
        lambda: bombs.big_sheets(4, PART_MB - 1),
        vi(
            "Unpacked, the Excel file takes %(size)s MB; at most %(limit)s MB is read.",
            size="36,0",
            limit=25,
        ),
        "25 MB",
    ),
    "wide.csv": (bombs.wide_csv, WIDE, "100"),
    "101-columns.csv": (lambda: ("a," * 100 + "a\n1\n").encode(), WIDE, "100"),
    "long-cell.csv": (bombs.long_csv_cell, too_long(2), "32.767"),
}


@pytest.fixture
def editor(client, org):
    # An approver may import press coverage and plan shares (roles are cumulative).
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), language="vi")
    return client


def upload(client, url, name, data):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def form_error(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.select_one("form .error-message").get_text().split())


@pytest.mark.parametrize("url", [PRESS, BULK], ids=["press", "bulk"])
@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_refused_naming_the_limit(editor, campaign, url, name):
    build, message, limit = CASES[name]
    data = build()
    assert len(data) < 1_100_000  # small on disk: the size limit never sees it
    response = upload(editor, url, name, data)
    assert response.status_code == 200
    assert "token" not in response.context
    shown = form_error(response)
    assert shown == message
    assert limit in shown
    assert not PressCoverage.objects.exists()
    assert not Publication.objects.exists()
    assert not ShareRequest.objects.exists()


STRAY = [f"Ghi chú số {n} " + "x" * 500 for n in range(20)]  # 20 stray headers


def test_the_press_import_lists_a_few_unknown_columns_shortened(editor, campaign):
    headers = ["Chiến dịch", "Đơn vị", "Cơ quan báo chí", "Tiêu đề", "Ngày đăng"]
    row = ["chien-dich-2025", "bac-son", "Báo", "Tin", "15/08/2025"]
    text = ",".join(headers + STRAY) + "\n" + ",".join(row) + "\n"
    response = upload(editor, PRESS, "so-lieu.csv", text.encode())
    errors = response.context["result"].header_errors
    assert [message for _header, message in errors] == [
        vi("Unknown column “%(name)s”.", name=STRAY[n][:39] + "…") for n in range(3)
    ] + [vi("%(count)s more unknown columns are not listed.", count=17)]
    assert "x" * 41 not in response.content.decode()
    assert not PressCoverage.objects.exists()


def test_the_bulk_page_lists_a_few_unknown_columns_shortened(editor, org):
    text = ",".join(["Bài viết", "Kênh"] + STRAY) + "\n1,Trang Bắc Sơn\n"
    response = upload(editor, BULK, "lich.csv", text.encode())
    errors = response.context["result"].header_errors
    assert len(errors) == 4
    assert errors[0].startswith(
        vi(
            "Unknown column “%(header)s”: the columns are %(names)s.",
            header=STRAY[0][:39] + "…",  # 40 characters
            names="Bài viết, Kênh, Thời gian, Nội dung, Loại bài, Gửi người theo dõi",
        )
    )
    assert errors[3] == vi("%(count)s more unknown columns are not listed.", count=17)
    assert "x" * 41 not in response.content.decode()
    assert not Publication.objects.exists()


def test_an_ordinary_xlsx_built_the_same_way_is_read(editor, campaign):
    """The builder makes files openpyxl reads: the refusals above are the bounds'."""
    rows = [
        bombs.text_row(
            "Chiến dịch", "Đơn vị", "Cơ quan báo chí", "Tiêu đề", "Ngày đăng"
        ),
        bombs.text_row(
            "chien-dich-2025", "bac-son", "Báo Lạng Sơn", "Tin", "15/08/2025"
        ),
    ]
    response = upload(editor, PRESS, "so-lieu.xlsx", bombs.xlsx([rows]))
    assert response.context["result"].ok
