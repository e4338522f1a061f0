"""The region lead opens the campaign dashboard on the demo data, filters it to one
district and downloads the XLSX: the file holds that district's figures only."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cms.core.models import Unit
from tests.e2e.test_article_journey import log_in


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


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
    log_in(page, base, "lanhdao.khuvuc")
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
