"""The campaign dashboard: every figure equals the one worked out by hand on a fixed
data set (docs/architecture.md, "Goals"), goal pace, the exports carry the same
figures, and a district user cannot see or export another district's figures.

The campaign runs from S = today - 9 days to today + 20 days (30 days), so the
default period (S to today) reads the posts' latest counters, and a period that
ended earlier reads their snapshots."""

import csv
import datetime
import io
from fractions import Fraction
from types import SimpleNamespace

import openpyxl
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.core.models import (
    Campaign,
    CampaignGoal,
    GoalMetric,
    Role,
)
from publishing.metrics import rollups
from publishing.metrics.dashboard.forms import DashboardFilterForm
from publishing.metrics.dashboard.goals import Progress, elapsed_share, round_half_up
from publishing.metrics.dashboard.metrics import Scope, compute, totals
from publishing.models import (
    Channel,
    Publication,
)
from tests.conftest import PASSWORD
from tests.publishing.factories import DATA_NOW as NOW
from tests.publishing.factories import Data, at
from tests.publishing.helpers import member_login as login

M = GoalMetric
DASHBOARD = "publishing_dashboard:index"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(scope="module")
def _data(module_rows):
    """Made once for the module, at NOW: each test's changes to it are undone."""
    with time_machine.travel(NOW, tick=True):
        return Data(module_rows)


@pytest.fixture
def data(_data, org):
    return _data


