"""Best posting times from a channel's own history (publishing/metrics/best_times.py):
the engine with exact figures, the one grouped query by local weekday and hour, the
"not enough yet" note."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms.core.models import Role
from publishing.editor import plans as editor
from publishing.metrics import best_times
from publishing.metrics.best_times import Hour
from publishing.models import Publication, PublicationStatus
from tests.publishing.factories import make_channel
from tests.publishing.helpers import login

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 10, 20, 19, 30, tzinfo=HANOI)  # a Tuesday
MON, TUE, THU, SUN = 0, 1, 3, 6


def hour(weekday, at, posts, reach, engagements, first=None, last=None, reached=None):
    first = first or NOW - datetime.timedelta(weeks=8)
    return Hour(
        weekday=weekday,
        hour=at,
        posts=posts,
        reached=posts if reached is None else reached,
        reach=reach,
        engagements=engagements,
        first=first,
        last=last or first,
    )


# 20 posts over 8 weeks; the channel's average post: reach 650, engagements 30.
HISTORY = [
    hour(TUE, 20, 4, 4000, 200, last=NOW - datetime.timedelta(days=1)),
    hour(THU, 11, 10, 5000, 300),
    hour(SUN, 9, 1, 3000, 100),
    hour(MON, 8, 5, 1000, 0),
]


def test_each_hour_is_scored_against_the_channels_average_post():
    score = best_times.scorer(HISTORY)
    # (reach + 650) / (posts + 1) / 650 + (engagements + 30) / (posts + 1) / 30
    assert [score(h) for h in HISTORY] == pytest.approx(
        [
            4650 / 3250 + 230 / 150,  # 2.964
            5650 / 7150 + 330 / 330,  # 1.790
            3650 / 1300 + 130 / 60,  # 4.974
            1650 / 3900 + 30 / 180,  # 0.590
        ]
    )


def test_a_channel_with_enough_history_gets_its_three_best_hours_next_to_come():
    with translation.override("vi"):
        result = best_times.suggestions(HISTORY, NOW)
    assert result == {
        "ready": True,
        "times": [
            {"label": "Chủ Nhật 09:00", "at": "2026-10-25T09:00:00+07:00"},
            {"label": "Thứ Ba 20:00", "at": "2026-10-20T20:00:00+07:00"},
            {"label": "Thứ Năm 11:00", "at": "2026-10-22T11:00:00+07:00"},
        ],
        "needed": 0,
        "weeks": 0,
        "note": "",
    }


def test_an_hour_that_has_just_begun_is_offered_a_week_later():
    at_eight = NOW.replace(hour=20, minute=0)
    assert best_times.next_moment(HISTORY[0], at_eight) == at_eight + (
        datetime.timedelta(weeks=1)
    )


def test_reach_unknown_on_every_post_leaves_engagements_alone():
    hours = [
        hour(TUE, 20, 10, 0, 100, reached=0),
        hour(THU, 11, 10, 0, 300, reached=0),
    ]
    score = best_times.scorer(hours)
    # average engagements 20: (100 + 20) / 11 / 20 and (300 + 20) / 11 / 20
    assert [score(h) for h in hours] == pytest.approx([120 / 220, 320 / 220])


@pytest.mark.parametrize(
    "posts, days, needed, weeks, note",
    [
        (12, 10, 8, 3, "Cần thêm 8 bài đăng / 3 tuần để gợi ý giờ đăng."),
        (25, 27, 0, 1, "Cần thêm 1 tuần để gợi ý giờ đăng."),
        (19, 60, 1, 0, "Cần thêm 1 bài đăng để gợi ý giờ đăng."),
    ],
)
def test_before_enough_history_it_says_what_is_missing(
    posts, days, needed, weeks, note
):
    first = NOW - datetime.timedelta(days=40)
    hours = [
        hour(
            TUE,
            20,
            posts,
            100 * posts,
            posts,
            first,
            first + (datetime.timedelta(days=days)),
        )
    ]
    with translation.override("vi"):
        result = best_times.suggestions(hours, NOW)
    assert result == {
        "ready": False,
        "times": [],
        "needed": needed,
        "weeks": weeks,
        "note": note,
    }


def test_a_channel_without_posts_needs_twenty_posts_and_four_weeks():
    with translation.override("vi"):
        result = best_times.suggestions([], NOW)
    assert (result["ready"], result["needed"], result["weeks"]) == (False, 20, 4)
    assert result["note"] == "Cần thêm 20 bài đăng / 4 tuần để gợi ý giờ đăng."


def local(day, at, minute=0):
    return datetime.datetime(2026, 10, day, at, minute, tzinfo=HANOI)


def test_posts_are_grouped_by_local_weekday_and_hour_in_one_query(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    page = org.article()
    channel = make_channel(org.bac_son)
    other = make_channel(org.bac_son)
    posts = [
        # Sunday 23:10 and 23:50 in Hanoi (16:10, 16:50 UTC): Sunday 23:00
        (channel, local(18, 23, 10), PublicationStatus.PUBLISHED, (5, 1, 0, 100)),
        (channel, local(11, 23, 50), PublicationStatus.PUBLISHED, (2, None, 1, None)),
        # Monday 00:30 in Hanoi is still Sunday in UTC: Monday 00:00
        (channel, local(19, 0, 30), PublicationStatus.PUBLISHED, (1, 1, 1, 50)),
        # not counted: not published, another channel, older than a year
        (channel, local(19, 0, 40), PublicationStatus.FAILED, (9, 9, 9, 900)),
        (other, local(19, 0, 40), PublicationStatus.PUBLISHED, (9, 9, 9, 900)),
        (channel, local(19, 1) - datetime.timedelta(days=400), "published", (9,) * 4),
    ]
    for number, (on, when, status, counts) in enumerate(posts, start=1):
        reactions, comments, shares, reach = counts
        Publication.objects.create(
            page=page,
            channel=on,
            round=number,
            status=status,
            publish_at=when,
            published_at=when,
            reactions=reactions,
            comments=comments,
            shares=shares,
            reach=reach,
        )
    with CaptureQueriesContext(connection) as queries:
        found = best_times.history([channel.pk])
    assert len(queries) == 1
    assert sorted(found[channel.pk], key=lambda h: (h.weekday, h.hour)) == [
        Hour(MON, 0, 1, 1, 50, 3, local(19, 0, 30), local(19, 0, 30)),
        Hour(SUN, 23, 2, 1, 100, 9, local(11, 23, 50), local(18, 23, 10)),
    ]
    result = best_times.for_channels([channel.pk, other.pk])
    assert (result[channel.pk]["needed"], result[other.pk]["needed"]) == (17, 19)


def weeks_of_posts(page, channel, now):
    """20 posts over five weeks: Tuesdays 20:00 do best, then Thursdays 11:00, then
    Mondays 08:00 (the NOW week's Monday 19 October, and the four before)."""
    monday = datetime.datetime(2026, 10, 19, tzinfo=HANOI)
    plan = [(1, 20, 4, (50, 5, 5, 3000)), (3, 11, 8, (15, 3, 2, 1000))]
    plan += [(0, 8, 8, (2, 0, 0, 200))]
    number = 0
    for weekday, at, count, counts in plan:
        for week in range(count):
            number += 1
            when = monday + datetime.timedelta(
                days=weekday - 7 * (week % 5 + 1), hours=at
            )
            reactions, comments, shares, reach = counts
            Publication.objects.create(
                page=page,
                channel=channel,
                round=number,
                status=PublicationStatus.PUBLISHED,
                publish_at=when,
                published_at=when,
                reactions=reactions,
                comments=comments,
                shares=shares,
                reach=reach,
            )


@pytest.fixture
def channels(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    page = org.article()
    ready = make_channel(org.bac_son, "facebook", "Trang nhiều bài", "1001")
    new = make_channel(org.bac_son, "facebook", "Trang mới", "1002")
    weeks_of_posts(page, ready, NOW)
    return ready, new


READY_TIMES = ["Thứ Ba 20:00", "Thứ Năm 11:00", "Thứ Hai 08:00"]


def test_the_channel_list_shows_best_times_or_what_is_missing(client, org, channels):
    ready, new = channels
    login(client, org.user("ql", Role.MANAGER, org.bac_son), "vi")
    soup = BeautifulSoup(
        client.get(reverse("publishing_channels:index")).content, "html.parser"
    )
    headers = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    assert "Giờ đăng gợi ý" in headers
    cells = {}
    for row in soup.select("tbody tr"):
        name = row.find("a", string=lambda s: s and "Trang" in s).get_text(strip=True)
        cells[name] = row.select_one("[data-best-times]")
    assert [d.get_text() for d in cells["Trang nhiều bài"].find_all("div")] == (
        READY_TIMES
    )
    assert cells["Trang mới"].get_text(strip=True) == (
        "Cần thêm 20 bài đăng / 4 tuần để gợi ý giờ đăng."
    )


def test_the_share_tab_gets_best_times_per_channel(org, channels):
    ready, new = channels
    with translation.override("vi"):
        data = editor.channel_data(org.user("bt", Role.EDITOR, org.bac_son))
    best = data["channels"][str(ready.pk)]["best_times"]
    assert best["ready"] and best["needed"] == 0
    assert [t["label"] for t in best["times"]] == READY_TIMES
    assert [t["at"] for t in best["times"]] == [
        "2026-10-20T20:00:00+07:00",
        "2026-10-22T11:00:00+07:00",
        "2026-10-26T08:00:00+07:00",
    ]
    assert data["channels"][str(new.pk)]["best_times"] == {
        "ready": False,
        "times": [],
        "needed": 20,
        "weeks": 4,
        "note": "Cần thêm 20 bài đăng / 4 tuần để gợi ý giờ đăng.",
    }
