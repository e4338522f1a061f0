"""A person opens the short link in a posted Facebook message and lands on the
article; the editor then sees the visit on the publication's page and the region's
lead sees it on the dashboard."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cms.core.models import Campaign
from publishing.metrics.dashboard.metrics import current_campaign
from publishing.models import Publication, PublicationStatus, VisitDay
from publishing.outbox import dispatcher
from tests.e2e.helpers import DRAFT_TITLE, bac_son_facebook, log_out, sign_in
from tests.publishing.factories import due

# A person on a phone (the browser's own agent says "HeadlessChrome": a robot's).
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def facebook(sandbox, demo):
    return bac_son_facebook(sandbox)


@pytest.fixture
def posted(draft, facebook, sandbox, live_server, settings):
    """The draft, live in the running campaign, posted on Facebook by the
    dispatcher; its links point at the live server."""
    settings.BASE_URL = live_server.url
    campaign = current_campaign(Campaign.objects.all())
    draft.campaign = campaign
    draft.save_revision().publish()
    publication = due(draft, facebook)
    dispatcher.dispatch_due()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    return publication, campaign


def short_link_in(sandbox):
    [post] = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    links = re.findall(r"https?://\S+", post["message"])
    short = [link for link in links if "/l/" in link]
    assert len(short) == 1 and len(links) == 1, post["message"]  # no long URL
    return short[0]


def visits_recorded(publication, expected, within=10.0):
    """Counting runs after the answer is sent, in the server's thread: wait for it."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        days = VisitDay.objects.filter(publication=publication)
        if sum(d.visits for d in days) >= expected:
            return list(days)
        time.sleep(0.05)
    return list(VisitDay.objects.filter(publication=publication))


def test_a_click_on_a_posted_short_link_is_seen(
    posted, sandbox, live_server, browser, page
):
    publication, campaign = posted
    base = live_server.url
    link = short_link_in(sandbox)
    assert link == f"{base}/l/{publication.link_code}"

    reader = browser.new_context(user_agent=PHONE)
    phone = reader.new_page()
    phone.goto(link)
    expect(phone.locator("h1")).to_have_text(DRAFT_TITLE)
    assert phone.url.startswith(f"{base}{publication.page.url}")
    assert f"utm_content=pub-{publication.pk}" in phone.url
    reader.close()

    [day] = visits_recorded(publication, 1)
    # One click is one visit: the redirect counts it, so the article it lands on
    # (with utm_content=pub-<id>) must not count it again.
    assert (day.day, day.visits) == (timezone.localdate(), 1), "click counted twice"

    sign_in(page, base, "bientap.bacson")
    page.goto(base + reverse("publishing_publications:inspect", args=(publication.pk,)))
    visits = page.locator(f"[data-post-visits='{publication.pk}']")
    expect(visits.locator("[data-visits-total]")).to_have_text("1")
    expect(visits.locator("[data-short-link]")).to_have_value(link)
    expect(visits.locator("[data-visits-by-day] tbody tr")).to_have_text(
        [f"{timezone.localdate():%d/%m/%Y}1"]
    )
    log_out(page, base)

    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/dashboard/?campaign={campaign.pk}")
    totals = page.locator("[data-table=totals]")
    expect(
        totals.locator("tr", has_text="Lượt truy cập từ mạng xã hội").locator("td")
    ).to_have_text("1")
    channel_row = page.locator("[data-table=channels] tr", has_text="BHXH Bắc Sơn")
    expect(channel_row.locator("td").nth(-2)).to_have_text("1")
    visited = page.locator("[data-table=visited] tbody tr")
    expect(visited).to_have_count(1)
    expect(visited.locator("th")).to_have_text(DRAFT_TITLE)
    assert Publication.objects.get(pk=publication.pk).link_code in link
