"""Visits our posts bring are counted on pages served from the page cache
(cms/content/page_cache/): the short links' middleware comes before it and sees
every request, kept page or not (publishing/shortlinks.py)."""

import datetime
from urllib.parse import urlsplit

import pytest

from publishing.models import VisitDay
from tests.publishing.factories import due, make_channel

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/130.0.0.0 Safari/537.36"
)
TODAY = datetime.datetime(2026, 11, 16, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def publication(org, article, settings, time_machine):
    settings.PAGE_CACHE_SECONDS = 600
    time_machine.move_to(TODAY, tick=False)
    return due(article, make_channel(org.bac_son, "facebook"))


def visits(publication):
    return sum(
        VisitDay.objects.filter(publication=publication).values_list(
            "visits", flat=True
        )
    )


def test_arrivals_from_a_post_count_on_kept_pages(client, publication, article):
    query = f"utm_source=facebook&utm_content=pub-{publication.pk}"
    address = f"{urlsplit(article.url).path}?{query}"
    served = [client.get(address, HTTP_USER_AGENT=CHROME) for _ in range(3)]
    assert [r["X-Page-Cache"] for r in served] == ["miss", "hit", "hit"]
    assert visits(publication) == 3


def test_clicks_on_a_short_link_count_once_each_on_kept_pages(client, publication):
    for _ in range(3):
        redirect = client.get(f"/l/{publication.link_code}", HTTP_USER_AGENT=CHROME)
        landed = client.get(redirect["Location"], HTTP_USER_AGENT=CHROME)
        assert landed.status_code == 200
    assert landed["X-Page-Cache"] == "hit"
    assert visits(publication) == 3
    assert VisitDay.objects.get(publication=publication).day == datetime.date(
        2026, 11, 16
    )
