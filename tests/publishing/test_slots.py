"""Posting slots: a channel's default times of day; a share planned without a time
takes the next free one after the article goes live."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms.core.models import Role
from publishing.models import Publication, PublicationStatus, SharePlan
from publishing.planning.slots import next_free_slot, parse_slots
from tests.publishing.factories import make_channel
from tests.publishing.helpers import login

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


# The slots below are written in November 2026; the clock stands there too.
NOW = datetime.datetime(2026, 11, 26, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


def local(*args):
    return datetime.datetime(*args, tzinfo=LOCAL)


def test_slots_are_read_in_the_ways_people_write_them():
    assert parse_slots("20:00, 7h30;11.30  07:30") == [
        datetime.time(7, 30),
        datetime.time(11, 30),
        datetime.time(20, 0),
    ]
    assert parse_slots("") == []
    for wrong, named in (("07:30, 25:00", "25:00"), ("sáng", "sáng"), ("7:5", "7:5")):
        with pytest.raises(ValidationError) as raised:
            parse_slots(wrong)
        assert named in raised.value.messages[0]
    with pytest.raises(ValidationError):
        parse_slots(", ".join(f"{h:02d}:00" for h in range(13)))


def test_the_next_free_slot_in_local_time(org, article_for_slots):
    fb = make_channel(
        org.bac_son, external_id="101", posting_slots="07:30, 11:30, 20:00"
    )
    assert next_free_slot(fb, local(2026, 11, 26, 10, 0)) == local(2026, 11, 26, 11, 30)
    assert next_free_slot(fb, local(2026, 11, 26, 11, 30)) == local(
        2026, 11, 26, 11, 30
    )
    # After the last slot, and around midnight: the first slot of the next day.
    assert next_free_slot(fb, local(2026, 11, 26, 20, 1)) == local(2026, 11, 27, 7, 30)
    assert next_free_slot(fb, local(2026, 12, 31, 23, 59)) == local(2027, 1, 1, 7, 30)
    # A slot another publication of the channel holds is skipped; a cancelled one
    # frees it again.
    taken = Publication.objects.create(
        page=article_for_slots, channel=fb, publish_at=local(2026, 11, 26, 11, 30)
    )
    assert next_free_slot(fb, local(2026, 11, 26, 10, 0)) == local(2026, 11, 26, 20, 0)
    assert next_free_slot(fb, local(2026, 11, 26, 10, 0), exclude=taken.pk) == local(
        2026, 11, 26, 11, 30
    )
    Publication.objects.filter(pk=taken.pk).update(status=PublicationStatus.CANCELLED)
    assert next_free_slot(fb, local(2026, 11, 26, 10, 0)) == local(2026, 11, 26, 11, 30)
    assert (
        next_free_slot(
            make_channel(org.bac_son, external_id="102", posting_slots=""),
            local(2026, 11, 26, 10, 0),
        )
        is None
    )


@pytest.fixture
def article_for_slots(org):
    return org.article(title="Bài có khung giờ")


def expected_slots(now, times, count):
    """The next `count` slot times after `now`, worked out by hand."""
    now = timezone.localtime(now, LOCAL)
    found = []
    day = now.date()
    while len(found) < count:
        for hour, minute in times:
            at = datetime.datetime(
                day.year, day.month, day.day, hour, minute, tzinfo=LOCAL
            )
            if at >= now and len(found) < count:
                found.append(at)
        day += datetime.timedelta(days=1)
    return found


def test_shares_without_a_time_take_the_next_free_slots(org):
    fb = make_channel(org.bac_son, external_id="101", posting_slots="06:00, 18:00")
    plain = make_channel(org.bac_son, external_id="102", posting_slots="")
    before = timezone.now()
    pages = []
    for n in range(3):
        page = org.article(title=f"Bài {n}")
        page.share_plans.add(SharePlan(channel=fb))
        page.share_plans.add(SharePlan(channel=plain))
        page.save_revision().publish()
        pages.append(page)
    on_fb = [Publication.objects.get(page=p, channel=fb).publish_at for p in pages]
    assert on_fb == expected_slots(before, [(6, 0), (18, 0)], 3)
    # A channel without posting times posts at once, as before.
    for page in pages:
        at = Publication.objects.get(page=page, channel=plain).publish_at
        assert before <= at <= timezone.now()


def test_a_planned_time_wins_over_the_slots(org):
    fb = make_channel(org.bac_son, external_id="101", posting_slots="06:00, 18:00")
    later = timezone.now() + datetime.timedelta(hours=5, minutes=7)
    page = org.article()
    page.share_plans.add(SharePlan(channel=fb, publish_at=later))
    page.save_revision().publish()
    assert Publication.objects.get(page=page, channel=fb).publish_at == later


def test_a_manager_sets_the_times_and_bad_ones_change_nothing(client, org):
    fb = make_channel(org.bac_son, external_id="101", posting_slots="07:30")
    login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
    url = reverse("publishing_channels:edit", args=(fb.pk,))
    form = {
        "unit": org.bac_son.pk,
        "network": "facebook",
        "name": fb.name,
        "external_id": fb.external_id,
        "status": fb.status,
        "token": "",
    }
    response = client.post(url, {**form, "posting_slots": "20:00, 7h30 11:30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    fb.refresh_from_db()
    assert fb.posting_slots == "07:30, 11:30, 20:00"

    response = client.post(url, {**form, "posting_slots": "07:30, 24:10"})
    assert response.status_code == 200
    assert "24:10" in response.content.decode()  # the error names the wrong entry
    fb.refresh_from_db()
    assert fb.posting_slots == "07:30, 11:30, 20:00"
