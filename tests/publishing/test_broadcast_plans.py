"""Zalo broadcasts planned in the article's "Social sharing" tab: on a Zalo OA only,
within the OA's monthly quota (naming the days used), and a plan due outside
06:00-21:59 saved with the warning that its broadcast waits until 06:00."""

import datetime
import json

import pytest
import time_machine
from bs4 import BeautifulSoup

from publishing.models import Broadcast, Publication
from tests.cms.helpers import visible_text
from tests.publishing.factories import TZ, Setup, at
from tests.publishing.helpers import row_errors

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
DEC = datetime.date(2026, 12, 1)


def day(n):
    return DEC.replace(day=n)


def local(moment):
    return moment.strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def tab(org, client):
    with time_machine.travel(NOW, tick=False):
        setup = Setup(org, client)
        setup.zalo.broadcasts_per_month = 2
        setup.zalo.save(update_fields=["broadcasts_per_month"])
        yield setup


def sent_on(tab, *days):
    """Broadcasts of another article on the OA, one on each day."""
    other = tab.org.article()
    for n, when in enumerate(days, start=1):
        publication = Publication.objects.create(
            page=other, channel=tab.zalo, round=n, publish_at=at(when, 8)
        )
        Broadcast.objects.create(publication=publication, send_at=at(when, 8))


def plan(tab, when, **row):
    return {
        "channel": tab.zalo,
        "publish_at": local(when),
        "broadcast": "on",
        **row,
    }


def saved(tab):
    tab.page.refresh_from_db()
    return list(tab.page.get_latest_revision_as_object().share_plans.all())


def error_text(response, field="broadcast"):
    return " ".join(row_errors(response).get(field, []))


class TestQuota:
    def test_a_plan_beyond_the_month_is_refused_naming_the_days_used(self, tab):
        sent_on(tab, day(3), day(10))
        response = tab.post(plan(tab, at(day(20), 9)))
        assert response.status_code == 200
        text = error_text(response)
        assert "không còn lượt gửi đến người theo dõi trong tháng 12/2026" in text
        assert "đã dùng: 03/12, 10/12" in text
        assert tab.saved_plans() == []

    def test_a_second_broadcast_the_same_day_is_refused(self, tab):
        sent_on(tab, day(3))
        response = tab.post(plan(tab, at(day(3), 15)))
        assert response.status_code == 200
        assert "mỗi ngày tối đa một lượt; đã dùng: 03/12" in error_text(response)
        assert tab.saved_plans() == []

    def test_next_month_has_its_own_quota(self, tab):
        sent_on(tab, day(3), day(10))
        response = tab.post(plan(tab, at(datetime.date(2027, 1, 5), 9)))
        assert response.status_code == 302
        assert [p.broadcast for p in saved(tab)] == [True]

    def test_a_plan_at_22_05_counts_on_the_next_day(self, tab):
        """It waits until 06:00 the next day: that day is the one it uses."""
        sent_on(tab, day(3))
        response = tab.post(plan(tab, at(day(2), 22, 5)))
        assert "đã dùng: 03/12" in error_text(response)

    def test_the_option_says_how_many_are_left(self, tab):
        sent_on(tab, day(3))
        tab.post(plan(tab, at(day(5), 9)))
        soup = BeautifulSoup(tab.client.get(tab.edit_url).content, "html.parser")
        [left] = soup.select("[data-share-plans-left]")
        assert left.get_text(strip=True) == "còn 1 lượt trong tháng"
        element = soup.select_one("[data-controller='share-plans']")
        data = json.loads(element["data-share-plans-data-value"])
        assert data["channels"][str(tab.zalo.pk)]["broadcasts_left"] == (
            "còn 1 lượt trong tháng"
        )
        assert data["channels"][str(tab.fb.pk)]["broadcasts_left"] == ""


class TestNetwork:
    def test_facebook_cannot_send_to_followers(self, tab):
        response = tab.post(plan(tab, at(day(5), 9), channel=tab.fb))
        assert response.status_code == 200
        assert "Chỉ OA Zalo mới gửi được bài đến người theo dõi" in error_text(response)
        assert tab.saved_plans() == []


class TestWindow:
    def test_a_plan_at_22_05_is_saved_and_says_it_waits_until_06_00(self, tab):
        response = tab.post(plan(tab, at(day(5), 22, 5)))
        assert response.status_code == 302
        page = tab.client.get(tab.edit_url)
        soup = BeautifulSoup(page.content, "html.parser")
        [note] = [
            n
            for n in soup.select("[data-share-plans-window]")
            if not n.has_attr("hidden")
        ]
        assert visible_text(str(note)) == (
            "Zalo chỉ gửi đến người theo dõi từ 06:00 đến 21:59: bài đăng lúc 22:05, "
            "lượt gửi đến người theo dõi chờ đến 06:00 ngày 06/12."
        )

    def test_a_plan_within_the_window_says_nothing(self, tab):
        tab.post(plan(tab, at(day(5), 9)))
        page = tab.client.get(tab.edit_url)
        soup = BeautifulSoup(page.content, "html.parser")
        assert all(
            n.has_attr("hidden") for n in soup.select("[data-share-plans-window]")
        )


class TestAudience:
    def test_the_audience_is_chosen_by_name_and_kept_by_key(self, tab):
        response = tab.post(
            plan(
                tab,
                at(day(5), 9),
                audience_gender="female",
                audience_ages=("25-34", "35-44"),
                audience_provinces=("lang-son",),
            )
        )
        assert response.status_code == 302
        [saved_plan] = saved(tab)
        assert saved_plan.broadcast is True
        assert saved_plan.audience == {
            "gender": "female",
            "ages": ["25-34", "35-44"],
            "provinces": ["lang-son"],
        }
        shown = tab.client.get(tab.edit_url).content.decode()
        assert "Lạng Sơn" in shown and "25–34 tuổi" in shown

    def test_an_unknown_key_is_refused(self, tab):
        response = tab.post(plan(tab, at(day(5), 9), audience_provinces=("atlantis",)))
        assert response.status_code == 200
        assert row_errors(response)["audience_provinces"]
        assert tab.saved_plans() == []

    def test_all_followers_by_default(self, tab):
        tab.post(plan(tab, at(day(5), 9)))
        [saved_plan] = saved(tab)
        assert (saved_plan.broadcast, saved_plan.audience) == (True, {})
