"""The calendar's week with hours: posts placed at their hour, moved in place (the
same checks as "Change time", refusals in Vietnamese, nothing moved), a new share
started from an hour; posts held by a pause switch marked; holidays and Tết."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cms.core.models import Role
from publishing.models import (
    PauseScope,
    Publication,
    PublicationStatus,
    PublishingPause,
)
from publishing.planning import holidays
from tests.publishing.factories import calendar_world, local
from tests.publishing.helpers import login

S = PublicationStatus
URL = reverse("publishing_calendar:index")
NOW = local(2026, 11, 16, 9, 0)  # Monday of the week the tests look at
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    return calendar_world(org)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def planned(world, at, channel="bac_son", status=S.SCHEDULED):
    article = world["article"] if channel == "bac_son" else world["other"]
    return Publication.objects.create(
        page=article, channel=world[channel], publish_at=at, status=status
    )


def test_the_week_places_each_post_in_its_hour_and_offers_new_shares(
    client, org, world
):
    planned(world, local(2026, 11, 18, 9, 30))
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    soup = soup_of(client.get(URL, {"view": "week", "date": "2026-11-18"}))
    hour = soup.select_one('td[data-date="2026-11-18"][data-hour="09"]')
    assert hour.select_one("li time").get_text() == "09:30"
    assert hour.select_one("li")["data-move-url"] == reverse(
        "publishing_calendar:move", args=(Publication.objects.get().pk,)
    )
    assert soup.select('td[data-date="2026-11-18"] li') == hour.select("li")
    assert len(soup.select("td[data-hour]")) == 7 * 24
    # An hour still ahead starts a share at that time; an hour gone does not.
    ahead = soup.select_one('td[data-date="2026-11-16"][data-hour="10"] a[href]')
    assert ahead["href"].endswith("new/?at=2026-11-16T10%3A00")
    gone = soup.select_one('td[data-date="2026-11-16"][data-hour="08"]')
    assert gone.select_one("a.publishing-calendar__new") is None


def test_a_post_is_moved_with_the_checks_of_change_time(client, org, world):
    post = planned(world, local(2026, 11, 18, 9, 30))
    move = reverse("publishing_calendar:move", args=(post.pk,))

    # An editor may not move it: refused in Vietnamese, nothing moved.
    login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son), language="vi")
    refused = client.post(move, {"publish_at": "2026-11-19T14:30"})
    assert refused.status_code == 403
    assert "Bạn không được đổi giờ" in refused.json()["error"]

    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), language="vi")
    for when, reason in (
        ("2026-11-15T14:30", "Hãy chọn một thời điểm trong tương lai."),
        ("2028-11-15T14:30", "Hãy chọn thời điểm trong vòng một năm tới"),
        ("không phải giờ", "Nhập"),
    ):
        answer = client.post(move, {"publish_at": when})
        assert answer.status_code == 400, when
        assert reason in answer.json()["error"], answer.json()
    post.refresh_from_db()
    assert post.publish_at == local(2026, 11, 18, 9, 30)

    moved = client.post(move, {"publish_at": "2026-11-19T14:30"})
    assert moved.status_code == 200
    assert "14:30 19/11/2026" in moved.json()["message"]
    post.refresh_from_db()
    assert post.publish_at == local(2026, 11, 19, 14, 30)
    # Once posted, it stays where it went out.
    Publication.objects.filter(pk=post.pk).update(
        status=S.PUBLISHED, published_at=local(2026, 11, 16, 8, 0)
    )
    late = client.post(move, {"publish_at": "2026-11-20T14:30"})
    assert late.status_code == 400
    assert "đã được đăng" in json.loads(late.content)["error"]


def test_an_hour_starts_a_share_of_an_article_at_that_time(client, org, world):
    login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
    new = reverse("publishing_calendar:new")
    form = soup_of(client.get(new, {"at": "2026-11-18T10:00"}))
    assert form.select_one("[name=publish_at]")["value"].startswith(
        ("2026-11-18 10:00", "18/11/2026 10:00")
    )
    options = [o.get_text() for o in form.select("[name=page] option")]
    assert "Bài Bắc Sơn" in options and "Bài Lộc Bình" not in options

    chosen = client.get(
        new, {"at": "x", "page": world["article"].pk, "publish_at": "2026-11-18 10:00"}
    )
    again = reverse("publishing_share_again", args=(world["article"].pk,))
    assert chosen.status_code == 302
    assert chosen["Location"] == f"{again}?publish_at=2026-11-18+10%3A00"
    share = soup_of(client.get(chosen["Location"]))
    assert "10:00" in share.select_one("[name=publish_at]")["value"]
    # Someone else's article, or a time gone: refused on the form.
    wrong = client.get(
        new, {"page": world["other"].pk, "publish_at": "2026-11-18 10:00"}
    )
    assert wrong.status_code == 200 and b"error-message" in wrong.content
    past = client.get(
        new, {"page": world["article"].pk, "publish_at": "2026-11-15 10:00"}
    )
    assert b"Choose a time in the future." in past.content


@pytest.mark.parametrize(
    "scope", [PauseScope.UNIT, PauseScope.CHANNEL, PauseScope.GLOBAL]
)
def test_posts_held_by_a_pause_switch_say_so(client, org, world, scope):
    planned(world, local(2026, 11, 18, 9, 30))
    planned(world, local(2026, 11, 18, 11, 0), channel="loc_binh")
    target = {
        PauseScope.UNIT: {"unit": org.bac_son},
        PauseScope.CHANNEL: {"channel": world["bac_son"]},
        PauseScope.GLOBAL: {},
    }[scope]
    PublishingPause.objects.create(scope=scope, **target)
    login(client, org.user("ld.khuvuc", Role.LEAD, org.region))
    soup = soup_of(client.get(URL, {"view": "week", "date": "2026-11-18"}))
    bac_son = soup.select_one('td[data-hour="09"] li')
    loc_binh = soup.select_one('td[data-hour="11"] li')
    assert bac_son["data-status"] == "scheduled"  # its status is kept...
    assert bac_son.select_one("[data-pause-switch]").get_text() == "Pause switch on"
    paused_too = scope == PauseScope.GLOBAL
    assert (loc_binh.select_one("[data-pause-switch]") is not None) is paused_too
    legend = soup.select_one(".publishing-calendar__legend").get_text()
    assert "Pause switch on" in legend and "Public holiday, Tết" in legend


def test_a_unit_pause_covers_the_districts_below_it(client, org, world):
    planned(world, local(2026, 11, 18, 9, 30))
    PublishingPause.objects.create(scope=PauseScope.UNIT, unit=org.region)
    login(client, org.user("admin", superuser=True))
    soup = soup_of(client.get(URL, {"date": "2026-11-18"}))
    assert soup.select_one('td[data-date="2026-11-18"] li[data-paused]')


def test_holidays_and_tet_are_marked_from_the_table():
    tet_2026 = holidays.of_year(2026)
    assert [d.isoformat() for d in sorted(tet_2026) if d.month == 2] == [
        f"2026-02-{n}" for n in range(16, 21)
    ]
    assert tet_2026[datetime.date(2026, 2, 16)] is holidays.TET_EVE
    assert tet_2026[datetime.date(2026, 4, 26)] is holidays.HUNG_KINGS
    assert {datetime.date(2030, 2, 2), datetime.date(2029, 4, 23)} <= (
        set(holidays.of_year(2030)) | set(holidays.of_year(2029))
    )
    for year in range(2025, 2031):
        assert len(holidays.of_year(year)) == 11, year  # 5 of Tết, 6 more
    assert holidays.of_year(2031) == {}


def test_the_month_marks_tet_in_its_days(client, org, world, time_machine):
    time_machine.move_to(local(2026, 2, 1, 9, 0), tick=False)
    login(client, org.user("admin", superuser=True), language="vi")
    soup = soup_of(client.get(URL, {"date": "2026-02-10"}))
    tet = soup.select_one('td[data-date="2026-02-17"] [data-holiday]').get_text()
    assert tet == "Tết Nguyên đán"
    assert soup.select_one('td[data-date="2026-02-21"] [data-holiday]') is None
    new = soup.select_one('td[data-date="2026-02-21"] a.publishing-calendar__new')
    assert new["href"].endswith("?at=2026-02-21")
    assert timezone.localdate() == datetime.date(2026, 2, 1)
