"""Wagtail's own report exports never hand a spreadsheet a formula: a page titled
=HYPERLINK(...) comes out of the site history (the audit log), aging pages and
locked pages reports as text, in CSV as our own exports write it (a leading ')
and in XLSX as a text cell."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from cms.core.models import Role

TITLE = '=HYPERLINK("http://x","y")'
REPORTS = ["site_history", "aging_pages", "locked_pages"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(org):
    page = org.article("bac-son", title=TITLE)
    page.locked, page.locked_at = True, timezone.now()
    page.locked_by = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    page.save()
    return page


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("quantri", superuser=True))
    return client


def export(client, report, fmt):
    url = reverse(f"wagtailadmin_reports:{report}") + f"?export={fmt}"
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [])


def csv_cells(content):
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


@pytest.mark.parametrize("report", REPORTS)
def test_a_formula_title_is_text_in_the_csv(admin_client, page, report):
    cells = csv_cells(export(admin_client, report, "csv"))
    mentions = [cell for cell in cells if "HYPERLINK" in cell]
    assert mentions  # the page is in the report
    assert all(cell == "'" + TITLE for cell in mentions)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_a_user_named_like_a_formula_is_text_in_the_audit_log_csv(client, org):
    editor = org.user("@SUM(1+1)", superuser=True)
    client.force_login(editor)
    log(instance=org.article("bac-son"), action="wagtail.edit", user=editor)
    cells = csv_cells(export(client, "site_history", "csv"))
    assert "'@SUM(1+1)" in cells
    assert "@SUM(1+1)" not in cells


@pytest.mark.parametrize("report", REPORTS)
def test_a_formula_title_is_a_text_cell_in_the_xlsx(admin_client, page, report):
    book = openpyxl.load_workbook(io.BytesIO(export(admin_client, report, "xlsx")))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    mentions = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert mentions
    assert all(cell.data_type == "s" and cell.value == TITLE for cell in mentions)
