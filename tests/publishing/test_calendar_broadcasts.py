"""Broadcasts to a Zalo OA's followers on the editorial calendar: on the day they
go out (one planned at 22:05 at 06:00 the next day, saying "chờ đến 06:00"), a
sent one when it went, the filters and rights of the publications beside them."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from publishing.lifecycle import WAITING_WINDOW
from publishing.lifecycle import BroadcastStatus as B
from publishing.models import Broadcast, Publication
from tests.publishing.factories import calendar_world, local
from tests.publishing.helpers import cells, login

URL = reverse("publishing_calendar:index")
pytestmark = pytest.mark.django_db
NOW = local(2026, 10, 20, 9, 0)  # weeks before November 2026, where they plan


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def world(org):
    return calendar_world(org)


def share(world, at, round=1, **broadcast):
    """A share of the Lộc Bình article on its OA at `at`, with its broadcast."""
    publication = Publication.objects.create(
        page=world["other"], channel=world["loc_binh"], publish_at=at, round=round
    )
    Broadcast.objects.create(publication=publication, send_at=at, **broadcast)
    return publication


def broadcasts_of(response, day):
    soup = BeautifulSoup(response.content, "html.parser")
    cell = soup.select_one(f'td[data-date="{day}"]')
    return [
        " ".join(item.get_text(" ", strip=True).split())
        for item in cell.select('li[data-kind="broadcast"]')
    ]


def test_a_broadcast_at_2205_shows_at_0600_the_next_day_waiting(client, org, world):
    planned = share(world, local(2026, 11, 20, 22, 5))
    login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh), "vi")

    response = client.get(URL, {"date": "2026-11-20"})
    month = cells(response)
    # The article goes out at 22:05 on the 20th; its broadcast at 06:00 on the 21st.
    assert month["2026-11-20"] == [("22:05", "Bài Lộc Bình", "scheduled")]
    assert month["2026-11-21"] == [("06:00", "Bài Lộc Bình", "scheduled")]
    assert broadcasts_of(response, "2026-11-20") == []
    assert broadcasts_of(response, "2026-11-21") == [
        "06:00 Đã lên lịch Bài Lộc Bình · Zalo · OA Lộc Bình · "
        "Gửi đến người theo dõi (chờ đến 06:00)"
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one('li[data-kind="broadcast"] a')["href"]
    assert link == reverse("publishing_publications:inspect", args=(planned.pk,))
    # Two events: the share and its broadcast.
    count = soup.select_one(".publishing-calendar__count").get_text(strip=True)
    assert count == "2 mục"


def test_a_broadcast_waiting_for_the_window_and_one_sent(client, org, world):
    # The scheduler found it outside the window at 23:00: it waits until 06:00.
    share(
        world,
        local(2026, 11, 10, 23, 0),
        status=B.WAITING,
        waiting_reason=WAITING_WINDOW,
        next_attempt_at=local(2026, 11, 11, 6, 0),
    )
    share(
        world,
        local(2026, 11, 12, 9, 0),
        round=2,
        status=B.SENT,
        sent_at=local(2026, 11, 12, 9, 3),
    )
    login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))

    response = client.get(URL, {"date": "2026-11-10"})
    assert broadcasts_of(response, "2026-11-11") == [
        "06:00 Waiting Bài Lộc Bình · Zalo · OA Lộc Bình · Send to followers "
        "(waiting until 06:00)"
    ]
    assert broadcasts_of(response, "2026-11-12") == [
        "09:03 Sent Bài Lộc Bình · Zalo · OA Lộc Bình · Send to followers"
    ]


def test_filters_and_rights_apply_to_broadcasts(client, org, world):
    share(
        world,
        local(2026, 11, 12, 9, 0),
        status=B.SENT,
        sent_at=local(2026, 11, 12, 9, 0),
    )
    share(world, local(2026, 11, 13, 9, 0), round=2, status=B.CANCELLED)
    day = "2026-11-12"

    # Another district's editor sees neither the share nor its broadcast.
    login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
    assert broadcasts_of(client.get(URL, {"date": day}), day) == []

    login(client, org.user("ld.khuvuc", Role.LEAD, org.region))

    def shown(day, **query):
        return len(broadcasts_of(client.get(URL, {"date": day, **query}), day))

    assert shown(day) == 1
    assert shown(day, status="published") == 1  # a sent broadcast is "published"
    assert shown(day, status="scheduled") == 0
    assert shown(day, network="facebook") == 0
    assert shown(day, unit=org.bac_son.pk) == 0
    assert shown(day, channel=world["loc_binh"].pk) == 1
    assert shown("2026-11-13") == 0  # cancelled: hidden by default
    assert shown("2026-11-13", status="cancelled") == 1
