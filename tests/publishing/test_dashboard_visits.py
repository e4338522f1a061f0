"""Visits from social networks on the dashboard: the figures a person reads by
network, channel, unit, article and target group, click-through with and without a
known reach, the series and its chart, the goal kind and its pace, the exports'
columns, and a district user seeing only their units' visits.

The data set is the dashboard's (tests/publishing/factories.py::Data: S = today - 9
days, posts p1..p5 with reach 100, unknown, 80, 300, 40) with these visits:
p1 (BS FB) 5 on d1 and 3 on d4; p2 (BS Zalo, reach unknown) 4 on d2; p4 (LB FB)
12 on d4 and 6 on d9 (today); an older post of a1 on LB FB (published d-2) 100 on
d-1 (before the period) and 2 on d2; a post of an article in no campaign 50 on d3.
"""

import csv
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from cms.core.models import CampaignGoal, GoalMetric, Role
from publishing.metrics.dashboard.forms import DashboardFilterForm
from publishing.metrics.dashboard.goals import goal_progress
from publishing.metrics.dashboard.metrics import compute, totals
from publishing.metrics.dashboard.tables import Rate, build
from publishing.models import Publication, VisitDay
from tests.cms.helpers import CAMPAIGN_EDIT as EDIT
from tests.cms.helpers import campaign_form
from tests.conftest import PASSWORD
from tests.publishing.factories import DATA_NOW as NOW
from tests.publishing.factories import Data

M = GoalMetric


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(scope="module")
def _data(module_rows):
    with time_machine.travel(NOW, tick=True):
        data = Data(module_rows)
        d = data.d
        older = Publication.objects.get(page=data.a1, channel=data.c3)
        outside = Publication.objects.get(page=data.a4)
        for publication, day, visits in (
            (data.p1, d(1), 5),
            (data.p1, d(4), 3),
            (data.p2, d(2), 4),
            (data.p4, d(4), 12),
            (data.p4, d(9), 6),
            (older, d(-1), 100),
            (older, d(2), 2),
            (outside, d(3), 50),
        ):
            VisitDay.objects.create(publication=publication, day=day, visits=visits)
        goal = CampaignGoal.objects.create
        goal(campaign=data.campaign, metric=M.SOCIAL_VISITS, target=90)
        goal(
            campaign=data.campaign,
            metric=M.SOCIAL_VISITS,
            target=60,
            unit=module_rows.bac_son,
        )
        return data


@pytest.fixture
def data(_data, org):
    return _data


def login(client, org, username, role, unit):
    org.user(username, role=role, unit=unit)
    assert client.login(username=username, password=PASSWORD)


def rate(row):
    return str(Rate(row["click_through"]))


class TestFigures:
    def test_totals_and_click_through(self, data):
        t = totals(data.scope())
        # 8 (p1) + 4 (p2) + 18 (p4) + 2 (the older post, on d2): visits in the
        # period, whenever the post went out; the article in no campaign is out
        assert t[M.SOCIAL_VISITS] == 32
        assert str(Rate(t["click_through"])) == "6,2%"  # 32 / 520 = 6.15 %

    def test_by_channel_unit_network(self, data):
        f = compute(data.scope())
        channels = {r["channel"].name: (r["visits"], rate(r)) for r in f.by_channel}
        assert channels == {
            "BS FB": (8, "4,4%"),  # 8 / 180
            "BS Zalo": (4, "không rõ"),  # Zalo's post has no known reach
            "LB FB": (20, "6,7%"),  # 20 / 300
            "KV FB": (0, "0,0%"),
        }
        units = {r["unit"].slug: r["visits"] for r in f.by_unit}
        assert units == {"bac-son": 12, "loc-binh": 20, "khu-vuc-v": 0}
        networks = {r["network"]: (r["visits"], rate(r)) for r in f.by_network}
        assert networks == {"facebook": (28, "5,4%"), "zalo": (4, "không rõ")}

    def test_by_article_and_target_group(self, data):
        f = compute(data.scope())
        visited = [(r["title"], r["visits"], rate(r)) for r in f.most_visited]
        assert visited == [("Bài hai", 18, "4,7%"), ("Bài một", 14, "14,0%")]
        top = {r["title"]: r["visits"] for r in f.top_articles}
        assert top == {"Bài hai": 18, "Bài một": 14, "Bài ba": 0}
        groups = {
            (r["group"].slug if r["group"] else None): r["visits"]
            for r in f.by_target_group
        }
        assert groups == {"ho-kinh-doanh": 32, "quan-ly-htx": 18, None: 0}

    def test_series_by_visit_day(self, data):
        f = compute(data.scope())
        by_day = {r["start"]: r["visits"] for r in f.series}
        assert [by_day[data.d(n)] for n in range(10)] == [0, 5, 6, 0, 15, 0, 0, 0, 0, 6]

    def test_filters_and_a_period_that_ended(self, data):
        assert totals(data.scope(network="zalo"))[M.SOCIAL_VISITS] == 4
        coop = totals(data.scope(target_group=data.org.coop))
        assert coop[M.SOCIAL_VISITS] == 18
        assert str(Rate(coop["click_through"])) == "4,7%"  # 18 / (80 + 300)
        ended = totals(data.scope(end=data.d(3)))
        assert ended[M.SOCIAL_VISITS] == 5 + 4 + 2

    def test_click_through_is_not_known_without_reach(self, data):
        t = totals(data.scope(network="zalo"))
        assert t["click_through"] is None
        assert str(Rate(t["click_through"])) == "không rõ"


