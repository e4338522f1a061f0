"""Issue 7's journey: a channel's token expires, the admin home says so, the manager
reconnects it through the login dialog, the held posts go out."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from cms.core.models import Role, UnitMembership
from publishing import scheduler
from publishing.incidents.notifications import sync_incidents
from publishing.models import (
    AttemptOutcome,
    Channel,
    ChannelStatus,
    Publication,
    PublicationStatus,
    PublishAttempt,
    SharePlan,
)
from tests.conftest import Org

S = PublicationStatus
TITLES = (
    "Bắc Sơn: hộ kinh doanh đăng ký BHXH tại chợ",
    "Bắc Sơn: tư vấn BHXH tự nguyện cho nông dân",
)


@pytest.fixture
def org_tx(transactional_db):
    return Org()


@pytest.fixture
def channel(org_tx, sandbox):
    """Bắc Sơn's Facebook Page, connected the way the login dialog connects it."""
    fb_page = sandbox.facebook_page("BHXH Bắc Sơn", followers=4100)
    channel = Channel(
        unit=org_tx.bac_son,
        network="facebook",
        name="BHXH Bắc Sơn",
        external_id=fb_page["id"],
    )
    channel.set_credentials({"page_token": fb_page["page_token"]})
    channel.save()
    return channel


@pytest.fixture
def shares(org_tx, channel):
    """Two articles put live with a share plan each on the Page: two publications,
    due now (no time given, no posting slots)."""
    pages = [
        org_tx.article(
            title=title,
            slug=f"bai-{index}",
            share_plans=[SharePlan(channel=channel, message="Tin mới: {title}")],
        )
        for index, title in enumerate(TITLES)
    ]
    made = Publication.objects.filter(page__in=pages, channel=channel)
    assert sorted(made.values_list("status", flat=True)) == [S.SCHEDULED] * 2
    return pages


def expire_token(sandbox, token):
    """The sandbox's own expiry: the token's `expires_at` is past, so every call
    with it answers Graph's error 190/463 ("Session has expired")."""
    with sandbox.state.lock:
        record = sandbox.state.token(token)
        record["expires_at"] = int(sandbox.state.now()) - 1


def run_scheduler():
    """The scheduler's dispatch job, then its incidents job."""
    summary = scheduler.run_job(scheduler.dispatch_job)
    scheduler.run_job(sync_incidents)
    return summary


def log_in(page, base, user):
    """The browser gets a signed-in session of `user` (the sign-in form, and its
    two-step code, are other journeys' business): the test client's login, whose
    session cookie the browser then carries."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    page.goto(f"{base}/admin/")


def feed_posts(sandbox, channel):
    return [
        p
        for p in sandbox.state.snapshot()["posts"].values()
        if p["page"] == channel.external_id and not p.get("deleted")
    ]


def test_expired_token_held_posts_go_out_after_reconnecting(
    org_tx, channel, shares, sandbox, live_server, page, settings
):
    settings.BASE_URL = live_server.url  # the dialog sends the browser back here
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    base = live_server.url
    manager = org_tx.user("quanly.bacson")
    UnitMembership.objects.create(user=manager, unit=org_tx.bac_son, role=Role.MANAGER)
    old_token = channel.get_credentials()["page_token"]
    expire_token(sandbox, old_token)

    # The first attempt meets the expired token: the posts are held, not failed,
    # and the channel is flagged.
    summary = run_scheduler()
    assert summary["claimed"] == 2 and summary.get("held") == 1
    held = Publication.objects.filter(channel=channel)
    assert sorted(held.values_list("status", flat=True)) == [S.HELD, S.HELD]
    [attempt] = PublishAttempt.objects.filter(publication__channel=channel)
    assert (attempt.outcome, attempt.error_code) == (AttemptOutcome.HELD, "190")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert feed_posts(sandbox, channel) == []

    # The manager sees the posts held, and the admin home says why, with a link.
    log_in(page, base, manager)
    page.goto(f"{base}/admin/publishing/publications/?channel={channel.pk}")
    statuses = page.locator("tbody .publishing-status")
    expect(statuses).to_have_count(2)
    for index in range(2):
        expect(statuses.nth(index)).to_have_text("Tạm giữ")
    page.goto(f"{base}/admin/")
    panel = page.get_by_role("region", name="Sự cố đăng bài cần xử lý")
    row = panel.locator("tr", has_text="BHXH Bắc Sơn")
    expect(row).to_contain_text("Kênh cần kết nối lại")
    expect(row).to_contain_text("hết hạn")
    row.get_by_role("link", name="Kết nối lại kênh").click()

    # The channels list, showing the channel to reconnect; the login dialog.
    page.wait_for_url(f"{base}/admin/publishing/channels/**")
    channel_row = page.locator("tr", has_text="BHXH Bắc Sơn")
    expect(channel_row).to_contain_text("Cần kết nối lại")
    page.get_by_role("link", name="Kết nối Facebook").click()
    expect(page.locator("body")).to_contain_text("SANDBOX")
    page.get_by_role("button", name="Cho phép").click()
    page.wait_for_url(f"{base}/admin/publishing/connect/facebook/pick/")
    page.get_by_label("BHXH Bắc Sơn").select_option(str(org_tx.bac_son.pk))
    page.get_by_role("button", name="Kết nối", exact=True).click()
    page.wait_for_url(f"{base}/admin/publishing/channels/")
    expect(page.locator(".messages .success")).to_contain_text(
        "Đã kết nối lại Facebook · BHXH Bắc Sơn"
    )
    channel_row = page.locator("tr", has_text="BHXH Bắc Sơn")
    expect(channel_row).to_contain_text("Đang hoạt động")

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.pk == Channel.objects.get().pk  # the same channel, reconnected
    assert channel.get_credentials()["page_token"] != old_token

    # The next run sends both, once each; the incident is resolved.
    summary = run_scheduler()
    assert summary["claimed"] == 2 and summary.get("ok") == 2
    posts = feed_posts(sandbox, channel)
    assert sorted(p["message"] for p in posts) == sorted(
        f"Tin mới: {title}" for title in TITLES
    )
    page.goto(sandbox.url)
    section = page.locator(f"#page-{channel.external_id}")
    for title in TITLES:
        expect(section.locator("article", has_text=title)).to_have_count(1)

    page.goto(f"{base}/admin/publishing/publications/?channel={channel.pk}")
    for publication in Publication.objects.filter(channel=channel):
        assert publication.status == S.PUBLISHED
        row = page.locator("tr", has_text=publication.page.title)
        expect(row.locator(".publishing-status")).to_have_attribute(
            "data-status", "published"
        )
        expect(row.locator(".publishing-status")).to_have_text("Đã xuất bản")
        expect(row.get_by_role("link", name="Mở bài đăng")).to_have_attribute(
            "href", publication.permalink
        )
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Sự cố đăng bài cần xử lý")).to_have_count(
        0
    )
