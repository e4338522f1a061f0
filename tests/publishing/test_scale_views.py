"""What the scale run (bench/scale.py, issue 7) changed in the admin views: the
calendar loads at most a few events a day and links to the list for the rest, with
a query count that does not grow with the number of publications."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from publishing.metrics import rollups
from publishing.models import Publication, PublicationStatus
from publishing.planning.views.calendar import PER_DAY, SHOWN_IN_CELL
from tests.publishing.factories import calendar_world, local
from tests.publishing.helpers import cells, login

URL = reverse("publishing_calendar:index")
pytestmark = pytest.mark.django_db


# The crowded days below are in November 2026; the clock stands just after.
NOW = local(2026, 11, 20, 9, 0)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def world(org):
    return calendar_world(org)


def many(article, channel, day, count):
    Publication.objects.bulk_create(
        Publication(
            page=article,
            channel=channel,
            round=100 * day + n + 1,
            publish_at=local(2026, 11, day, 6, n % 60),
        )
        for n in range(count)
    )


def test_a_crowded_day_shows_its_earliest_and_links_to_the_list(
    client,
    org,
    world,  # noqa: F811 (the fixture of test_calendar)
):
    article, fb = world["article"], world["bac_son"]
    many(article, fb, 5, PER_DAY["week"] + 7)
    login(client, org.user("admin", superuser=True))
    response = client.get(URL, {"date": "2026-11-05"})
    soup = BeautifulSoup(response.content, "html.parser")
    day = soup.select_one('td[data-date="2026-11-05"]')
    # A crowd: what fits in the cell, no disclosure, and the list for the rest.
    assert len(cells(response)["2026-11-05"]) == SHOWN_IN_CELL
    assert day.select_one("details") is None
    times = [li.time.get_text(strip=True) for li in day.select("li")]
    assert times == sorted(times) and times[0] == "06:00"  # the earliest ones
    more = day.select_one("a.publishing-calendar__list")
    left = PER_DAY["week"] + 7 - SHOWN_IN_CELL
    assert str(left) in more.get_text()
    assert more["href"].startswith(reverse("publishing_publications:index"))
    assert "publish_at_from=2026-11-05" in more["href"]
    count = soup.select_one(".publishing-calendar__count").get_text()
    assert str(PER_DAY["week"] + 7) in count  # the header counts them all
    listed = client.get(more["href"])
    assert listed.status_code == 200

    week = client.get(URL, {"date": "2026-11-05", "view": "week"})
    assert len(cells(week)["2026-11-05"]) == PER_DAY["week"]
    link = BeautifulSoup(week.content, "html.parser").select_one(
        'td[data-date="2026-11-05"] a.publishing-calendar__list'
    )
    assert "7" in link.get_text()


def test_a_crowded_day_of_posts_is_counted_from_the_rollups_until_deleted(
    client,
    org,
    world,  # noqa: F811 (the fixture of test_calendar)
    django_capture_on_commit_callbacks,
):
    """The posted ones of a day are counted from the roll-ups (kept by the
    dispatcher as it posts); an article deleted with its posts leaves them once
    the deletion is committed. Posts of an article in no campaign count too."""
    article, fb = world["article"], world["bac_son"]
    assert article.campaign is None
    extra = PER_DAY["month"] + 3
    posted = Publication.objects.bulk_create(
        Publication(
            page=article,
            channel=fb,
            round=n + 1,
            status=PublicationStatus.PUBLISHED,
            publish_at=local(2026, 11, 5, 7, n),
            # 23:59 local is 16:59 UTC: counted on the local 5th, not the 6th
            published_at=local(2026, 11, 5, 23, 59 - n),
        )
        for n in range(extra)
    )
    rollups.refresh_publications(posted)  # what the dispatcher does after a batch
    login(client, org.user("admin", superuser=True))
    response = client.get(URL, {"date": "2026-11-05"})
    assert len(cells(response)["2026-11-05"]) == SHOWN_IN_CELL
    assert cells(response)["2026-11-06"] == []
    soup = BeautifulSoup(response.content, "html.parser")
    more = soup.select_one('td[data-date="2026-11-05"] a.publishing-calendar__list')
    assert more.get_text().strip().startswith(f"{extra - SHOWN_IN_CELL} ")
    count = soup.select_one(".publishing-calendar__count").get_text()
    assert str(extra) in count

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    response = client.get(URL, {"date": "2026-11-05"})
    assert cells(response)["2026-11-05"] == []
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("a.publishing-calendar__list") is None
    assert not rollups.ChannelDay.objects.exists()


def test_the_calendar_query_count_does_not_grow_with_the_posts(
    client,
    org,
    world,  # noqa: F811 (the fixture of test_calendar)
    django_assert_max_num_queries,
):
    article, fb = world["article"], world["bac_son"]
    login(client, org.user("admin", superuser=True))
    client.get(URL, {"date": "2026-11-05"})  # warm (session, sites, menus)
    many(article, fb, 3, 2)
    with django_assert_max_num_queries(40) as few:
        client.get(URL, {"date": "2026-11-05"})
    for day in (4, 5, 6, 7):
        many(article, fb, day, 30)
    with django_assert_max_num_queries(len(few) + 8):  # 2 a day that has posts
        response = client.get(URL, {"date": "2026-11-05"})
    assert sum(len(v) for v in cells(response).values()) == 2 + 4 * SHOWN_IN_CELL


def test_the_channel_filter_lists_the_visible_channels_and_keeps_the_choice(
    client,
    org,
    world,  # noqa: F811 (the fixture of test_calendar)
):
    fb, zalo = world["bac_son"], world["loc_binh"]
    login(client, org.user("admin", superuser=True))
    for url in (reverse("publishing_publications:index"), URL):
        response = client.get(url, {"channel": fb.pk})
        select = BeautifulSoup(response.content, "html.parser").select_one(
            'select[name="channel"]'
        )
        options = {o["value"]: o for o in select.select("option")}
        assert {str(fb.pk), str(zalo.pk)} <= set(options)
        assert options[str(fb.pk)].has_attr("selected")
        assert not options[str(zalo.pk)].has_attr("selected")
        assert options[str(fb.pk)].get_text().endswith(f" · {fb.name}")