class TestFiguresByHand:
    def test_totals_of_the_default_period(self, data):
        t = totals(data.scope())
        assert t[M.POSTS_PUBLISHED] == 5  # p1..p5
        assert t["articles"] == 3  # a1, a2, a3
        assert t[M.REACH] == 100 + 80 + 300 + 40  # p2 unknown adds nothing
        assert t["reach_unknown"] == 1
        assert t[M.ENGAGEMENTS] == 13 + 0 + 7 + 30 + 3
        # latest count on or before today: c1 1150, c2 560, c3 2000, c4 none
        assert t[M.FOLLOWERS] == 1150 + 560 + 2000 == 3710
        # c1 from 1000 (d-3, before the start); c2 from its first reading, 500
        assert t["followers_growth"] == (1150 - 1000) + (560 - 500) + 0 == 210
        assert t[M.PRESS_ITEMS] == 3
        assert t[M.OUTREACH_EVENTS] == 2
        assert t[M.NEW_PARTICIPANTS] == 10 + 7 + 3 + 20
        # latest report per unit and group, never a sum over time (487)
        assert t[M.TOTAL_PARTICIPANTS] == 117 + 40 + 220 == 377

    def test_a_period_that_ended_reads_the_snapshots(self, data):
        t = totals(data.scope(end=data.d(3)))
        assert t[M.POSTS_PUBLISHED] == 4  # p1, p2, p3, p4 (23:30 local on d3)
        # p1 at d3 10:00 (8, 2, 1, 90); p3 at d3 14:00 (3, 0, 1, 60);
        # p4's only snapshot is on d4: unknown, like p2
        assert t[M.ENGAGEMENTS] == (8 + 2 + 1) + (3 + 0 + 1) == 15
        assert t[M.REACH] == 90 + 60
        assert t["reach_unknown"] == 2
        assert t[M.FOLLOWERS] == 1100 + 500 + 2000
        assert t["followers_growth"] == 1100 - 1000
        assert t[M.PRESS_ITEMS] == 3
        assert t[M.OUTREACH_EVENTS] == 1
        assert t[M.NEW_PARTICIPANTS] == 0  # the first report closes on d4
        assert t[M.TOTAL_PARTICIPANTS] == 0

    def test_breakdowns(self, data):
        f = compute(data.scope())
        org = data.org
        channels = {
            r["channel"].name: (r["posts"], r["articles"], r["reach"], r["engagements"])
            for r in f.by_channel
        }
        assert channels == {
            "BS FB": (2, 2, 180, 20),
            "BS Zalo": (1, 1, 0, 0),
            "LB FB": (1, 1, 300, 30),
            "KV FB": (1, 1, 40, 3),
        }
        units = {r["unit"].pk: r for r in f.by_unit}
        bs = units[org.bac_son.pk]
        assert (bs["posts"], bs["articles"], bs["engagements"]) == (3, 2, 20)
        assert (bs["followers"], bs["followers_growth"]) == (1150 + 560, 150 + 60)
        assert (bs["press_items"], bs["outreach_events"]) == (1, 1)
        assert (bs["new_participants"], bs["total_participants"]) == (20, 157)
        lb = units[org.loc_binh.pk]
        assert (lb["posts"], lb["followers"], lb["total_participants"]) == (
            1,
            2000,
            220,
        )
        networks = {
            r["network"]: (r["posts"], r["articles"], r["followers"], r["engagements"])
            for r in f.by_network
        }
        assert networks == {
            "facebook": (4, 3, 1150 + 2000, 53),
            "zalo": (1, 1, 560, 0),
        }
        groups = {
            (r["group"].slug if r["group"] else None): (
                r["posts"],
                r["reach"],
                r["engagements"],
                r["outreach_events"],
                r["new_participants"],
                r["total_participants"],
            )
            for r in f.by_target_group
        }
        assert groups == {
            "ho-kinh-doanh": (4, 480, 50, 2, 10 + 7 + 20, 117 + 220),
            "quan-ly-htx": (2, 380, 37, 1, 3, 40),
            None: (1, 40, 3, 0, 0, 0),
        }
        top = [(r["title"], r["engagements"]) for r in f.top_articles]
        assert top == [("Bài hai", 37), ("Bài một", 13), ("Bài ba", 3)]

    def test_filters_network_and_target_group(self, data):
        t = totals(data.scope(network="zalo"))
        assert (t[M.POSTS_PUBLISHED], t[M.FOLLOWERS], t[M.ENGAGEMENTS]) == (1, 560, 0)
        assert t[M.PRESS_ITEMS] == 3  # records have no network
        t = totals(data.scope(target_group=data.org.coop))
        assert (t[M.POSTS_PUBLISHED], t[M.ENGAGEMENTS]) == (2, 37)  # p3, p4
        assert (t[M.OUTREACH_EVENTS], t[M.NEW_PARTICIPANTS]) == (1, 3)
        assert t[M.TOTAL_PARTICIPANTS] == 40

    def test_series_per_local_day(self, data):
        f = compute(data.scope())
        assert len(f.series) == 10  # d0..d9, one per day
        by_day = {r["start"]: r for r in f.series}
        d = data.d
        assert [by_day[d(n)]["posts"] for n in range(10)] == [
            0,
            1,
            1,
            2,
            0,
            1,
            0,
            0,
            0,
            0,
        ]
        assert by_day[d(3)]["engagements"] == 7 + 30
        assert by_day[d(0)]["followers"] == 1000 + 2000
        assert by_day[d(2)]["followers"] == 1100 + 500 + 2000
        assert by_day[d(9)]["followers"] == 3710

    def test_a_long_period_is_charted_per_week(self, data):
        start = data.d(-60)
        f = compute(data.scope(start=start))
        assert f.series[0]["start"] == start
        assert all(r["start"].weekday() == 0 for r in f.series[1:])
        assert sum(r["posts"] for r in f.series) == 6  # and the one of d-2
        assert f.series[-1]["end"] == data.today


