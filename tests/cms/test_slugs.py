"""Addresses from Vietnamese titles are ASCII with the letters folded (đ is d), on the
server when a page is saved with an empty slug (imports, code: the admin's form
asks for one) and in the editor's slug widget (its formatters;
tests/e2e/test_slug_journey.py types a title in Chromium)."""

import json
import re

import pytest
from django.urls import reverse

from cms.content.models import ArticlePage
from cms.content.slugs import ascii_slug, editor_formatters
from tests.conftest import make_image

TITLE = "Bắc Sơn: hộ kinh doanh chợ Bắc Sơn được hướng dẫn đóng BHXH"
SLUG = "bac-son-ho-kinh-doanh-cho-bac-son-duoc-huong-dan-dong-bhxh"


def add_url(org):
    section = org.section["bac-son"]
    return reverse(
        "wagtailadmin_pages:add", args=("cms_content", "articlepage", section.pk)
    )


def article(title):
    return ArticlePage(
        title=title, slug="", intro="Giới thiệu.", cover_image=make_image()
    )


class TestServerSlug:
    def test_the_fold_keeps_every_letter(self):
        assert ascii_slug(TITLE) == SLUG
        assert ascii_slug("ĐƯỢC Ưu tiên: Ẩn, Ỷ, ỹ…") == "duoc-uu-tien-an-y-y"

    def test_a_page_saved_with_an_empty_slug_gets_the_folded_title(self, org):
        page = article(TITLE)
        org.section["bac-son"].add_child(instance=page)
        page.refresh_from_db()
        assert page.slug == SLUG
        assert page.url == f"/tin-tuc/bac-son/{SLUG}/"

    def test_a_second_page_of_the_same_title_gets_a_suffix(self, org):
        for _ in range(2):
            org.section["bac-son"].add_child(instance=article(TITLE))
        slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
        assert slugs == [SLUG, f"{SLUG}-2"]

    def test_full_clean_fills_the_slug_before_the_page_is_saved(self, org):
        page = article(TITLE)
        page._cached_parent_obj = org.section["bac-son"]
        page.full_clean(exclude=["path", "depth"])  # set when it is added
        assert page.slug == SLUG


class TestAdminSlug:
    @pytest.fixture
    def admin_client(self, client, org):
        client.force_login(org.user("admin", superuser=True))
        return client

    def test_the_editor_slug_field_carries_the_vietnamese_formatters(
        self, admin_client, org
    ):
        response = admin_client.get(add_url(org))
        field = response.context["form"].fields["slug"]
        attrs = field.widget.get_context("slug", "", {})["widget"]["attrs"]
        formatters = json.loads(attrs["data-w-slug-formatters-value"])
        assert attrs["data-controller"] == "w-slug"
        assert apply_formatters(formatters, TITLE).isascii()


def apply_formatters(formatters, text):
    """What the editor's w-slug controller does with them before its own urlify."""
    for (pattern, *_flags), replacement in formatters:
        text = re.sub(pattern, replacement, text)
    return text


def test_the_editor_formatters_fold_like_the_server():
    folded = apply_formatters(
        [[[pattern], repl] for pattern, repl in editor_formatters()], TITLE
    )
    assert re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") == SLUG
