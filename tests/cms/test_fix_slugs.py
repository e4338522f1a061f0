"""`manage.py fix_slugs`: published pages whose address lost letters of their
Vietnamese title get the folded one, and the old address, as the posts already out
carry it (publishing.outbox.compose.article_link), answers a permanent redirect
to it."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from cms.content.demo.articles import ARTICLES
from cms.content.models import ArticlePage
from cms.content.slugs import is_garbled
from publishing.outbox.compose import article_link

TITLE = "Bắc Sơn: hộ kinh doanh chợ Bắc Sơn được hướng dẫn…"
EDITOR_SLUG = "bc-sn-h-kinh-doanh-ch-bc-sn-djc-hng-dn"  # Wagtail's editor made it
SERVER_SLUG = "bac-son-ho-kinh-doanh-cho-bac-son-uoc-huong-dan"  # Django's slugify
FOLDED = "bac-son-ho-kinh-doanh-cho-bac-son-duoc-huong-dan"


class TestWhatIsGarbled:
    @pytest.mark.parametrize(
        "slug",
        [EDITOR_SLUG, SERVER_SLUG, f"{EDITOR_SLUG}-2"],
    )
    def test_letters_lost_are_found(self, slug):
        assert is_garbled(slug, TITLE)

    def test_a_word_the_editor_dropped_whole_is_found(self):
        title = "Hộ kinh doanh ở Bắc Sơn hỏi, BHXH trả lời"
        assert is_garbled("h-kinh-doanh-bc-sn-hi-bhxh-tr-li", title)

    @pytest.mark.parametrize(
        "slug",
        [
            FOLDED,
            f"{FOLDED}-2",
            "ho-kinh-doanh-bac-son",
            "bac-son-huong-dan",
            "tin-moi",
        ],
    )
    def test_a_folded_or_chosen_slug_is_left_alone(self, slug):
        assert not is_garbled(slug, TITLE)

    def test_no_demo_article_is_taken_for_garbled(self):
        for article in ARTICLES:
            assert not is_garbled(article["slug"], article["title"]), article["slug"]


def fix_slugs(*args):
    out = io.StringIO()
    call_command("fix_slugs", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def garbled(org):
    return org.article(title=TITLE, slug=EDITOR_SLUG)


def test_a_dry_run_prints_the_change_and_makes_none(garbled):
    out = fix_slugs("--dry-run")
    assert f"{EDITOR_SLUG}/ -> {FOLDED}" in out
    assert "Sẽ sửa địa chỉ của 1 trang." in out
    garbled.refresh_from_db()
    assert garbled.slug == EDITOR_SLUG
    assert not Redirect.objects.exists()


def test_a_post_already_out_reaches_the_article_at_its_new_address(
    client, org, garbled, django_capture_on_commit_callbacks
):
    sent = urlsplit(article_link(garbled, "facebook", "pub-41"))
    assert sent.path == f"/tin-tuc/bac-son/{EDITOR_SLUG}/"
    chosen = org.article(title="Tin mới về BHXH", slug="tin-moi")

    # Wagtail's own redirect (on commit) and ours must not clash.
    with django_capture_on_commit_callbacks(execute=True):
        out = fix_slugs()
    assert f"#{garbled.pk} /trang-chu/tin-tuc/bac-son/{EDITOR_SLUG}/ -> {FOLDED}" in out
    assert "Đã sửa địa chỉ của 1 trang." in out

    assert Redirect.objects.get().is_permanent
    response = client.get(f"{sent.path}?{sent.query}")
    assert response.status_code == 301
    assert response["Location"] == f"/tin-tuc/bac-son/{FOLDED}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    chosen.refresh_from_db()
    assert chosen.slug == "tin-moi"


def test_the_new_address_is_unique_and_a_second_run_changes_nothing(org, garbled):
    org.article(title=TITLE, slug=FOLDED)  # a sibling already has the folded slug
    fix_slugs()
    garbled.refresh_from_db()
    assert garbled.slug == f"{FOLDED}-2"
    redirects = list(Redirect.objects.values_list("old_path", "redirect_page"))
    assert redirects == [(f"/tin-tuc/bac-son/{EDITOR_SLUG}", garbled.pk)]

    assert "Đã sửa địa chỉ của 0 trang." in fix_slugs()
    assert list(Redirect.objects.values_list("old_path", "redirect_page")) == redirects


def test_publishing_a_draft_made_before_keeps_the_new_address(org, garbled):
    draft = garbled.get_latest_revision_as_object()
    draft.intro = "Phần giới thiệu sửa sau."
    draft.save_revision()
    fix_slugs()
    ArticlePage.objects.get(pk=garbled.pk).get_latest_revision().publish()
    garbled.refresh_from_db()
    assert garbled.slug == FOLDED
    assert garbled.intro == "Phần giới thiệu sửa sau."