class TestPace:
    def test_elapsed_share_and_expected(self):
        campaign = Campaign(
            starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2025, 12, 31)
        )
        # 184 days; 1 September is day 31 + 31 + 1 = 63
        share = elapsed_share(campaign, datetime.date(2025, 9, 1))
        assert share == Fraction(63, 184)
        assert round_half_up(1000 * share) == 342  # 342.39
        assert round_half_up(Fraction(5, 2)) == 3
        assert elapsed_share(campaign, datetime.date(2025, 6, 1)) == 0
        assert elapsed_share(campaign, datetime.date(2026, 3, 1)) == 1

    def test_goal_cards(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        form = DashboardFilterForm({}, org.user("x", Role.LEAD, org.region))
        assert form.is_valid(), form.errors
        from publishing.metrics.dashboard.goals import goal_progress

        progress = goal_progress(
            data.campaign,
            form.campaign_units(),
            form.visible,
            form.selected_units(),
            data.today,
        )
        # 30 days, 10 begun: a third of each target
        rows = [(p.goal.metric, p.value, p.expected, p.on_track) for p in progress]
        assert rows == [
            (M.POSTS_PUBLISHED, 5, 10, False),
            (M.NEW_PARTICIPANTS, 10 + 7 + 3, 20, True),
            (M.TOTAL_PARTICIPANTS, 220, 100, True),
        ]
        # The dashboard passes its figures of the same scope (the campaign so far,
        # every unit): the goals come out the same from them.
        scope = Scope(data.campaign, data.campaign.starts_on, data.today, form.visible)
        arguments = (
            data.campaign,
            form.campaign_units(),
            form.visible,
            form.selected_units(),
            data.today,
        )
        known = compute(scope)
        with CaptureQueriesContext(connection) as anew:
            goal_progress(*arguments)
        with CaptureQueriesContext(connection) as reused:
            from_figures = goal_progress(*arguments, known=known)
        assert len(reused) < len(anew)  # the figures were taken, not read again
        assert [(p.goal.metric, p.value) for p in from_figures] == [
            (metric, value) for metric, value, _e, _t in rows
        ]
        page = client.get(reverse("publishing_dashboard:index")).content.decode()
        assert page.count("data-goal>") == 3


def goal(metric=M.POSTS_PUBLISHED, target=100):
    return SimpleNamespace(target=target, metric=metric)


class TestGoalCards:
    @pytest.mark.parametrize(
        "value, expected, pace",
        [
            (9, 10, "behind"),
            (10, 10, "on_pace"),
            (10, 9, "ahead"),  # 10 >= 9 x 1.1
            (0, 0, "on_pace"),
            (1, 0, "ahead"),
            (109, 100, "on_pace"),
            (110, 100, "ahead"),
        ],
    )
    def test_pace(self, value, expected, pace):
        assert Progress(goal(target=200), value, expected).pace == pace

    def test_the_bar_and_its_mark_stay_on_the_bar(self):
        over = Progress(goal(target=40), 50, 30)
        assert (over.percent, over.bar_percent, over.expected_percent) == (125, 100, 75)
        assert Progress(goal(target=3), 1, 2).expected_percent == 66  # rounded down

    def test_cards_say_and_colour_their_pace_behind_first(self, data, client, org):
        # The goal behind schedule (posts, 5 of the 10 expected) is made the
        # campaign's last: it is shown first all the same.
        data.campaign.goals.filter(metric=M.POSTS_PUBLISHED).update(sort_order=99)
        login(client, org, "lead", Role.LEAD, org.region)
        soup = BeautifulSoup(client.get(reverse(DASHBOARD)).content, "html.parser")
        cards = soup.select("[data-goal]")
        assert [c["data-pace"] for c in cards] == ["behind", "on_pace", "ahead"]
        assert [c.select_one("[data-goal-pace]").get_text() for c in cards] == [
            "Chậm tiến độ",
            "Đúng tiến độ",
            "Vượt tiến độ",
        ]
        assert "dashboard-goal--behind" in cards[0]["class"]
        posts = cards[0]
        assert posts.select_one(".dashboard-goal__value").get_text() == "5 / 30"
        # 5 of 30 is 16 %, the pace's 10 of 30 is 33 %
        assert posts.select_one("[data-goal-fill]")["style"] == "width: 16%"
        assert "33%" in posts.select_one("[data-goal-mark]")["style"]
        bar = posts.select_one("[data-goal-bar]")
        assert (bar["aria-valuenow"], bar["aria-valuemax"]) == ("5", "30")
        assert bar["role"] == "progressbar"
        # The exports list the goals in the same order, with the pace in words.
        book = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("publishing_dashboard:export_xlsx")).content)
        )
        paces = [
            r[6]
            for r in book.worksheets[1].iter_rows(
                min_row=2, max_row=4, values_only=True
            )
        ]
        assert paces == ["Chậm tiến độ", "Đúng tiến độ", "Vượt tiến độ"]

    def test_a_unit_without_channels_says_so(self, data, client, org):
        Publication.objects.filter(channel__unit=org.loc_binh).delete()
        Channel.objects.filter(unit=org.loc_binh).delete()
        rollups.rebuild()
        CampaignGoal.objects.create(
            campaign=data.campaign,
            metric=M.POSTS_PUBLISHED,
            target=12,
            unit=org.loc_binh,
        )
        login(client, org, "lead", Role.LEAD, org.region)
        soup = BeautifulSoup(client.get(reverse(DASHBOARD)).content, "html.parser")
        cards = {
            (c.h3.get_text(" ", strip=True), c.select_one("[data-no-channel]"))
            for c in soup.select("[data-goal]")
        }
        none = [title for title, said in cards if said is not None]
        assert len(none) == 1 and "Lộc Bình" in none[0]
        card = soup.select_one("[data-goal]:has([data-no-channel])")
        assert card.select_one("[data-goal-bar]") is None  # no bar of zeros
        assert "Chưa kết nối kênh nào" in card.get_text()
        # Lộc Bình's records (a press item, an event, reports) are in its row; its
        # channel figures are one cell saying why there are none.
        row = soup.select_one(
            'table[data-table="units"] tr:has(th:-soup-contains("Lộc Bình"))'
        )
        said = row.select("td[data-no-channel]")
        assert [td.get_text() for td in said] == ["Chưa kết nối kênh nào", "—"]
        assert [int(td["colspan"]) for td in said] == [6, 3]
        assert [td.get_text() for td in row.select("td.num")] == ["1", "1", "20", "220"]
        bac_son = soup.select_one(
            'table[data-table="units"] tr:has(th:-soup-contains("Bắc Sơn"))'
        )
        assert not bac_son.select("td[data-no-channel]")

        book = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("publishing_dashboard:export_xlsx")).content)
        )
        rows = {r[0]: r for r in book["Theo đơn vị"].iter_rows(values_only=True)}
        assert rows["Lộc Bình"][1:4] == ("Chưa kết nối kênh nào", "—", "—")
        assert rows["Lộc Bình"][7] == 1  # press items

    def test_xlsx_headers_are_bold_frozen_and_columns_fit(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        response = client.get(reverse("publishing_dashboard:export_xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets[1:]:
            header = [c for c in sheet[1] if c.value is not None]
            assert header and all(c.font.bold for c in header), sheet.title
            assert not any(c.font.bold for c in sheet[2]), sheet.title
            assert sheet.freeze_panes == "A2", sheet.title
            for cell in header:
                width = sheet.column_dimensions[cell.column_letter].width
                assert min(len(cell.value) + 2, 60) <= width <= 60, (
                    sheet.title,
                    cell.value,
                )
        filters = book.worksheets[0]
        label = filters.column_dimensions["A"].width
        assert label >= max(len(str(c.value)) for c in filters["A"]) + 2
        campaign = filters.column_dimensions["B"].width
        assert campaign >= len(data.campaign.name) + 2


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


class TestExports:
    def test_csv_and_xlsx_carry_the_figures(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        # ..., total participants, broadcasts, visits (none in this data set)
        expected = [5, 3, 3710, 210, 520, 1, 53, 3, 2, 40, 377, 0, 0]
        url = reverse("publishing_dashboard:export_csv")
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        blocks = csv_blocks(response)
        assert blocks[0][1][1] == data.S.strftime("%d/%m/%Y")
        figures = blocks[2][2:]  # title, header, rows
        assert [int(row[1]) for row in figures[:-1]] == expected
        assert figures[-1][1] == "0,0%"  # click-through: 0 visits / 520 reach
        channels = {row[0]: row for row in blocks[5][2:]}
        assert channels["LB FB"][3:] == [
            "1",
            "1",
            "2000",
            "0",
            "300",
            "30",
            "0",
            "0",
            "0,0%",
        ]

        response = client.get(reverse("publishing_dashboard:export_xlsx"))
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.worksheets[0]["B2"].value.date() == data.S
        sheet = book.worksheets[2]
        values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values[: len(expected)] == expected
        goals = list(
            book.worksheets[1].iter_rows(min_row=2, max_row=4, values_only=True)
        )
        assert [(g[2], g[3], g[4]) for g in goals] == [
            (5, 30, 10),
            (20, 60, 20),
            (220, 300, 100),
        ]

    def test_page_shows_vietnamese_numbers_and_dates(self, data, client, org):
        login(client, org, "lead", Role.LEAD, org.region)
        page = client.get(reverse("publishing_dashboard:index")).content.decode()
        assert "3.710" in page
        assert data.S.strftime("%d/%m/%Y") in page
        assert "chart.umd.min.js" in page
        assert 'data-table="chart-followers"' in page


class TestDistrictUser:
    @pytest.fixture
    def manager(self, data, client, org):
        login(client, org, "bs", Role.MANAGER, org.bac_son)

    def test_sees_only_their_units(self, data, client, manager):
        page = client.get(reverse("publishing_dashboard:index"))
        html = page.content.decode()
        assert page.status_code == 200
        assert "BS FB" in html and "LB FB" not in html and "KV FB" not in html
        assert "Lộc Bình" not in html
        assert "3.710" not in html and "1.710" in html  # c1 1150 + c2 560
        assert html.count("data-goal>") == 1  # Bắc Sơn's goal only

    def test_exports_hold_only_their_units(self, data, client, manager):
        blocks = csv_blocks(client.get(reverse("publishing_dashboard:export_csv")))
        figures = [int(row[1]) for row in blocks[2][2:-1]]
        # p1, p2, p3; articles a1, a2; followers 1150 + 560; press 1; outreach 1;
        # new 10 + 7 + 3; total 117 + 40; no broadcasts, no visits
        assert figures == [3, 2, 1710, 210, 180, 1, 20, 1, 1, 20, 157, 0, 0]
        names = [row[0] for row in blocks[5][2:]]
        assert names == ["BS FB", "BS Zalo"]
        response = client.get(reverse("publishing_dashboard:export_xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = {
            str(c)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for c in row
        }
        assert "BS FB" in cells and "LB FB" not in cells and "Lộc Bình" not in cells

    def test_a_forged_unit_is_refused_everywhere(self, data, client, org, manager):
        query = {"unit": org.loc_binh.pk}
        page = client.get(reverse("publishing_dashboard:index"), query)
        html = page.content.decode()
        assert "data-field-error" in html
        assert "LB FB" not in html and "2.000" not in html and "data-table" not in html
        for name in ("export_csv", "export_xlsx"):
            response = client.get(reverse(f"publishing_dashboard:{name}"), query)
            assert response.status_code == 400
            assert "LB FB" not in response.content.decode()
            assert "units you work for" in response.content.decode() or (
                "đơn vị" in response.content.decode()
            )

    def test_region_unit_filter_is_also_refused(self, data, client, org, manager):
        response = client.get(
            reverse("publishing_dashboard:export_csv"), {"unit": org.region.pk}
        )
        assert response.status_code == 400

    def test_a_user_without_a_role_cannot_open_it(self, data, client, org):
        org.user("nobody")
        client.login(username="nobody", password=PASSWORD)
        response = client.get(reverse("publishing_dashboard:export_csv"))
        assert response.status_code in (302, 403)
        assert "LB FB" not in response.content.decode()


class TestHomePanel:
    def test_summary_for_the_users_units(self, data, client, org):
        login(client, org, "bs", Role.EDITOR, org.bac_son)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "data-dashboard-summary" in html
        assert "1.710" in html and "3.710" not in html
        assert reverse("publishing_dashboard:index") in html


class TestArticleCounts:
    def test_edit_page_shows_counts_per_channel(self, data, client, org):
        Publication.objects.filter(pk=data.p1.pk).update(
            reactions=1234, removed_at=at(data.d(6))
        )
        login(client, org, "bs", Role.EDITOR, org.bac_son)
        url = reverse("wagtailadmin_pages:edit", args=(data.a1.pk,))
        html = client.get(url).content.decode()
        assert html.count("data-post-counts") == 2  # p1 on BS FB, p2 on BS Zalo
        assert "1.234" in html  # Vietnamese thousands
        assert data.d(6).strftime("%d/%m/%Y") in html  # removed, history kept
        assert "LB FB" not in html  # the post of d-2 on Lộc Bình's channel
