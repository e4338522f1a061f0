"""The dashboard by kind of post: videos apart from links and articles, with their
views, on the page and in the export, counted at the period's end.

The data set is the dashboard's (tests/publishing/factories.py::Data: S = today -
9 days; Facebook link posts p1, p3, p4, p5 and the Zalo article p2); two videos
are added here."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from tests.publishing.factories import DATA_NOW as NOW
from tests.publishing.factories import at
from tests.publishing.helpers import member_login as login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def data(org):
    from tests.publishing.factories import Data

    data = Data(org)
    d = data.d
    fb_video = data.publication(data.a3, data.c1, at(d(6)), (7, 1, 2, 500))
    zalo_video = data.publication(data.a3, data.c2, at(d(6)), (None,) * 4)
    for publication, views in ((fb_video, 321), (zalo_video, 45)):
        publication.kind, publication.views = "video", views
        publication.save(update_fields=["kind", "views"])
    data.snapshot(fb_video, at(d(7)), (3, 0, 0, 200))
    return data


def shown(html):
    """The "by kind of post" table as the page shows it: its head and rows."""
    table = BeautifulSoup(html, "html.parser").select_one('[data-table="kinds"]')
    cells = [[c.get_text(strip=True) for c in r.select("th, td")] for r in table("tr")]
    return cells[0], cells[1:]


def test_videos_are_shown_apart_with_their_views(data, client, org):
    login(client, org, "lead", Role.LEAD, org.region)
    html = client.get(reverse("publishing_dashboard:index")).content.decode()
    head, rows = shown(html)
    assert head == [
        "Mạng xã hội",
        "Loại bài",
        "Bài đăng đã đăng",
        "Số bài viết (không trùng)",
        "Lượt xem",
        "Lượt tiếp cận (mức tối đa)",
        "Lượt tương tác",
    ]
    assert rows == [
        ["Trang Facebook", "Liên kết", "4", "3", "—", "520", "53"],
        ["Trang Facebook", "Video", "1", "1", "321", "500", "10"],
        ["Zalo OA", "Bài viết", "1", "1", "—", "0", "0"],
        ["Zalo OA", "Video", "1", "1", "45", "0", "0"],
    ]
    assert "Lượt xem theo cách mỗi mạng đếm" in html


def test_a_period_that_ended_counts_the_snapshots(data, client, org):
    login(client, org, "lead", Role.LEAD, org.region)
    d = data.d
    period = {
        "campaign": data.campaign.pk,
        "start": d(0).strftime("%d/%m/%Y"),
        "end": d(7).strftime("%d/%m/%Y"),
    }
    html = client.get(reverse("publishing_dashboard:index"), period).content.decode()
    _head, rows = shown(html)
    video = next(r for r in rows if r[:2] == ["Trang Facebook", "Video"])
    assert video[2:] == ["1", "1", "—", "200", "3"]  # the snapshot of d(7)


def test_the_export_carries_the_table(data, client, org):
    login(client, org, "lead", Role.LEAD, org.region)
    response = client.get(reverse("publishing_dashboard:export_csv"))
    text = response.content.decode("utf-8-sig")
    assert "Theo loại bài" in text
    assert "Trang Facebook,Video,1,1,321,500,10" in io.StringIO(text).getvalue()
