"""Issue 18, our own face: an editor of the demo sees the agency's logo and name in
the admin's sidebar (no Wagtail bird), the favicon on the admin and the public site,
the explorer's tab title in Vietnamese, and opens the guide from the menu where
Wagtail's Help was."""

from playwright.sync_api import expect

from cms.content.models import ArticleIndexPage
from tests.e2e.helpers import sign_in

AGENCY = "Bảo hiểm xã hội khu vực V"


def check_favicon(page, base):
    href = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    return href


def test_the_editor_sees_the_agency_and_opens_the_guide(page, live_server, demo):
    base = live_server.url
    sign_in(page, base, "bientap.bacson")
    page.goto(f"{base}/admin/")
    branding = page.locator("#wagtail-sidebar .sidebar-custom-branding")
    expect(branding.locator("img.brand-logo")).to_be_visible()
    expect(branding.locator(".brand-name")).to_have_text(AGENCY)
    # The logo was drawn (an SVG the browser loaded), and no bird anywhere.
    width = branding.locator("img.brand-logo").evaluate("img => img.naturalWidth")
    assert width > 0
    expect(page.locator(".sidebar-wagtail-branding, svg.icon-wagtail")).to_have_count(0)
    admin_icon = check_favicon(page, base)

    # The editor's explorer opens on their unit's section.
    news = ArticleIndexPage.objects.get()
    page.goto(f"{base}/admin/pages/{news.pk}/")
    assert page.title().startswith("Đang xem: Bảo hiểm xã hội cơ sở Bắc Sơn")

    # Where Wagtail's Help was: our guide, no English guides, no badge.
    sidebar = page.locator("#wagtail-sidebar")
    expect(sidebar.get_by_text("Trợ giúp", exact=True)).to_have_count(0)
    sidebar.get_by_role("link", name="Hướng dẫn").click()
    page.wait_for_url(f"{base}/admin/publishing/guide/")
    expect(page.locator("h1")).to_have_text("Hướng dẫn chia sẻ bài viết")
    expect(page.locator("ol.publishing-guide > li")).to_have_count(6)
    expect(page.locator("ol.publishing-guide h2 svg.icon").first).to_be_visible()
    page.locator("ol.publishing-guide").get_by_role(
        "link", name="Lịch đăng bài"
    ).click()
    page.wait_for_url(f"{base}/admin/publishing/calendar/**")

    page.goto(f"{base}/")
    assert check_favicon(page, base) == admin_icon
