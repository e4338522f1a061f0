"""The "Publish at" picker in Chromium: in the share tab a time is picked on Wagtail's
calendar and then with one of the channel's free slots, both written dd/mm/yyyy
HH:MM, saved, and shown back so; "Đổi giờ đăng" opens on the post's own time. The
browser runs at the real time (its clock cannot be moved): the expected texts are
computed from it, not written in."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import UnitSectionPage
from publishing.models import Channel, Publication, PublicationStatus
from publishing.planning.slots import free_slots
from tests.e2e.helpers import SHARING_TAB, open_editor, sign_in, wait_for_autosave

BOX = "%d/%m/%Y %H:%M"


@pytest.fixture
def slotted(demo):
    unit = UnitSectionPage.objects.get(unit__slug="bac-son").unit
    channel = Channel(
        unit=unit,
        network="facebook",
        name="Trang giờ đăng",
        external_id="gio-dang",
        posting_slots="07:30, 11:30, 20:00",
    )
    channel.set_credentials({"page_token": "t"})
    channel.save()
    return channel


def scroll_into_the_time_list(calendar, cell):
    """The calendar's list of times shows a few at once, scrolled to the hour of
    the day (its own scrolling, which Playwright's cannot do): its arrows, as a
    person would, until `cell` is in sight. Without this the journey passed or
    failed by the hour it ran at."""
    times = calendar.locator(".xdsoft_timepicker")
    shown = times.locator(".xdsoft_time_box").bounding_box()
    for _ in range(100):
        at = cell.bounding_box()
        if at["y"] < shown["y"]:
            times.locator(".xdsoft_prev").click()
        elif at["y"] + at["height"] > shown["y"] + shown["height"]:
            times.locator(".xdsoft_next").click()
        else:
            return
    raise AssertionError("10:00 never came into the calendar's list of times")


def saved_time(draft):
    draft.refresh_from_db()
    [plan] = draft.get_latest_revision_as_object().share_plans.all()
    return timezone.localtime(plan.publish_at).strftime(BOX)


def test_a_time_picked_on_the_calendar_then_a_slot(draft, slotted, live_server, page):
    base = live_server.url
    sign_in(page, base, "bientap.bacson")
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    page.locator("#id_share_plans-ADD").click()
    page.select_option("#id_share_plans-0-channel", str(slotted.pk))
    row = page.locator("#inline_child_share_plans-0")
    box = row.locator("input[name='share_plans-0-publish_at']")
    expect(box).to_have_attribute("placeholder", "ngày/tháng/năm giờ:phút")

    # Wagtail's calendar: the 15th of next month at 10:00.
    box.click()
    calendar = page.locator(".xdsoft_datetimepicker:visible")
    calendar.locator(".xdsoft_next").first.click()
    today = timezone.localdate()
    month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    calendar.locator(
        f"td[data-date='15'][data-month='{month.month - 1}'][data-year='{month.year}']"
    ).click()
    ten = calendar.locator(".xdsoft_time[data-hour='10'][data-minute='0']")
    scroll_into_the_time_list(calendar, ten)
    ten.click()
    expect(box).to_have_value(f"15/{month:%m/%Y} 10:00")
    wait_for_autosave(page)
    assert saved_time(draft) == f"15/{month:%m/%Y} 10:00"

    # The channel's next three free slots, as one-click choices beside the box.
    slots = [
        timezone.localtime(moment) for moment in free_slots(slotted, timezone.now(), 3)
    ]
    buttons = row.locator(".time-picker__row--slot button")
    expect(buttons).to_have_count(3)
    expect(row.locator(".time-picker__row--slot")).to_contain_text(
        "Khung giờ đăng còn trống:"
    )
    expect(buttons.nth(1)).to_contain_text(f"{slots[1]:%d/%m %H:%M}")
    buttons.nth(1).click()
    expect(box).to_have_value(slots[1].strftime(BOX))
    wait_for_autosave(page)
    assert saved_time(draft) == slots[1].strftime(BOX)

    # Opened again, the box shows the time as it was picked.
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    expect(page.locator("input[name='share_plans-0-publish_at']")).to_have_value(
        slots[1].strftime(BOX)
    )


def test_reschedule_opens_on_the_posts_time(draft, slotted, live_server, page):
    at = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=11, minute=30, second=0, microsecond=0
    )
    post = Publication.objects.create(
        page=draft,
        channel=slotted,
        publish_at=at,
        status=PublicationStatus.SCHEDULED,
    )
    base = live_server.url
    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/publishing/publications/{post.pk}/")
    page.get_by_role("link", name="Đổi giờ đăng").click()
    box = page.locator("input[name='publish_at']")
    expect(box).to_have_value(at.strftime(BOX))
    # Its own slot stays a choice (it is the one moving); another moves it.
    buttons = page.locator(".time-picker__row--slot button")
    expect(buttons).to_have_count(3)
    later = buttons.nth(2)
    value = later.get_attribute("data-value")
    later.click()
    expect(box).to_have_value(value)
    page.get_by_role("button", name="Đổi giờ đăng").click()
    expect(page.locator(".messages .success")).to_be_visible()
    post.refresh_from_db()
    assert timezone.localtime(post.publish_at).strftime(BOX) == value
