"""The calendar as people use it: the approver drags a post to another hour of the
week, then moves it with the keyboard, and a move into the past is refused in
Vietnamese with the post left where it was; the region lead sees a paused
district's posts marked as paused; on a phone (390 px) the calendar, the list of
posts and the dashboard fit the screen, their tables scrolling inside their box."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import ArticlePage
from cms.core.models import Unit
from publishing.models import Channel, PauseScope, Publication, PublishingPause
from tests.e2e.helpers import sign_in


@pytest.fixture
def now():
    """Tomorrow 10:00 in Hanoi, the clock standing there (ticking)."""
    local = timezone.localtime() + datetime.timedelta(days=1)
    moment = local.replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def post(demo, now):
    """A post of Bắc Sơn at 12:30 today, on a channel of its own."""
    channel = Channel.objects.create(
        unit=Unit.objects.get(slug="bac-son"),
        network="facebook",
        name="BHXH Bắc Sơn (lịch)",
        external_id="calendar-test",
    )
    article = ArticlePage.objects.live().filter(units__slug="bac-son").first()
    return Publication.objects.create(
        page=article,
        channel=channel,
        round=80,
        publish_at=now.replace(hour=12, minute=30),
    )


def local_time(publication):
    publication.refresh_from_db()
    return timezone.localtime(publication.publish_at).strftime("%H:%M")


def test_a_post_is_dragged_and_moved_with_the_keyboard(page, live_server, post, now):
    base, day = live_server.url, now.date().isoformat()
    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/publishing/calendar/?view=week&date={day}")

    def hour(h):
        return page.locator(f'td[data-date="{day}"][data-hour="{h}"]')

    item = hour("12").locator("li[data-move-url]")
    expect(item).to_contain_text(post.page.title)
    item.drag_to(hour("15"))
    expect(hour("15").locator("li")).to_contain_text(post.page.title)
    expect(page.locator(".messages")).to_contain_text("sẽ được đăng lúc 15:30")
    assert local_time(post) == "15:30"

    # The keyboard: up an hour twice, Escape puts it back; up once, Enter saves.
    item = hour("15").locator("li[data-move-url]")
    item.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(hour("13").locator("li")).to_have_count(1)
    status = page.locator("[data-move-status]")
    expect(status).to_contain_text("Giờ mới: 13:30")
    page.keyboard.press("Escape")
    expect(hour("15").locator("li")).to_have_count(1)
    assert local_time(post) == "15:30"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("sẽ được đăng lúc 14:30")
    expect(hour("14").locator("li")).to_contain_text(post.page.title)
    assert local_time(post) == "14:30"

    # Into an hour already gone: refused, said in Vietnamese, nothing moved.
    hour("14").locator("li[data-move-url]").drag_to(hour("08"))
    expect(page.locator("[data-move-error]")).to_have_text(
        "Hãy chọn một thời điểm trong tương lai."
    )
    page.reload()
    expect(hour("14").locator("li")).to_have_count(1)
    assert local_time(post) == "14:30"


def test_a_paused_districts_posts_are_shown_paused(page, live_server, post, now):
    PublishingPause.objects.create(
        scope=PauseScope.UNIT, unit=Unit.objects.get(slug="bac-son"), reason="Bão"
    )
    base, day = live_server.url, now.date().isoformat()
    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/calendar/?date={day}")
    item = page.locator(f'td[data-date="{day}"] li[data-paused]')
    expect(item).to_contain_text(post.page.title)
    expect(item.locator("[data-pause-switch]")).to_have_text("Đang tạm dừng đăng")
    legend = page.locator(".publishing-calendar__legend")
    expect(legend).to_contain_text("Đang tạm dừng đăng")
    expect(legend).to_contain_text("Ngày lễ, Tết")


PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"


def test_on_a_phone_the_screens_fit_its_width(page, live_server, post, now):
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    sign_in(page, base, "lanhdao.khuvuc")
    for path in (
        "/admin/publishing/calendar/",
        "/admin/publishing/calendar/?view=week",
        "/admin/publishing/publications/",
        "/admin/publishing/dashboard/",
    ):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate(PAGE_WIDTH) <= 390, path
    # The calendar's filters fold away on a phone; its grid scrolls in its box.
    page.goto(f"{base}/admin/publishing/calendar/")
    expect(page.locator("[data-filters] > summary")).to_have_text("Bộ lọc")
    expect(page.locator("#id_unit")).to_be_hidden()
    box = page.locator(".publishing-calendar__scroll")
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")
    page.locator("[data-filters] > summary").click()
    expect(page.locator("#id_unit")).to_be_visible()


# Each field of a filter stays inside its own column: [field's right edge, its
# column's right edge] for every filter whose field overflows.
FIELDS_OVERFLOWING = """() => [
  ...document.querySelectorAll('.publishing-calendar__filter')]
  .map((f) => [f.querySelector('input, select').getBoundingClientRect().right,
               f.getBoundingClientRect().right])
  .filter(([field, column]) => field > column + 0.5)"""


def test_on_a_wide_screen_no_filter_runs_into_the_next(page, live_server, post):
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url
    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/calendar/?view=week")
    expect(page.locator("#id_date")).to_be_visible()
    assert page.evaluate(FIELDS_OVERFLOWING) == []