class TestGoal:
    def test_visits_goal_progress(self, data, org):
        user = org.user("lead", Role.LEAD, org.region)
        form = DashboardFilterForm({}, user)
        assert form.is_valid(), form.errors
        progress = goal_progress(
            data.campaign,
            form.campaign_units(),
            form.visible,
            form.selected_units(),
            data.today,
        )
        visits = [
            (p.goal.unit.slug if p.goal.unit else None, p.value, p.expected)
            for p in progress
            if p.goal.metric == M.SOCIAL_VISITS
        ]
        # 10 of the campaign's 30 days begun: a third of each target; the goal
        # behind schedule comes first
        assert visits == [("bac-son", 12, 20), (None, 32, 30)]
        cards = [p for p in progress if p.goal.metric == M.SOCIAL_VISITS]
        assert [p.on_track for p in cards] == [False, True]
        assert [p.pace for p in cards] == ["behind", "on_pace"]  # 32 < 30 x 1.1
        assert cards[0].goal.get_metric_display() == "Lượt truy cập từ mạng xã hội"

    def test_the_campaign_form_offers_and_saves_the_kind(self, data, client, org):
        lead = org.user("ld", Role.LEAD, org.region)
        client.force_login(lead)
        url = reverse(EDIT, args=(data.campaign.pk,))
        html = client.get(url).content.decode()
        assert '<option value="social_visits">Lượt truy cập từ mạng xã hội' in html
        new = (M.SOCIAL_VISITS, 500, org.loc_binh.pk)
        response = client.post(url, campaign_form(data.campaign, [new]))
        assert response.status_code == 302
        assert data.campaign.goals.filter(
            metric=M.SOCIAL_VISITS, target=500, unit=org.loc_binh
        ).exists()


class TestPage:
    def test_the_dashboard_shows_visits(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        html = client.get(reverse("publishing_dashboard:index")).content.decode()
        assert "Lượt truy cập từ mạng xã hội" in html
        assert 'data-chart="visits"' in html
        assert 'data-table="chart-visits"' in html
        assert 'data-table="visited"' in html
        assert "6,2%" in html and "không rõ" in html
        assert '"visits": [0, 5, 6, 0, 15, 0, 0, 0, 0, 6]' in html

    def test_a_district_user_sees_only_their_units_visits(self, data, client, org):
        login(client, org, "bs", Role.MANAGER, org.bac_son)
        html = client.get(reverse("publishing_dashboard:index")).content.decode()
        assert "LB FB" not in html and "6,2%" not in html
        response = client.get(reverse("publishing_dashboard:export_csv"))
        blocks = csv_blocks(response)
        totals_rows = {row[0]: row[1] for row in blocks[2][2:]}
        assert totals_rows["Lượt truy cập từ mạng xã hội"] == "12"
        assert totals_rows["Tỉ lệ nhấp"] == "6,7%"  # 12 / 180
        visited = {row[0]: row for row in table(blocks, "visited")}
        assert set(visited) == {"Bài một"}  # p4's visits are Lộc Bình's


def csv_blocks(response):
    text = response.content.decode("utf-8-sig")
    blocks, current = [], []
    for row in csv.reader(io.StringIO(text)):
        if row:
            current.append(row)
        else:
            blocks.append(current)
            current = []
    return blocks + [current]


def table(blocks, title):
    """The rows of the block titled `title` (its header left out)."""
    titles = {
        "visited": "Bài viết được truy cập nhiều nhất",
        "channels": "Theo kênh",
    }
    for block in blocks:
        if block and block[0] == [titles[title]]:
            return block[2:]
    raise AssertionError(f"no table {title}")


class TestExports:
    def test_csv_and_xlsx_carry_visits_columns(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        blocks = csv_blocks(client.get(reverse("publishing_dashboard:export_csv")))
        channels = {row[0]: row for row in table(blocks, "channels")}
        header = next(b for b in blocks if b and b[0] == ["Theo kênh"])[1]
        assert header[-2:] == ["Lượt truy cập từ mạng xã hội", "Tỉ lệ nhấp"]
        assert channels["LB FB"][-2:] == ["20", "6,7%"]
        assert channels["BS Zalo"][-2:] == ["4", "không rõ"]
        visited = table(blocks, "visited")
        assert [(r[0], r[-2], r[-1]) for r in visited] == [
            ("Bài hai", "18", "4,7%"),
            ("Bài một", "14", "14,0%"),
        ]

        response = client.get(reverse("publishing_dashboard:export_xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book["Theo kênh"]
        rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert rows["LB FB"][-2] == 20
        assert rows["LB FB"][-1] == pytest.approx(20 / 300)
        assert rows["BS Zalo"][-1] == "không rõ"
        cell = next(c for c in sheet[2] if isinstance(c.value, float))
        assert cell.number_format == "0.0%"

    def test_tables_name_the_columns(self, data):
        f = compute(data.scope())
        built = {t.key: t for t in build(f, [])}
        for key in ("units", "channels", "networks", "groups", "articles", "visited"):
            columns = [str(c) for c in built[key].columns]
            assert columns[-2:] == ["Lượt truy cập từ mạng xã hội", "Tỉ lệ nhấp"]
        assert "Lượt truy cập từ mạng xã hội" in [
            str(c) for c in built["series"].columns
        ]
