"""The one picker of every "Publish at" field (channels/time_picker.py): dd/mm/yyyy
HH:MM in and out, the current value filled in, and the channel's next free slots
(and best times, when the share tab's data has them) offered by
`publishing_time_choices` as one-click choices. The server stays the guard."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from cms.core.models import Role
from publishing.editor import plans
from publishing.models import Publication, PublicationStatus, SharePlan
from tests.publishing.factories import TZ, Setup
from tests.publishing.helpers import login, row_errors

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 09:00 in Hà Nội.
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
CHOICES = reverse("publishing_time_choices")


@pytest.fixture
def tab(org, client, time_machine):
    time_machine.move_to(NOW, tick=False)
    setup = Setup(org, client)
    setup.fb.posting_slots = "07:30, 20:00"
    setup.fb.save()
    return setup


def picker(html, name):
    """The picker around the box `name`: (box's value, its placeholder, the
    picker's data, {} without a picker)."""
    soup = BeautifulSoup(html, "html.parser")
    box = soup.find("input", attrs={"name": name})
    wrapper = box.find_parent(attrs={"data-controller": "time-picker"}) or box
    data = {
        key.removeprefix("data-time-picker-").removesuffix("-value"): value
        for key, value in wrapper.attrs.items()
        if key.startswith("data-time-picker-")
    }
    return box.get("value", ""), box.get("placeholder"), data


def choices(client, *channels, exclude=None):
    query = [("channel", str(getattr(c, "pk", c))) for c in channels]
    if exclude:
        query.append(("exclude", str(exclude)))
    response = client.get(CHOICES, query)
    assert response.status_code == 200
    return response.json()


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


class TestShareTab:
    def test_a_typed_time_is_saved_and_shown_back_as_typed(self, tab, client):
        login(client, tab.editor, "vi")
        response = tab.post({"channel": tab.fb, "publish_at": "07/12/2026 03:30"})
        assert response.status_code == 302, row_errors(response)
        tab.page.refresh_from_db()
        [plan] = tab.page.get_latest_revision_as_object().share_plans.all()
        assert plan.publish_at == at(7, 3, 30)
        html = client.get(tab.edit_url).content.decode()
        value, placeholder, data = picker(html, "share_plans-0-publish_at")
        assert value == "07/12/2026 03:30"  # not 2026-12-07 03:30:00
        assert data["channel-field"] == "share_plans-0-channel"
        assert data["url"] == CHOICES
        assert placeholder == "ngày/tháng/năm giờ:phút"

    def test_the_new_row_reads_its_own_channel(self, tab, client):
        html = client.get(tab.edit_url).content.decode()
        template = BeautifulSoup(html, "html.parser").find(
            "template", id="id_share_plans-EMPTY_FORM_TEMPLATE"
        )
        new_row = BeautifulSoup(template.decode_contents(), "html.parser")
        _, _, data = picker(str(new_row), "share_plans-__prefix__-publish_at")
        assert data["channel-field"] == "share_plans-__prefix__-channel"

    def test_a_malformed_time_is_refused_in_vietnamese_and_nothing_saved(
        self, tab, client
    ):
        login(client, tab.editor, "vi")
        response = tab.post({"channel": tab.fb, "publish_at": "31/02/2026 07:30"})
        assert response.status_code == 200
        assert row_errors(response)["publish_at"] == ["Nhập một ngày/thời gian hợp lệ."]
        assert tab.saved_plans() == []


class TestChoices:
    def test_the_next_three_free_slots_with_the_box_text(self, tab, client):
        Publication.objects.create(
            page=tab.page,
            channel=tab.fb,
            plan=SharePlan.objects.create(page=tab.page, channel=tab.fb),
            publish_at=at(1, 20),
        )
        with translation.override("vi"):
            [channel] = choices(client, tab.fb)["channels"]
        assert channel["id"] == tab.fb.pk
        # 07:30 today has passed; 20:00 today is taken.
        assert channel["slots"] == [
            {"label": "Thứ Tư 02/12 07:30", "value": "02/12/2026 07:30"},
            {"label": "Thứ Tư 02/12 20:00", "value": "02/12/2026 20:00"},
            {"label": "Thứ Năm 03/12 07:30", "value": "03/12/2026 07:30"},
        ]

    def test_the_post_being_moved_keeps_its_slot_offered(self, tab, client):
        moving = Publication.objects.create(
            page=tab.page,
            channel=tab.fb,
            plan=SharePlan.objects.create(page=tab.page, channel=tab.fb),
            publish_at=at(1, 20),
        )
        [channel] = choices(client, tab.fb, exclude=moving.pk)["channels"]
        assert channel["slots"][0]["value"] == "01/12/2026 20:00"

    def test_a_channel_without_slots_says_so(self, tab, client):
        with translation.override("vi"):
            answer = choices(client, tab.zalo)
        assert answer["channels"][0]["slots"] == []
        assert answer["texts"]["none"] == "Kênh này chưa đặt khung giờ đăng."

    def test_another_units_channel_and_garbage_are_left_out(self, tab, client):
        answer = choices(client, tab.other, "abc", "-1", tab.fb)
        assert [c["id"] for c in answer["channels"]] == [tab.fb.pk]

    def test_the_best_times_of_the_share_tabs_data_become_choices(
        self, tab, client, monkeypatch
    ):
        best = {
            tab.fb.pk: {
                "best_times": {
                    "ready": True,
                    "times": [{"label": "Thứ Ba 20:00", "at": at(1, 20).isoformat()}],
                    "needed": 0,
                }
            },
            tab.zalo.pk: {"best_times": {"ready": False, "times": [], "needed": 12}},
        }
        monkeypatch.setattr(plans, "CHANNEL_DATA_EXTRAS", [lambda ids: best])
        with translation.override("vi"):
            answer = choices(client, tab.fb, tab.zalo)
        fb, zalo = answer["channels"]
        assert fb["best_times"]["times"] == [
            {"label": "Thứ Ba 20:00", "value": "01/12/2026 20:00"}
        ]
        assert zalo["best_times"] == {
            "ready": False,
            "times": [],
            "needed": 12,
            "note": "Giờ tốt: cần thêm 12 bài đăng nữa.",
        }

    def test_a_channel_without_history_says_what_it_still_needs(self, tab, client):
        with translation.override("vi"):
            [channel] = choices(client, tab.fb)["channels"]
        best = channel["best_times"]
        assert best["ready"] is False and best["times"] == []
        assert best["needed"] == 20
        assert "20" in best["note"] and "bài" in best["note"]

    def test_signed_out_gets_nothing(self, tab, client):
        client.logout()
        response = client.get(CHOICES, {"channel": tab.fb.pk})
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestReschedule:
    @pytest.fixture
    def post(self, tab, org):
        manager = org.user("quanly", Role.MANAGER, org.bac_son)
        login(tab.client, manager, "vi")
        return Publication.objects.create(
            page=tab.page,
            channel=tab.fb,
            plan=SharePlan.objects.create(page=tab.page, channel=tab.fb),
            publish_at=at(2, 7, 30),
            status=PublicationStatus.SCHEDULED,
        )

    def url(self, post):
        return reverse("publishing_publications:action", args=(post.pk, "reschedule"))

    def test_opens_with_the_current_time_and_its_channels_slots(self, tab, post):
        html = tab.client.get(self.url(post)).content.decode()
        value, _, data = picker(html, "publish_at")
        assert value == "02/12/2026 07:30"
        assert data["channel"] == str(tab.fb.pk)
        assert data["exclude"] == str(post.pk)

    def test_a_picked_time_moves_the_post(self, tab, post):
        response = tab.client.post(self.url(post), {"publish_at": "03/12/2026 20:00"})
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.publish_at == at(3, 20)

    def test_a_past_time_is_refused_in_vietnamese(self, tab, post):
        response = tab.client.post(self.url(post), {"publish_at": "30/11/2026 20:00"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Hãy chọn một thời điểm trong tương lai." in html
        post.refresh_from_db()
        assert post.publish_at == at(2, 7, 30)


class TestShareAgain:
    def test_the_picker_reads_the_ticked_channels(self, tab, org):
        tab.page.save_revision().publish()
        lead = org.user("lanhdao", Role.LEAD, org.bac_son)
        login(tab.client, lead, "vi")
        url = reverse("publishing_share_again", args=(tab.page.pk,))
        html = tab.client.get(url).content.decode()
        value, _, data = picker(html, "publish_at")
        assert value == ""  # empty: now
        assert data["channel-field"] == "channels"
