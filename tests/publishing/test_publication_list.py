"""The publication list opens on today and what follows, soonest first; a person
may choose what is past (latest first) or all times, other filters kept; each
post's counts (reactions, comments, shares, views) are in the list and on its
page, "—" until they are read."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Publication, PublicationStatus
from tests.publishing.factories import local, make_channel
from tests.publishing.helpers import detail, login

S = PublicationStatus
INDEX = reverse("publishing_publications:index")
# Local morning of 20 November 2026; the posts lie around it.
NOW = local(2026, 11, 20, 9, 0)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# name: (local time, status, (reactions, comments, shares, views))
POSTS = {
    "ten days ago": (local(2026, 11, 10, 8, 0), S.PUBLISHED, (3, 0, 0, 40)),
    "yesterday": (local(2026, 11, 19, 23, 59), S.PUBLISHED, (1234, 56, 7, 8900)),
    "early today": (local(2026, 11, 20, 0, 0), S.PUBLISHED, (None,) * 4),
    "this afternoon": (local(2026, 11, 20, 15, 0), S.SCHEDULED, (None,) * 4),
    "in two days": (local(2026, 11, 22, 7, 30), S.SCHEDULED, (None,) * 4),
    "next month": (local(2026, 12, 20, 7, 30), S.SCHEDULED, (None,) * 4),
}


@pytest.fixture
def posts(org):
    channel = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn")
    made = {}
    for number, (name, (when, status, counts)) in enumerate(POSTS.items()):
        article = org.article(title=f"Bài {name}")
        reactions, comments, shares, views = counts
        made[name] = Publication.objects.create(
            page=article,
            channel=channel,
            round=number + 1,
            status=status,
            publish_at=when,
            published_at=when if status == S.PUBLISHED else None,
            reactions=reactions,
            comments=comments,
            shares=shares,
            views=views,
            engagement_synced_at=NOW if reactions is not None else None,
        )
    return made


@pytest.fixture
def editor(client, org):
    return login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son), "vi")


def listed(client, **query):
    """The articles' names of the list's rows, in order, and the page."""
    response = client.get(INDEX, query)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select("table.listing tbody tr")
    names = [row.select_one("td").get_text(" ", strip=True) for row in rows]
    return [n.removeprefix("Bài ") for n in names], soup


class TestPeriod:
    def test_the_list_opens_on_today_and_what_follows_soonest_first(
        self, client, editor, posts
    ):
        names, soup = listed(client)
        assert names == ["early today", "this afternoon", "in two days", "next month"]
        # The default is no active filter: nothing to remove, "from today" chosen.
        chosen = soup.select_one('input[name="period"][checked]')
        assert chosen["value"] == "upcoming"
        assert "Từ hôm nay" in soup.select_one(f"label[for={chosen['id']}]").text

    def test_what_is_past_comes_latest_first(self, client, editor, posts):
        names, _soup = listed(client, period="past")
        assert names == ["yesterday", "ten days ago"]

    def test_all_times_in_time_order(self, client, editor, posts):
        names, _soup = listed(client, period="all")
        assert names == list(POSTS)

    def test_other_filters_are_kept_with_a_period(self, client, editor, posts):
        names, soup = listed(client, period="all", status="scheduled")
        assert names == ["this afternoon", "in two days", "next month"]
        names, soup = listed(client, period="past", status="published")
        assert names == ["yesterday", "ten days ago"]
        assert soup.select_one('input[name="period"][checked]')["value"] == "past"
        status = soup.select_one('select[name="status"] option[selected]')
        assert status["value"] == "published"

    def test_a_time_range_without_a_period_means_all_times(self, client, editor, posts):
        # The calendar's "more" link names a day, which may be past.
        names, _soup = listed(
            client, publish_at_from="2026-11-19", publish_at_to="2026-11-19"
        )
        assert names == ["yesterday"]

    def test_the_time_column_can_still_be_sorted(self, client, editor, posts):
        names, _soup = listed(client, ordering="-publish_at")
        assert names == ["next month", "in two days", "this afternoon", "early today"]

    def test_an_unknown_period_is_refused_in_vietnamese(self, client, editor, posts):
        _names, soup = listed(client, period="tomorrow")
        assert "Hãy chọn một lựa chọn hợp lệ" in soup.get_text()


class TestCounts:
    def test_the_list_shows_each_posts_counts_or_a_dash(self, client, editor, posts):
        response = client.get(INDEX, {"period": "all"})
        soup = BeautifulSoup(response.content, "html.parser")
        headers = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
        assert ["Cảm xúc", "Bình luận", "Chia sẻ", "Lượt xem"] == [
            h for h in headers if h in ("Cảm xúc", "Bình luận", "Chia sẻ", "Lượt xem")
        ]
        rows = {
            row.select_one("td").get_text(strip=True).removeprefix("Bài "): {
                td["data-count"]: td.get_text(strip=True)
                for td in row.select("td[data-count]")
            }
            for row in soup.select("table.listing tbody tr")
        }
        assert rows["yesterday"] == {
            "reactions": "1.234",
            "comments": "56",
            "shares": "7",
            "views": "8.900",
        }
        assert set(rows["in two days"].values()) == {"—"}

    def test_a_posts_page_shows_the_same_counts(self, client, editor, posts):
        soup = BeautifulSoup(
            client.get(detail(posts["yesterday"])).content, "html.parser"
        )
        section = soup.select_one("[data-post-counts]")
        counts = {td["data-count"]: td.text for td in section.select("td")}
        assert counts == {
            "reactions": "1.234",
            "comments": "56",
            "shares": "7",
            "views": "8.900",
        }
        assert "Cập nhật lúc 20/11/2026 09:00" in section.get_text()

        soup = BeautifulSoup(
            client.get(detail(posts["in two days"])).content, "html.parser"
        )
        section = soup.select_one("[data-post-counts]")
        assert [td.text for td in section.select("td")] == ["—"] * 4
        assert "Chưa đọc từ mạng xã hội" in section.get_text()


def test_the_day_boundary_is_local_midnight(client, editor, posts, time_machine):
    # 23:59 on the 19th in Hanoi is 16:59 UTC: yesterday, not today.
    time_machine.move_to(NOW + datetime.timedelta(days=1), tick=False)
    names, _soup = listed(client)
    assert names == ["in two days", "next month"]
