"""The admin and the public site work under the Content-Security-Policy: the region
lead goes through the dashboard, the page editor (sharing tab, image chooser), the
campaign dashboard with its charts, the calendar, the publications and the channels,
then the public article with a video; the browser reports no policy violation and
no script error on any of them."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from cms.content.models import ArticlePage
from publishing.models import Publication

# Every violation reaches the console under this tag, whatever Chromium prints.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP-VIOLATION ${event.violatedDirective} ${event.blockedURI}`
    + ` ${event.sourceFile}:${event.lineNumber}`);
});
"""
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def demo(demo):
    """The demo's first live article with a cover, a video added to its body."""
    article = ArticlePage.objects.live().filter(cover_image__isnull=False).first()
    article.body.append(("embed", {"url": VIDEO, "caption": "Video hướng dẫn"}))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


class Problems:
    """What the browser complained about: policy violations and script errors."""

    def __init__(self, page):
        self.found = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.found.append(f"error: {error}"))

    def console(self, message):
        text = message.text
        if message.type == "error" and (
            "CSP-VIOLATION" in text or "Content Security Policy" in text
        ):
            self.found.append(text)


def sign_in(page, base, username):
    """A signed-in session as the test client makes it (the sign-in steps have
    their own journeys); the login page itself is visited first, signed out."""
    visit(page, f"{base}/admin/login/", "form")
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
    )


def visit(page, url, ready):
    page.goto(url)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_load_state("networkidle")


def test_the_admin_and_the_public_site_work_under_the_policy(page, live_server, demo):
    base = live_server.url
    problems = Problems(page)
    sign_in(page, base, "lanhdao.khuvuc")
    visit(page, f"{base}/admin/", "main")

    # The page editor: its tabs, the sharing tab's rows, the image chooser.
    visit(page, f"{base}/admin/pages/{demo.pk}/edit/", "#id_title")
    page.locator("[role=tab]", has_text="Chia sẻ").first.click()
    expect(page.locator("section[role=tabpanel]:not([hidden])")).to_have_count(1)
    # A new article: the cover's chooser, its image list and its upload tab.
    section = demo.get_parent()
    add = f"{base}/admin/pages/add/cms_content/articlepage/{section.pk}/"
    visit(page, add, "#id_title")
    page.locator("#id_cover_image-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal.locator(".listing, table").first).to_be_visible()
    modal.locator("a[href='#tab-upload']").click()
    expect(modal.locator("input[type=file]")).to_be_attached()
    page.keyboard.press("Escape")

    visit(page, f"{base}/admin/publishing/dashboard/", "[data-dashboard] canvas")
    charts = page.evaluate(
        "Array.from(document.querySelectorAll('[data-dashboard] canvas'))"
        ".filter((c) => c.width > 0).length"
    )
    assert charts > 0  # Chart.js ran and drew
    visit(page, f"{base}/admin/publishing/calendar/", "table")
    visit(page, f"{base}/admin/publishing/publications/", "main")
    publication = Publication.objects.first()
    if publication:
        visit(page, f"{base}/admin/publishing/publications/{publication.pk}/", "main")
    visit(page, f"{base}/admin/publishing/channels/", "main")

    # The public article, with its video frame.
    visit(page, base + demo.url, "h1")
    frame = page.locator(".embed iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    box = frame.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    visit(page, f"{base}/tim-kiem/?q=bao+hiem", "main")

    assert problems.found == []


def test_the_journey_does_see_a_violation(page, live_server, transactional_db):
    """The check above can fail: an inline script on the public site is reported."""
    problems = Problems(page)
    page.goto(live_server.url + "/tim-kiem/?q=bhxh")
    expect(page.locator("main")).to_be_visible()
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any("CSP-VIOLATION script-src" in text for text in problems.found)
