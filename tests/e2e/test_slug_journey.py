"""A district editor types a Vietnamese title: the address the editor proposes, and the
one the article is published at, keep every letter in ASCII (đ is d), and that
address is the canonical link and og:url a post shares."""

import re

from playwright.sync_api import expect

from cms.content.models import ArticlePage, UnitSectionPage
from tests.conftest import make_image
from tests.e2e.helpers import sign_in

TITLE = "Bắc Sơn: hộ kinh doanh chợ Bắc Sơn được hướng dẫn đóng BHXH bắt buộc"
SLUG = "bac-son-ho-kinh-doanh-cho-bac-son-duoc-huong-dan-dong-bhxh-bat-buoc"


def test_a_vietnamese_title_gives_a_folded_address(page, live_server, demo):
    base = live_server.url
    section = UnitSectionPage.objects.get(unit__slug="bac-son")
    sign_in(page, base, "bientap.bacson")
    page.goto(f"{base}/admin/pages/add/cms_content/articlepage/{section.pk}/")
    title = page.locator("#id_title")
    title.press_sequentially(TITLE)
    # The slug follows the title as it is typed, before the field is left.
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    title.blur()
    expect(page.locator("#id_slug")).to_have_value(SLUG)

    page.fill("#id_intro", "Cán bộ BHXH cơ sở hướng dẫn tiểu thương chợ Bắc Sơn.")
    page.locator("footer button.action-save").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    article = ArticlePage.objects.get(title=TITLE)
    assert article.slug == SLUG

    # Published (the approval is another journey's), the address reads right.
    article = article.get_latest_revision_as_object()
    article.cover_image = make_image("Chợ Bắc Sơn")
    article.save_revision().publish()
    address = f"{base}/tin-tuc/bac-son/{SLUG}/"
    page.goto(address)
    expect(page.locator("h1")).to_have_text(TITLE)
    assert page.url == address
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    og_url = page.locator("meta[property='og:url']").get_attribute("content")
    assert canonical.endswith(f"/tin-tuc/bac-son/{SLUG}/")
    assert og_url == canonical
