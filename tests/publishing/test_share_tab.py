"""The article's "Social sharing" tab: what an editor may plan, the checks before the
page is saved, the per-network preview and the data behind "all channels of a unit"."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from cms.content.models import ArticlePage
from cms.core.models import Role
from publishing.editor import plans as editor
from publishing.models import Publication, SharePlan
from publishing.networks import messages as texts
from publishing.networks.facebook import FacebookNetwork
from publishing.networks.zalo import ZaloNetwork
from tests.cms.helpers import (
    article_form,
    share_plan_rows,
    shown_text,
    visible_text,
)
from tests.publishing.factories import Setup
from tests.publishing.helpers import row_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def tab(org, client):
    return Setup(org, client)


def vi(message):
    """A message as a Vietnamese user reads it, from our catalogue."""
    with translation.override("vi"):
        if type(message) is not str:  # a lazy translation
            return str(message)
        translated = translation.gettext(message)
    assert translated != message, f"no Vietnamese for {message!r}"
    return translated


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class TestChannelChoices:
    def test_editor_is_offered_only_their_units_live_channels(self, tab):
        response = tab.client.get(tab.edit_url)
        assert response.status_code == 200
        field = (
            response.context["form"]
            .formsets["share_plans"]
            .empty_form.fields["channel"]
        )
        assert set(field.queryset) == {tab.fb, tab.zalo, tab.stale}
        shown = shown_text(response)  # the options are in the new row's <template>
        assert "Facebook · BHXH Bắc Sơn" in shown and "(Bắc Sơn)" not in shown
        assert "Zalo · OA Bắc Sơn" in shown
        assert "BHXH Lộc Bình" not in shown and "Đã tắt" not in shown

    def test_channel_needing_reconnection_is_labelled_with_a_warning(self, tab):
        with translation.override("vi"):
            label = editor.channel_label(tab.stale)
        assert label.startswith("Facebook · Cũ · Bắc Sơn ⚠ ")
        assert label != "Facebook · Cũ · Bắc Sơn"

    def test_region_lead_is_offered_every_unit_below(self, tab, org):
        lead = org.user("lanhdao", Role.LEAD, org.region)
        assert set(editor.plannable_channels(lead)) == {
            tab.fb,
            tab.zalo,
            tab.stale,
            tab.other,
        }


class TestAllChannelsOfUnit:
    def test_script_data_holds_only_allowed_channels(self, tab):
        data = editor.channel_data(tab.editor)
        [unit] = data["units"]
        assert (unit["id"], unit["label"]) == (tab.org.bac_son.pk, "Bắc Sơn")
        assert sorted(unit["channels"]) == sorted(
            [tab.fb.pk, tab.zalo.pk, tab.stale.pk]
        )
        assert set(data["channels"]) == {
            str(tab.fb.pk),
            str(tab.zalo.pk),
            str(tab.stale.pk),
        }

    def test_the_page_gives_the_script_those_channels_and_limits(self, tab):
        response = tab.client.get(tab.edit_url)
        soup = BeautifulSoup(response.content, "html.parser")
        tab_element = soup.select_one("[data-controller='share-plans']")
        data = json.loads(tab_element["data-share-plans-data-value"])
        planned = {c for unit in data["units"] for c in unit["channels"]}
        assert planned == {tab.fb.pk, tab.zalo.pk, tab.stale.pk}
        assert data["channels"][str(tab.fb.pk)]["limit"] == (
            FacebookNetwork.max_message_length
        )
        assert data["channels"][str(tab.zalo.pk)]["limit"] == (
            ZaloNetwork.max_description_length
        )
        assert data["channels"][str(tab.stale.pk)]["reconnect"] is True
        options = [
            o.text for o in soup.select("select[data-share-plans-target=unit] option")
        ]
        assert len(options) == 1 and options[0].startswith("Bắc Sơn")

    def test_the_new_article_form_has_the_tab_too(self, tab):
        section = tab.org.section["bac-son"]
        url = reverse(
            "wagtailadmin_pages:add", args=("cms_content", "articlepage", section.pk)
        )
        response = tab.client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        element = soup.select_one("[data-controller='share-plans']")
        data = json.loads(element["data-share-plans-data-value"])
        assert (data["page"], data["parent"]) == (None, section.pk)
        # Before go-live the preview's {url} is a sample short link of the real
        # form: posts carry the short link, never the long tracking address.
        assert data["links"]["facebook"] == "http://testserver/l/xxxxxxxx"


class TestPlansSaved:
    def test_allowed_plans_are_saved_with_the_draft(self, tab):
        later = timezone.now() + datetime.timedelta(days=1)
        response = tab.post(
            {"channel": tab.fb, "message": "{title}\r\n{url}"},
            {"channel": tab.zalo, "publish_at": local(later)},
        )
        assert response.status_code == 302
        assert sorted(tab.saved_plans()) == sorted(
            [(tab.fb.pk, "{title}\n{url}"), (tab.zalo.pk, "")]
        )

    def test_another_units_plan_left_as_it_is_does_not_block_saving(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.other)
        tab.page.save_revision()
        response = tab.post({"id": plan.pk, "channel": tab.other}, initial=1)
        assert response.status_code == 302

    def test_another_units_plan_may_not_be_changed(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.other)
        tab.page.save_revision()
        before = tab.page.revisions.count()
        response = tab.post(
            {"id": plan.pk, "channel": tab.other, "message": "{title}"}, initial=1
        )
        assert response.status_code == 200
        assert row_errors(response)["channel"] == [vi(editor.NOT_ALLOWED)]
        assert tab.page.revisions.count() == before

    def test_another_units_plan_may_not_be_removed(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.other)
        tab.page.save_revision()
        before = tab.page.revisions.count()
        response = tab.post(
            {"id": plan.pk, "channel": tab.other, "DELETE": "1"}, initial=1
        )
        assert response.status_code == 200
        [error] = response.context["form"].non_field_errors()
        assert "Facebook · BHXH Lộc Bình" in error
        assert error in shown_text(response)
        assert tab.page.revisions.count() == before

    def test_own_plan_may_be_removed(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.fb)
        tab.page.save_revision()
        response = tab.post(
            {"id": plan.pk, "channel": tab.fb, "DELETE": "1"}, initial=1
        )
        assert response.status_code == 302
        assert tab.saved_plans() == []


class TestRefusedPlans:
    def test_forged_channel_of_another_unit_is_refused_and_nothing_saved(self, tab):
        before = tab.page.revisions.count()
        response = tab.post({"channel": tab.other, "message": "{title}"})
        assert response.status_code == 200
        assert row_errors(response)["channel"] == [vi(editor.NOT_OFFERED)]
        assert tab.page.revisions.count() == before
        assert not SharePlan.objects.exists()

    def test_new_article_with_a_too_long_zalo_message_is_not_created(self, tab):
        section = tab.org.section["bac-son"]
        url = reverse(
            "wagtailadmin_pages:add", args=("cms_content", "articlepage", section.pk)
        )
        data = article_form(
            slug="bai-moi",
            cover=tab.page.cover_image,
            share_plans=share_plan_rows({"channel": tab.zalo, "message": "ư" * 301}),
            **{"action-submit": "1"},
        )
        response = tab.client.post(url, data)
        assert response.status_code == 200
        [error] = row_errors(response)["message"]
        assert error.startswith("Zalo: ") and "tối đa 300" in error
        assert not ArticlePage.objects.filter(slug="bai-moi").exists()

    def test_disabled_channel_is_refused(self, tab):
        response = tab.post({"channel": tab.off})
        assert response.status_code == 200
        assert row_errors(response)["channel"] == [vi(editor.NOT_OFFERED)]

    @pytest.mark.parametrize(
        "network, limit",
        [
            ("zalo", ZaloNetwork.max_description_length),
            ("facebook", FacebookNetwork.max_message_length),
        ],
    )
    def test_too_long_message_is_refused_with_the_networks_limit(
        self, tab, network, limit
    ):
        channel = tab.zalo if network == "zalo" else tab.fb
        before = tab.page.revisions.count()
        response = tab.post({"channel": channel, "message": "ư" * (limit + 1)})
        assert response.status_code == 200
        errors = row_errors(response)["message"]
        assert len(errors) == 1
        assert f"tối đa {limit}" in errors[0] and f"{limit + 1} ký tự" in errors[0]
        assert tab.page.revisions.count() == before

    def test_duplicate_channel_is_refused(self, tab):
        response = tab.post({"channel": tab.fb}, {"channel": tab.fb, "message": "x"})
        assert response.status_code == 200
        assert "channel" not in row_errors(response, 0)
        assert len(row_errors(response, 1)["channel"]) == 1
        assert tab.saved_plans() == []

    def test_time_in_the_past_is_refused(self, tab):
        past = timezone.now() - datetime.timedelta(hours=2)
        response = tab.post({"channel": tab.fb, "publish_at": local(past)})
        assert response.status_code == 200
        [error] = row_errors(response)["publish_at"]
        assert timezone.localtime(past).strftime("%H:%M %d/%m/%Y") in error
        assert tab.saved_plans() == []

    def test_unknown_placeholder_is_refused_on_the_message(self, tab):
        response = tab.post({"channel": tab.fb, "message": "{tieude}"})
        assert response.status_code == 200
        [error] = row_errors(response)["message"]
        assert "{tieude}" in error or "tieude" in error

    def test_draft_without_cover_keeps_its_zalo_plan_until_submitted(self, tab):
        response = tab.post({"channel": tab.zalo}, cover_image="")
        assert response.status_code == 302  # a draft: the article is still written
        response = tab.post(
            {"channel": tab.zalo}, cover_image="", **{"action-submit": "1"}
        )
        assert response.status_code == 200
        errors = row_errors(response).get("__all__", [])
        assert f"Zalo: {vi(texts.COVER_MISSING)}" in errors


class TestSharedAlready:
    """Once the article was shared, its plans are history: editing the article is
    not blocked by what a network would now refuse."""

    LONG_TITLE = "Hộ kinh doanh " * 12  # 168 characters: too long for Zalo

    def submit_with_long_title(self, tab, plan):
        return tab.post(
            {"id": plan.pk, "channel": tab.zalo},
            initial=1,
            title=self.LONG_TITLE,
            **{"action-submit": "1"},
        )

    def test_before_sharing_the_zalo_title_limit_refuses(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.zalo)
        tab.page.save_revision()
        response = self.submit_with_long_title(tab, plan)
        assert response.status_code == 200
        limit = ZaloNetwork.max_title_length
        [error] = row_errors(response)["__all__"]
        assert error.startswith("Zalo: ") and f"tối đa {limit}" in error

    def test_after_sharing_the_article_may_change(self, tab):
        plan = SharePlan.objects.create(page=tab.page, channel=tab.zalo)
        tab.page.save_revision()
        Publication.objects.create(
            page=tab.page, channel=tab.zalo, plan=plan, publish_at=timezone.now()
        )
        response = self.submit_with_long_title(tab, plan)
        assert response.status_code == 302


class TestPreview:
    def preview(self, tab, channel, **values):
        data = {
            "channel": channel.pk,
            "page": tab.page.pk,
            "title": "Tiêu đề chưa lưu",
            "slug": tab.page.slug,
            "intro": "Lời dẫn chưa lưu.",
            "cover_image": tab.page.cover_image_id,
            "message": "",
            "kind": "",
            **values,
        }
        return tab.client.post(reverse("publishing_share_preview"), data)

    def test_facebook_post_with_its_link_card(self, tab):
        response = self.preview(tab, tab.fb, message="Mới: {title}\n{url}")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        post = soup.select_one(".share-preview--facebook")
        text = post.select_one(".share-preview__text").get_text()
        # Before the share exists: a sample short link of the real form.
        assert text == "Mới: Tiêu đề chưa lưu\nhttp://testserver/l/xxxxxxxx"
        assert post.select_one(".share-preview__domain").get_text() == "testserver"
        assert post.select_one("img")["src"].startswith("/media/")
        assert not soup.select(".share-preview__problems")

    def test_facebook_photo_post_shows_the_photo(self, tab):
        response = self.preview(tab, tab.fb, kind="photo")
        post = BeautifulSoup(response.content, "html.parser").select_one(
            ".share-preview--facebook"
        )
        assert len(post.select("img")) == 1
        assert not post.select(".share-preview__card")

    def test_zalo_article_card(self, tab):
        response = self.preview(tab, tab.zalo)
        assert response.status_code == 200
        card = BeautifulSoup(response.content, "html.parser").select_one(
            ".share-preview--zalo"
        )
        assert card.select_one(".share-preview__title").get_text() == "Tiêu đề chưa lưu"
        assert (
            card.select_one(".share-preview__description").get_text()
            == "Lời dẫn chưa lưu."
        )
        assert card.select_one("img")["src"].startswith("/media/")

    def test_new_unsaved_article_under_its_section(self, tab):
        section = tab.org.section["bac-son"]
        response = self.preview(tab, tab.zalo, page="", parent=section.pk)
        assert response.status_code == 200
        assert "Tiêu đề chưa lưu" in visible_text(response.content)

    def test_problems_are_shown(self, tab):
        response = self.preview(tab, tab.zalo, cover_image="", message="ư" * 301)
        problems = visible_text(response.content)
        assert vi(texts.COVER_MISSING) in problems
        assert "tối đa 300" in problems

    def test_no_channel_chosen_yet(self, tab):
        response = tab.client.post(reverse("publishing_share_preview"), {"page": ""})
        assert response.status_code == 400
        assert vi("Choose a channel first.") in response.content.decode()

    def test_channel_the_user_may_not_plan_on_is_refused(self, tab):
        response = self.preview(tab, tab.other)
        assert response.status_code == 403
        assert "Tiêu đề chưa lưu" not in response.content.decode()

    def test_page_the_user_may_not_edit_is_refused(self, tab, org):
        elsewhere = org.article("loc-binh", title="Bài Lộc Bình")
        response = self.preview(tab, tab.fb, page=elsewhere.pk)
        assert response.status_code == 403
