"""Issue 18's bulk journey: an approver downloads the template, whose example row is
one of their own articles on one of their channels; uploads a file written with the
share tab's Vietnamese kinds ("lien ket", "Bài viết"); confirms; and lands on the
publication list showing only what was just scheduled, as a removable filter."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from cms.content.models import ArticlePage, UnitSectionPage
from publishing.models import Channel, Publication
from tests.e2e.helpers import sign_in


@pytest.fixture
def channels(demo):
    unit = UnitSectionPage.objects.get(unit__slug="bac-son").unit
    made = {}
    for network, name in (("facebook", "Trang tin Bắc Sơn"), ("zalo", "OA Bắc Sơn")):
        channel = Channel(
            unit=unit, network=network, name=name, external_id=f"{network}-bulk"
        )
        channel.set_credentials({"page_token": "t", "access_token": "t"})
        channel.save()
        made[network] = channel
    return made


def test_a_file_in_vietnamese_from_the_template_is_scheduled(
    channels, live_server, page
):
    base = live_server.url
    section = UnitSectionPage.objects.get(unit__slug="bac-son")
    own = ArticlePage.objects.live().descendant_of(section)
    newest = own.order_by("-last_published_at", "-pk").first()
    other = own.exclude(pk=newest.pk).first()
    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/publishing/bulk/")

    example = page.locator("[data-bulk-example]")
    expect(example).to_contain_text(f"“{newest.title}”")
    expect(example).to_contain_text("“Trang tin Bắc Sơn”")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        header, row = list(csv.reader(handle))
    assert row[0] == newest.full_url and row[1] == "Trang tin Bắc Sơn"
    assert row[4] == "Liên kết"

    rows = [
        header,
        [*row[:4], "lien ket", ""],
        [other.pk, "OA Bắc Sơn", row[2], "", "Bài viết", ""],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "lich.csv",
                "mimeType": "text/csv",
                "buffer": text.getvalue().encode(),
            }
        ],
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("[data-bulk-summary]")).to_contain_text(
        "2 lượt chia sẻ sẽ được lên lịch"
    )
    page.get_by_role("button", name="Xác nhận và lên lịch").click()

    page.wait_for_url("**/admin/publishing/publications/?ids=*")
    pill = page.locator(".w-active-filters .w-pill")
    expect(pill).to_have_count(1)
    expect(pill).to_contain_text("Vừa lên lịch:")
    expect(pill).to_contain_text("2 bài đăng")
    listing = page.locator("#listing-results tbody tr")
    expect(listing).to_have_count(2)
    expect(page.locator("#listing-results")).to_contain_text(
        "Facebook · Trang tin Bắc Sơn"
    )
    expect(page.locator("#listing-results")).to_contain_text("Zalo · OA Bắc Sơn")
    kinds = dict(Publication.objects.values_list("channel__network", "kind"))
    assert kinds == {"facebook": "link", "zalo": "article"}

    # The pill's cross removes the filter: the list is the usual one again.
    page.locator(".w-active-filters .w-pill__remove").click()
    expect(page.locator(".w-active-filters .w-pill")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"[?&]ids="))
