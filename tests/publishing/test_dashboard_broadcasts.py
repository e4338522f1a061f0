"""Broadcasts on the dashboard: "Lượt gửi đến người theo dõi" counted apart from
the posts (a broadcast never changes "posts published"), by unit, channel and
network, in the exports, and only the sent ones of the period and campaign.

The data set is the dashboard's (tests/publishing/factories.py::Data: S = today -
9 days; p2 is the campaign's post on BS Zalo, published on d2)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import GoalMetric, Role
from publishing.lifecycle import BroadcastStatus as B
from publishing.metrics.dashboard.metrics import compute
from publishing.metrics.dashboard.tables import build
from publishing.models import Broadcast, Publication
from tests.publishing.factories import DATA_NOW as NOW
from tests.publishing.factories import at
from tests.publishing.helpers import member_login as login

M = GoalMetric
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def data(org):
    from tests.publishing.factories import Data

    return Data(org)


def broadcast(publication, sent_on, status=B.SENT):
    return Broadcast.objects.create(
        publication=publication,
        send_at=sent_on,
        status=status,
        sent_at=sent_on if status in (B.SENT, B.UNCONFIRMED) else None,
    )


def test_a_broadcast_is_counted_apart_and_never_as_a_post(data):
    before = compute(data.scope())
    d = data.d
    broadcast(data.p2, at(d(2), 9))  # counted
    broadcast(data.p2, at(d(4), 9))  # counted
    broadcast(data.p2, at(d(5), 9), B.UNCONFIRMED)  # not known to have gone out
    broadcast(data.p2, at(d(6), 9), B.SCHEDULED)  # not yet
    broadcast(data.p2, at(d(-1), 9))  # before the period
    outside = Publication.objects.get(page=data.a4)  # not in the campaign
    broadcast(outside, at(d(3), 9))

    after = compute(data.scope())
    assert after.totals["broadcasts"] == 2
    assert before.totals["broadcasts"] == 0
    # Posts published (and what hangs on them) do not move.
    for key in (M.POSTS_PUBLISHED, "articles", M.REACH, M.ENGAGEMENTS):
        assert after.totals[key] == before.totals[key]
    assert after.totals[M.POSTS_PUBLISHED] == 5
    by_channel = {
        r["channel"].name: (r["posts"], r["broadcasts"]) for r in after.by_channel
    }
    assert by_channel == {
        "BS Zalo": (1, 2),
        "BS FB": (2, 0),
        "LB FB": (1, 0),
        "KV FB": (1, 0),
    }
    by_unit = {r["unit"].pk: r["broadcasts"] for r in after.by_unit}
    assert by_unit[data.org.bac_son.pk] == 2
    assert by_unit[data.org.loc_binh.pk] == 0
    assert {r["network"]: r["broadcasts"] for r in after.by_network} == {
        "facebook": 0,
        "zalo": 2,
    }
    assert compute(data.scope(network="facebook")).totals["broadcasts"] == 0
    assert compute(data.scope(end=data.d(3))).totals["broadcasts"] == 1

    built = {t.key: t for t in build(after, [])}
    figures = {str(row[0]): row[1] for row in built["totals"].rows}
    assert figures["Lượt gửi đến người theo dõi"] == 2
    assert figures["Bài đăng đã đăng"] == 5
    for key in ("units", "channels", "networks"):
        assert "Lượt gửi đến người theo dõi" in [str(c) for c in built[key].columns]


def test_the_page_and_the_csv_show_the_broadcasts(data, client, org):
    broadcast(data.p2, at(data.d(2), 9))
    login(client, org, "lead", Role.LEAD, org.region)
    page = client.get(reverse("publishing_dashboard:index"))
    soup = BeautifulSoup(page.content, "html.parser")
    rows = {
        cells[0].get_text(strip=True): cells[1].get_text(strip=True)
        for cells in (
            tr.select("th, td") for tr in soup.select('[data-table="totals"] tbody tr')
        )
    }
    assert rows["Lượt gửi đến người theo dõi"] == "1"
    assert rows["Bài đăng đã đăng"] == "5"
    csv = client.get(reverse("publishing_dashboard:export_csv")).content.decode()
    assert "Lượt gửi đến người theo dõi,1" in csv
