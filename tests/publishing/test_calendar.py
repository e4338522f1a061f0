"""The editorial calendar: local days (Asia/Ho_Chi_Minh) around midnight, both views,
filters, rights (never a leak, forged filters refused), rescheduling from the
calendar and back, pages going live, and a month of 300 events."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cms.core.models import Role
from publishing.metrics import rollups
from publishing.models import Publication, PublicationStatus
from tests.publishing.factories import calendar_world, local
from tests.publishing.helpers import cells, login

S = PublicationStatus
URL = reverse("publishing_calendar:index")
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    return calendar_world(org)


# "Now" for every test here: weeks before the month they plan in (November 2026),
# so "today" is another month than the one asked for, whatever the real date.
NOW = local(2026, 10, 20, 9, 0)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def publication(page, on, at, status=S.SCHEDULED, published_at=None, round=1):
    made = Publication.objects.create(
        page=page,
        channel=on,
        publish_at=at,
        status=status,
        published_at=published_at,
        round=round,
    )
    if status == S.PUBLISHED:
        # What the dispatcher does after posting: the day's roll-ups, which the
        # calendar counts the posted ones of a day from.
        rollups.refresh_publications([made])
    return made


def title(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".publishing-calendar__title").get_text(strip=True)


def test_days_are_local_days_around_midnight(client, org, world):
    article, fb = world["article"], world["bac_son"]
    # 23:30 local on the 30th is 16:30 UTC the same day; 00:15 local on 1 December
    # is 17:15 UTC on 30 November: a calendar in UTC days would put both on the 30th.
    publication(article, fb, local(2026, 11, 30, 23, 30))
    publication(article, fb, local(2026, 12, 1, 0, 15), round=2)
    # 06:00 local on 1 November is 23:00 UTC on 31 October.
    publication(article, fb, local(2026, 11, 1, 6, 0), round=3)
    # The first day shown starts at local midnight: 00:30 local on Monday 26
    # October is 17:30 UTC on the 25th, before a UTC day's start.
    publication(article, fb, local(2026, 10, 26, 0, 30), round=5)
    # Published: placed when it was posted (00:05 on the 10th), not when planned.
    publication(
        article,
        fb,
        local(2026, 11, 9, 23, 50),
        status=S.PUBLISHED,
        published_at=local(2026, 11, 10, 0, 5),
        round=4,
    )
    login(client, org.user("admin", superuser=True))

    month = cells(client.get(URL, {"date": "2026-11-15"}))
    assert month["2026-11-30"] == [("23:30", "Bài Bắc Sơn", "scheduled")]
    assert month["2026-12-01"] == [("00:15", "Bài Bắc Sơn", "scheduled")]
    assert month["2026-11-01"] == [("06:00", "Bài Bắc Sơn", "scheduled")]
    assert month["2026-10-31"] == []
    assert month["2026-11-10"] == [("00:05", "Bài Bắc Sơn", "published")]
    assert month["2026-11-09"] == []
    assert list(month)[0] == "2026-10-26"  # weeks start on Monday
    assert month["2026-10-26"] == [("00:30", "Bài Bắc Sơn", "scheduled")]

    week = cells(client.get(URL, {"view": "week", "date": "2026-12-02"}))
    assert list(week) == [
        f"2026-{d}" for d in ("11-30", *(f"12-0{n}" for n in range(1, 7)))
    ]
    assert week["2026-11-30"] == [("23:30", "Bài Bắc Sơn", "scheduled")]
    assert week["2026-12-01"] == [("00:15", "Bài Bắc Sơn", "scheduled")]


def test_a_district_sees_only_its_own_and_a_forged_filter_shows_nothing(
    client, org, world
):
    at = local(2026, 11, 20, 9, 0)
    publication(world["article"], world["bac_son"], at)
    publication(world["other"], world["loc_binh"], at)
    login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))

    shown = cells(client.get(URL, {"date": "2026-11-20"}))
    assert shown["2026-11-20"] == [("09:00", "Bài Lộc Bình", "scheduled")]

    # Another district's channel or unit in the query: refused, nothing shown,
    # but still in the month and the view asked for, not today's (October).
    for forged in (
        {"channel": world["bac_son"].pk},
        {"unit": org.bac_son.pk},
    ):
        response = client.get(URL, {"date": "2026-11-20", **forged})
        assert "Bài Bắc Sơn" not in response.content.decode()
        assert cells(response)["2026-11-20"] == []
        assert b"error-message" in response.content
        assert title(response) == "11/2026"
        week = client.get(URL, {"view": "week", "date": "2026-11-20", **forged})
        assert list(cells(week))[0] == "2026-11-16"
        assert title(week) == "Week of 16/11/2026 to 22/11/2026"


def test_the_region_filters_by_unit_network_and_status(client, org, world, campaign):
    at = local(2026, 11, 20, 9, 0)
    publication(world["article"], world["bac_son"], at)
    publication(world["other"], world["loc_binh"], at, status=S.FAILED)
    publication(world["other"], world["loc_binh"], at, status=S.CANCELLED, round=2)
    world["other"].campaign = campaign
    world["other"].save()
    login(client, org.user("ld.khuvuc", Role.LEAD, org.region))
    day = "2026-11-20"

    def titles(**query):
        return [t for _, t, _ in cells(client.get(URL, {"date": day, **query}))[day]]

    assert sorted(titles()) == ["Bài Bắc Sơn", "Bài Lộc Bình"]  # not the cancelled
    assert titles(unit=org.bac_son.pk) == ["Bài Bắc Sơn"]
    assert titles(network="zalo") == ["Bài Lộc Bình"]
    assert titles(status="failed") == ["Bài Lộc Bình"]
    assert titles(status="cancelled") == ["Bài Lộc Bình"]
    assert titles(campaign=campaign.pk) == ["Bài Lộc Bình"]
    assert titles(channel=world["bac_son"].pk) == ["Bài Bắc Sơn"]


def test_an_approver_reschedules_from_the_calendar_and_comes_back(client, org, world):
    soon = timezone.now() + datetime.timedelta(days=2)
    planned = publication(world["article"], world["bac_son"], soon)
    day = timezone.localtime(soon).date().isoformat()
    editor = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    login(client, editor)
    assert (
        b"publishing-calendar__reschedule" not in client.get(URL, {"date": day}).content
    )

    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    page = client.get(URL, {"date": day})
    soup = BeautifulSoup(page.content, "html.parser")
    link = soup.select_one("a.publishing-calendar__reschedule")["href"]
    later = timezone.localtime(soon + datetime.timedelta(days=1))
    response = client.post(
        link,
        {
            "publish_at": later.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?date={day}"
    planned.refresh_from_db()
    assert timezone.localtime(planned.publish_at).strftime("%Y-%m-%d %H:%M") == (
        later.strftime("%Y-%m-%d %H:%M")
    )
    # Elsewhere than this site: ignored, back to the publication.
    link = link.split("?")[0] + "?next=https://evil.example/"
    response = client.post(
        link,
        {
            "publish_at": (later + datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%d %H:%M"
            )
        },
    )
    assert response["Location"] == reverse(
        "publishing_publications:inspect", args=(planned.pk,)
    )


def test_a_page_going_live_is_shown_with_a_link_to_its_editor(client, org, world):
    page = world["article"]
    go_live = timezone.now() + datetime.timedelta(days=3)
    page.go_live_at = go_live
    page.save_revision().publish()
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    day = timezone.localtime(go_live).date().isoformat()
    response = client.get(URL, {"date": day})
    assert cells(response)[day] == [
        (timezone.localtime(go_live).strftime("%H:%M"), "Bài Bắc Sơn", "go_live")
    ]
    assert (
        reverse("wagtailadmin_pages:edit", args=(page.pk,)) in response.content.decode()
    )
    # Not for another district.
    login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))
    assert cells(client.get(URL, {"date": day}))[day] == []


def test_a_month_of_300_events_stays_readable(client, org, world):
    article, fb = world["article"], world["bac_son"]
    Publication.objects.bulk_create(
        Publication(
            page=article,
            channel=fb,
            round=n + 1,
            publish_at=local(2026, 11, 1 + n % 30, 7 + n % 12, 0),
        )
        for n in range(300)
    )
    login(client, org.user("admin", superuser=True))
    response = client.get(URL, {"date": "2026-11-01"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert sum(len(v) for v in cells(response).values()) == 300
    day = soup.select_one('td[data-date="2026-11-05"]')
    shown = day.select(":scope > ul > li.publishing-calendar__event")
    hidden = day.select("details li.publishing-calendar__event")
    assert (len(shown), len(hidden)) == (4, 6)  # 10 that day: 4, then "6 more"
    assert "6" in day.select_one("details summary").get_text()


def test_nobody_without_a_role_opens_it(client, org):
    login(client, org.user("nobody"))
    response = client.get(URL)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] != URL
