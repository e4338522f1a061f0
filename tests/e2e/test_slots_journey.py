"""Issue 6's journey: an editor plans shares on two channels without a time (their
posting slots decide), the approver approves, the calendar shows both in the slot's
cell, and at the slot the dispatcher posts them. The browser part runs at the real
time (Chromium's clock cannot be moved); the dispatcher then runs at the slot under
a driven clock (time-machine) instead of the test waiting for it."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import UnitSectionPage
from publishing.models import Channel, Publication, PublicationStatus
from publishing.outbox import dispatcher
from tests.e2e.helpers import (
    DRAFT_TITLE,
    SHARING_TAB,
    open_editor,
    sign_in,
    submit_then_approve,
    wait_for_autosave,
)


def slot_soon():
    """The first whole minute at least 10 minutes ahead (local time): well after
    the approval, so nothing is due before the clock is driven to it."""
    at = timezone.localtime() + datetime.timedelta(minutes=10)
    return (at + datetime.timedelta(minutes=1)).replace(second=0, microsecond=0)


def set_slot(channels):
    """Each channel's posting time: one slot, just ahead. Set right before the
    submission and approval, which place the shares."""
    slot = slot_soon()
    Channel.objects.filter(pk__in=[c.pk for c in channels]).update(
        posting_slots=f"{slot:%H:%M}"
    )
    return slot


@pytest.fixture
def slotted(sandbox, demo):
    unit = UnitSectionPage.objects.get(unit__slug="bac-son").unit
    channels = []
    for name in ("BHXH Bắc Sơn", "Thanh niên Bắc Sơn"):
        page = sandbox.facebook_page(name)
        channel = Channel(
            unit=unit,
            network="facebook",
            name=name,
            external_id=page["id"],
            posting_slots="06:00, 18:00",
        )
        channel.set_credentials({"page_token": page["page_token"]})
        channel.save()
        channels.append(channel)
    return channels


def test_shares_take_the_slots_show_in_the_calendar_and_go_out(
    draft, slotted, sandbox, live_server, page, settings
):
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    channels = slotted
    base = live_server.url
    sign_in(page, base, "bientap.bacson")
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    page.locator("[data-action='share-plans#addUnit']").click()
    rows = page.locator("#id_share_plans-FORMS > [data-inline-panel-child]")
    expect(rows).to_have_count(2)  # both channels of Bắc Sơn, no time given
    wait_for_autosave(page)
    slot = set_slot(channels)
    submit_then_approve(page, base, draft)

    made = Publication.objects.filter(page=draft).order_by("channel__name")
    assert [p.channel for p in made] == sorted(channels, key=lambda c: c.name)
    assert {p.publish_at for p in made} == {slot}

    # The calendar, week and month: both in the slot's day, at the slot's time.
    day = slot.date().isoformat()
    for view in ("week", "month"):
        page.goto(f"{base}/admin/publishing/calendar/?view={view}&date={day}")
        cell = page.locator(f"td[data-date='{day}']")
        events = cell.locator("li.publishing-calendar__event[data-status=scheduled]")
        expect(events.filter(has_text=DRAFT_TITLE)).to_have_count(2)
        expect(events.first.locator("time")).to_have_text(f"{slot:%H:%M}")

    # Nothing goes out before the slot (a second before it, driven); at it, both do.
    assert dispatcher.dispatch_due()["claimed"] == 0
    with time_machine.travel(slot - datetime.timedelta(seconds=1), tick=False):
        assert dispatcher.dispatch_due()["claimed"] == 0
    with time_machine.travel(slot, tick=True):
        assert dispatcher.dispatch_due()["claimed"] == 2
    statuses = {p.status for p in Publication.objects.filter(page=draft)}
    assert statuses == {PublicationStatus.PUBLISHED}
    posts = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    assert len(posts) == 2

    page.goto(f"{base}/admin/publishing/calendar/?view=week&date={day}")
    published = page.locator("li.publishing-calendar__event[data-status=published]")
    expect(published.filter(has_text=DRAFT_TITLE)).to_have_count(2)
