"""Issue 17's journey: an editor plans a Zalo share at 22:05 that also goes to the
OA's followers (all of them), the approver approves, the article is created on Zalo
at 22:05 while its broadcast waits until 06:00 (Zalo sends only 06:00-21:59), then
goes out once. The browser runs at the real time (Chromium's clock cannot be
moved); the dispatcher runs at 22:05 and at 06:00 under a driven clock
(time-machine), as in test_slots_journey, instead of the test waiting for them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from publishing.lifecycle import BroadcastStatus, PublicationStatus
from publishing.models import Broadcast, Publication
from publishing.outbox import dispatcher
from tests.e2e.helpers import (
    DRAFT_TITLE,
    SHARING_TAB,
    open_editor,
    sign_in,
    submit_then_approve,
    wait_for_autosave,
)
from tests.publishing.factories import FAST_ZALO, zalo_channel
from tests.sandbox import network_options

B = BroadcastStatus


@pytest.fixture
def oa(sandbox, demo, settings):
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    account = sandbox.zalo_oa("BHXH Bắc Sơn", verify_polls=1)
    return zalo_channel(
        None, account, datetime.timedelta(days=3), name="BHXH Bắc Sơn (Zalo)"
    )


def tomorrow_at(hour, minute, days=1):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def broadcasts_of(sandbox, publication):
    data = {"article": publication.external_id}
    return sandbox.control("zalo/broadcasts", data)["broadcasts"]


def test_a_broadcast_planned_at_2205_waits_until_six_and_goes_out_once(
    draft, oa, sandbox, live_server, page
):
    base = live_server.url
    at = tomorrow_at(22, 5)  # ahead of the real clock, whatever the hour now
    six = tomorrow_at(6, 0, days=2)

    sign_in(page, base, "bientap.bacson")
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    page.locator("[data-action='share-plans#addUnit']").click()
    expect(page.locator("#id_share_plans-0-channel")).to_have_value(str(oa.pk))
    row = page.locator("#inline_child_share_plans-0")
    # The time picker's one-click choices load after the channel is set and push
    # the row down: wait for them, as a person would, or the click on the box
    # below can land where the box was a moment before.
    expect(row.locator(f".time-picker__group[data-channel='{oa.pk}']")).to_be_visible()
    page.fill("#id_share_plans-0-publish_at", f"{at:%d/%m/%Y %H:%M}")
    page.check("#id_share_plans-0-broadcast")
    # All followers (no gender, age or province chosen); it waits for 06:00.
    expect(page.locator("#id_share_plans-0-audience_gender")).to_have_value("")
    expect(row.locator("[data-share-plans-window]")).to_be_visible()
    expect(row.locator("[data-share-plans-window]")).to_contain_text("06:00")
    wait_for_autosave(page)
    submit_then_approve(page, base, draft)

    publication = Publication.objects.get(page=draft, channel=oa)
    [broadcast] = Broadcast.objects.filter(publication=publication)
    assert publication.publish_at == broadcast.send_at == at
    assert broadcast.audience == {}

    # At 22:05 the article is created on Zalo at once; its broadcast waits.
    with time_machine.travel(at, tick=True):
        dispatcher.dispatch_all()
        dispatcher.dispatch_all()  # the article verified, the broadcast tried
    publication.refresh_from_db()
    broadcast.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert (broadcast.status, broadcast.waiting_reason) == (B.WAITING, "window")
    assert broadcast.next_attempt_at == six
    assert broadcasts_of(sandbox, publication) == []

    inspect = base + reverse("publishing_publications:inspect", args=(publication.pk,))
    page.goto(inspect)
    shown = page.locator(f"[data-broadcast='{broadcast.pk}']")
    expect(shown.locator("[data-waits]")).to_contain_text(f"06:00 ({six:%d/%m})")

    # The calendar: the article at 22:05, its broadcast at 06:00 the next day.
    calendar = reverse("publishing_calendar:index")
    page.goto(f"{base}{calendar}?view=week&date={six:%Y-%m-%d}")
    waiting = page.locator(
        f"td[data-date='{six:%Y-%m-%d}'] li[data-kind='broadcast']",
        has_text=DRAFT_TITLE,
    )
    expect(waiting.locator("time")).to_have_text("06:00")
    expect(waiting).to_contain_text("chờ đến 06:00")

    # A minute before 06:00 nothing goes; at 06:00 it goes, once.
    with time_machine.travel(six - datetime.timedelta(minutes=1), tick=True):
        dispatcher.dispatch_all()
    assert broadcasts_of(sandbox, publication) == []
    with time_machine.travel(six, tick=True):
        dispatcher.dispatch_all()
        dispatcher.dispatch_all()
    with time_machine.travel(six + datetime.timedelta(hours=1), tick=True):
        dispatcher.dispatch_all()
    broadcast.refresh_from_db()
    assert broadcast.status == B.SENT and broadcast.attempts == 1
    assert len(broadcasts_of(sandbox, publication)) == 1

    page.goto(inspect)
    shown = page.locator(f"[data-broadcast='{broadcast.pk}']")
    expect(shown.locator(".publishing-status")).to_contain_text("Đã gửi")
    expect(shown.locator("[data-waits]")).to_have_count(0)
