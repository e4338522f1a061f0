"""Invisible characters (bidi overrides and isolates, zero-width ones) are refused
in names and titles, with a Vietnamese message naming the character; free text
(a post's message, a pause reason) keeps the zero-width joiner of emoji."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cms.core.hidden_chars import first_hidden
from cms.core.models import Campaign, Role, TargetGroup, Unit
from publishing.models import PublishingPause, SharePlan
from tests.publishing.factories import make_channel
from tests.publishing.helpers import login, text

# The moment these tests run at (the dates they write are fixed ones of 2025-2026;
# the clock is pinned so that "today" never moves past or before them).
NOW = datetime.datetime(
    2026, 11, 16, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


pytestmark = pytest.mark.django_db
HIDDEN = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e"]
HIDDEN += ["\u2066", "\u2067", "\u2068", "\u2069"]
HIDDEN += ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
FAMILY = "Cả nhà tham gia BHXH 👨\u200d👩\u200d👧"  # one emoji, joined by U+200D


def refused(instance, field):
    """The Vietnamese message full_clean() gives for `field` (as a form shows it)."""
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return " ".join(caught.value.message_dict[field])


@pytest.mark.parametrize("char", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_each_hidden_character_is_named(char):
    assert first_hidden(f"Trang BHXH{char}Bắc Sơn") == f"U+{ord(char):04X}"


def test_a_joiner_is_text_in_a_message_but_not_in_a_name():
    assert first_hidden(FAMILY, allow_joiner=True) is None
    assert first_hidden(FAMILY) == "U+200D"
    assert first_hidden("Bắc Sơn – “BHXH” ✓ 😀") is None


class TestNames:
    def test_a_unit_name(self, org):
        unit = Unit(name="BHXH cơ sở \u202eBắc Sơn", slug="bac-son-2")
        assert "ký tự ẩn U+202E" in refused(unit, "name")

    def test_a_target_group_name(self, org):
        group = TargetGroup(name="Chủ hộ\u200b kinh doanh", slug="ho-kd-2")
        assert "ký tự ẩn U+200B" in refused(group, "name")

    def test_a_campaign_name(self, org):
        campaign = Campaign(
            name="Chiến dịch\u2066 2026",
            slug="cd-2026",
            starts_on="2026-01-01",
            ends_on="2026-12-31",
        )
        assert "ký tự ẩn U+2066" in refused(campaign, "name")

    def test_a_channel_name(self, org):
        page = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
        page.name = "Trang Bắc Sơn\ufeff"
        assert "ký tự ẩn U+FEFF" in refused(page, "name")

    def test_an_article_title(self, org):
        article = org.article("bac-son", title="Hộ kinh doanh")
        article.title = "Hộ kinh doanh\u200d"  # a joiner too: a title is a name
        assert "ký tự ẩn U+200D" in refused(article, "title")

    def test_the_admin_form_says_it_and_saves_nothing(self, client, org):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")
        page = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
        form = {
            "unit": org.bac_son.pk,
            "network": "facebook",
            "name": "Trang \u202eBắc Sơn",
            "external_id": "1001",
            "status": "active",
            "posting_slots": "",
            "token": "",
        }
        response = client.post(
            reverse("publishing_channels:edit", args=(page.pk,)), form
        )
        assert "Hãy xoá ký tự ẩn U+202E" in text(response)
        page.refresh_from_db()
        assert page.name == "Trang Bắc Sơn"


class TestFreeText:
    def test_a_message_keeps_emoji_and_refuses_an_override(self, org):
        page = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
        article = org.article("bac-son")
        SharePlan(page=article, channel=page, message=FAMILY).full_clean()
        plan = SharePlan(page=article, channel=page, message="Đọc ngay\u202e{url}")
        assert "ký tự ẩn U+202E" in refused(plan, "message")

    def test_a_pause_reason_in_the_admin(self, client, org):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": "Bảo trì\u2067"}
        response = client.post(reverse("publishing_pauses:add"), form)
        assert "Hãy xoá ký tự ẩn U+2067" in text(response)
        assert not PublishingPause.objects.exists()

    def test_the_share_again_message(self, client, org):
        page = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
        article = org.article("bac-son")
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son), "vi")
        url = reverse("publishing_share_again", args=(article.pk,))
        token = client.get(url).context["token"]
        data = {"channels": [page.pk], "message": "Mới\u200b", "token": token}
        response = client.post(url, data)
        assert "Hãy xoá ký tự ẩn U+200B" in text(response)
        assert not article.publications.exists()
