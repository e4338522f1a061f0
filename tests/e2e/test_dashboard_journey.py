"""The region lead opens the campaign dashboard on the demo data, filters it to one
district and downloads the XLSX: the file holds that district's figures only."""

import datetime
import io
from pathlib import Path

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import ArticlePage
from cms.core.models import Campaign, Unit
from publishing.metrics import rollups
from publishing.models import (
    Channel,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
    VisitDay,
)
from tests.e2e.helpers import sign_in


def cells(book):
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def test_the_lead_filters_the_dashboard_to_a_district_and_downloads_it(
    page, live_server, demo
):
    base = live_server.url
    bac_son = Unit.objects.get(slug="bac-son")
    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/dashboard/")
    dashboard = page.locator("[data-dashboard]")
    expect(dashboard.locator("[data-goal]").first).to_be_visible()
    # The whole region first: other districts are in the breakdowns.
    tables = dashboard.locator("table")
    expect(tables.first).to_be_visible()
    assert "Lộc Bình" in " ".join(tables.all_inner_texts())

    page.locator("select[name=unit]").select_option(str(bac_son.pk))
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url(f"**unit={bac_son.pk}**")
    expect(dashboard.locator("[data-goal]").first).to_be_visible()
    shown = " ".join(tables.all_inner_texts())
    assert "Bắc Sơn" in shown and "Lộc Bình" not in shown

    with page.expect_download() as download_info:
        page.locator("a[data-export=xlsx]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    values = cells(book)
    filters = {
        row[0]: row[1]
        for row in book.worksheets[0].iter_rows(values_only=True)
        if row and row[0]
    }
    assert bac_son.label in filters.values()
    assert not any("Lộc Bình" in value for value in values)
    assert len(book.worksheets) > 1 and any(v.isdigit() for v in values)


# Counts a canvas's painted pixels: all of them, and those of the chart's own colour
# (its line or bars, not only the axes and labels Chart.js draws around them).
PAINTED = """(canvas, colour) => {
  const { width, height } = canvas;
  if (!width || !height) return { painted: 0, series: 0 };
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const near = (i) => [0, 1, 2].every((c) => Math.abs(pixels[i + c] - colour[c]) < 24);
  let painted = 0;
  let series = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) continue;
    painted += 1;
    if (pixels[i + 3] > 200 && near(i)) series += 1;
  }
  return { painted, series };
}"""

SERIES_COLOURS = {
    "followers": (0x0B, 0x53, 0x94),
    "posts": (0x38, 0x76, 0x1D),
    "engagements": (0xB4, 0x5F, 0x06),
    "visits": (0x74, 0x1B, 0x47),
}


def campaign_with_figures():
    """A campaign of the last four weeks with a post, engagement, followers and
    visits in every week, so each chart has a series to draw (the demo's posts lie
    ahead)."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Chiến dịch có số liệu",
        slug="chien-dich-co-so-lieu",
        starts_on=today - datetime.timedelta(days=27),
        ends_on=today + datetime.timedelta(days=30),
    )
    campaign.units.set([Unit.objects.get(slug="khu-vuc-v")])
    channel = Channel.objects.create(
        unit=Unit.objects.get(slug="bac-son"),
        network="facebook",
        name="BHXH Bắc Sơn (thử)",
        external_id="chart-test",
    )
    articles = ArticlePage.objects.live().filter(units__slug="bac-son")[:4]
    for week, article in enumerate(articles):
        article.campaign = campaign
        article.save(update_fields=["campaign"])
        day = campaign.starts_on + datetime.timedelta(days=7 * week + 1)
        when = datetime.datetime.combine(
            day, datetime.time(9), tzinfo=timezone.get_current_timezone()
        )
        publication = Publication.objects.create(
            page=article,
            channel=channel,
            status=PublicationStatus.PUBLISHED,
            publish_at=when,
            published_at=when,
            reactions=40 + 10 * week,
            comments=5,
            shares=3,
            reach=900,
        )
        VisitDay.objects.create(publication=publication, day=day, visits=30 + week)
        FollowerSnapshot.objects.create(
            channel=channel,
            captured_on=day,
            followers=1000 + 50 * week,
            captured_at=when,
        )
    rollups.rebuild()  # as the scheduler does; the posts were made directly
    return campaign


def test_each_dashboard_chart_draws_its_series(page, live_server, demo):
    base = live_server.url
    campaign = campaign_with_figures()
    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/dashboard/?campaign={campaign.pk}")
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(len(SERIES_COLOURS))
    for key, colour in SERIES_COLOURS.items():
        canvas = page.locator(f"canvas[data-chart={key}]")
        canvas.scroll_into_view_if_needed()
        counts = canvas.evaluate(PAINTED, list(colour))
        assert counts["painted"] > 1000, (key, counts)
        assert counts["series"] > 50, (key, counts)
