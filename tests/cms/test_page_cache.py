"""Public pages from the page cache (cms/content/page_cache/): who gets a kept page,
what its key leaves out, and each change that purges it, as a visitor then sees it.

A page is "kept" when the response says `X-Page-Cache: hit`; the tests also change a
title behind Wagtail's back (a queryset update: no signal, no purge), so a kept page
is told from a rendered one by what it shows.
"""

import functools

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from cms.content.page_cache.middleware import PageCacheMiddleware
from cms.settings.base import page_cache_from_env
from tests.cms.helpers import article, visible_text

HEADER = "X-Page-Cache"


@pytest.fixture
def keep_pages(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose on-commit callbacks (the purges) run at its end, as after a
    commit; the test's own transaction is never committed."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


def shown(client, path, **extra):
    """(status, X-Page-Cache or None, the text a visitor reads)."""
    response = client.get(path, **extra)
    return response.status_code, response.get(HEADER), visible_text(response.content)


def behind_wagtails_back(page, title):
    ArticlePage.objects.filter(pk=page.pk).update(title=title)


def card_titles(client, path):
    html = BeautifulSoup(client.get(path).content, "html.parser")
    return [a.get_text(strip=True) for a in html.select(".card-title a")]


class TestKeptPages:
    def test_a_visitor_gets_the_kept_page_until_it_is_purged(
        self, client, org, keep_pages
    ):
        page = article(org, "Tin gốc", "tin-goc")
        first = client.get(page.url)
        assert first[HEADER] == "miss"
        behind_wagtails_back(page, "Sửa thẳng trong cơ sở dữ liệu")
        second = client.get(page.url)
        assert second[HEADER] == "hit"
        assert second.content == first.content
        assert "Tin gốc" in visible_text(second.content)

    def test_tracking_parameters_share_one_entry(self, client, org, keep_pages):
        page = article(org, "Tin gốc", "tin-goc")
        arrival = "?utm_source=facebook&utm_medium=social&utm_content=pub-7&fbclid=x1"
        assert shown(client, page.url + arrival)[1] == "miss"
        behind_wagtails_back(page, "Sửa thẳng trong cơ sở dữ liệu")
        for query in ("", "?ref=l&utm_campaign=luat-2024", "?zarsrc=30&fbclid=x2"):
            status, kept, text = shown(client, page.url + query)
            assert (status, kept) == (200, "hit"), query
            assert "Tin gốc" in text

    def test_what_a_page_reads_has_entries_of_its_own(self, client, org, keep_pages):
        article(org, "Tin gốc", "tin-goc", target_groups=[org.household])
        assert shown(client, "/tin-tuc/")[1] == "miss"
        assert shown(client, "/tin-tuc/?nhom=ho-kinh-doanh")[1] == "miss"
        assert shown(client, "/tin-tuc/?utm_source=zalo&nhom=ho-kinh-doanh")[1] == "hit"
        assert shown(client, "/tin-tuc/?trang=2")[1] == "miss"

    def test_a_search_with_words_and_unknown_parameters_are_never_kept(
        self, client, org, keep_pages
    ):
        article(org, "Tin gốc", "tin-goc")
        assert shown(client, "/tim-kiem/")[1] == "miss"
        assert shown(client, "/tim-kiem/")[1] == "hit"
        for path in ("/tim-kiem/?q=tin+goc", "/tin-tuc/?xem=1"):
            client.get(path)
            assert shown(client, path)[1] is None, path

    def test_the_sitemap_is_kept(self, client, org, keep_pages):
        page = article(org, "Tin gốc", "tin-goc")
        assert client.get("/sitemap.xml")[HEADER] == "miss"
        response = client.get("/sitemap.xml")
        assert response[HEADER] == "hit"
        assert f"http://testserver{page.url}" in response.content.decode()


class TestNeverKept:
    def test_an_editor_never_gets_a_kept_page(self, client, org, keep_pages):
        page = article(org, "Tin gốc", "tin-goc")
        editor = Client()
        editor.force_login(org.user("bientap", role="editor", unit=org.bac_son))
        editor.get(page.url)  # an editor's page is not kept for visitors either
        assert client.get(page.url)[HEADER] == "miss"
        behind_wagtails_back(page, "Tin đã sửa")
        status, kept, text = shown(editor, page.url)
        assert (status, kept) == (200, None)
        assert "Tin đã sửa" in text
        status, kept, text = shown(client, page.url)
        assert (kept, "Tin gốc" in text) == ("hit", True)

    def test_a_preview_is_never_served_from_the_cache_nor_kept(
        self, client, org, keep_pages
    ):
        page = article(org, "Tin gốc", "tin-goc")
        assert client.get(page.url)[HEADER] == "miss"
        page.title = "Bản nháp xem trước"
        page.save_revision()
        draft = page.get_latest_revision_as_object()
        preview = draft.make_preview_request()
        assert preview.get(HEADER) is None
        assert "Bản nháp xem trước" in visible_text(preview.content)
        status, kept, text = shown(client, page.url)
        assert (kept, "Tin gốc" in text, "Bản nháp" in text) == ("hit", True, False)

    def test_a_visitor_with_messages_waiting_gets_the_page_rendered(
        self, client, org, keep_pages
    ):
        page = article(org, "Tin gốc", "tin-goc")
        client.get(page.url)
        client.cookies["messages"] = "waiting"
        assert shown(client, page.url)[1] is None

    def test_a_page_with_a_csrf_token_is_never_kept(self, client, org, keep_pages):
        page = article(org, "Tin có mật khẩu", "tin-mat-khau")
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="mk"
        )
        for _ in range(2):
            response = Client().get(page.url)
            assert response.get(HEADER) is None
            assert 'name="csrfmiddlewaretoken"' in response.content.decode()

    def test_a_response_with_a_csrf_token_is_never_kept(self, rf, keep_pages):
        """A public page that ever carries a form with a token (Wagtail's
        restricted pages also say no-cache, so this one does not)."""

        def form(request):
            return HttpResponse(f'<input value="{get_token(request)}">')

        chain = PageCacheMiddleware(CsrfViewMiddleware(form))
        for _ in range(2):
            response = chain(rf.get("/trang-co-bieu-mau/"))
            assert response.get(HEADER) is None
            assert "csrftoken" in response.cookies


class TestPurges:
    """Each change purges the pages that show it, and only those."""

    @pytest.fixture
    def site(self, client, org, keep_pages):
        self.a = article(org, "Tin A", "tin-a", target_groups=[org.household])
        self.b = article(org, "Tin B", "tin-b")
        self.c = article(org, "Tin C", "tin-c", section="loc-binh")
        self.lists = ["/", "/tin-tuc/", "/tin-tuc/bac-son/", "/sitemap.xml"]
        for path in [self.a.url, self.b.url, self.c.url, "/tin-tuc/loc-binh/"]:
            assert client.get(path)[HEADER] == "miss"
        for path in self.lists:
            assert client.get(path)[HEADER] == "miss"
        return client

    def untouched(self, client, *paths):
        return all(client.get(path)[HEADER] == "hit" for path in paths)

    def test_a_new_revision_published(self, site, committed):
        with committed():
            self.a.title = "Tin A đã sửa"
            self.a.save_revision().publish()
        assert "Tin A đã sửa" in shown(site, self.a.url)[2]
        for path in ["/", "/tin-tuc/", "/tin-tuc/bac-son/", self.b.url]:
            assert "Tin A đã sửa" in card_titles(site, path), path
        assert site.get("/sitemap.xml")[HEADER] == "miss"
        assert self.untouched(site, self.c.url, "/tin-tuc/loc-binh/")

    def test_an_article_unpublished(self, site, committed):
        with committed():
            self.a.unpublish()
        assert site.get(self.a.url).status_code == 404
        for path in ["/", "/tin-tuc/", "/tin-tuc/bac-son/", self.b.url]:
            assert "Tin A" not in card_titles(site, path), path
        assert self.a.url not in site.get("/sitemap.xml").content.decode()
        assert self.untouched(site, self.c.url, "/tin-tuc/loc-binh/")

    def test_an_article_moved(self, site, org, committed):
        with committed():
            self.a.move(org.section["loc-binh"], pos="last-child")
        old = site.get(self.a.url)  # Wagtail's redirect, not the kept page
        assert (old.status_code, old["Location"]) == (301, "/tin-tuc/loc-binh/tin-a/")
        assert shown(site, "/tin-tuc/loc-binh/tin-a/")[0] == 200
        assert "Tin A" in card_titles(site, "/tin-tuc/loc-binh/")
        assert "Tin A" in card_titles(site, self.c.url)  # its new sibling
        assert "Tin A" not in card_titles(site, "/tin-tuc/bac-son/")
        assert "Tin A" not in card_titles(site, self.b.url)

    def test_an_article_deleted(self, site, committed):
        with committed():
            self.a.delete()
        assert site.get(self.a.url).status_code == 404
        for path in ["/", "/tin-tuc/", "/tin-tuc/bac-son/", self.b.url]:
            assert "Tin A" not in card_titles(site, path), path
        assert self.untouched(site, self.c.url)

    def test_a_unit_renamed(self, site, org, committed):
        with committed():
            org.bac_son.name = "BHXH cơ sở Bắc Sơn mới"
            org.bac_son.short_name = "Bắc Sơn mới"
            org.bac_son.save()
        assert "BHXH cơ sở Bắc Sơn mới" in shown(site, self.a.url)[2]
        assert "Bắc Sơn mới" in shown(site, "/tin-tuc/")[2]

    def test_a_target_group_renamed(self, site, org, committed):
        with committed():
            org.household.name = "Chủ hộ kinh doanh cá thể"
            org.household.save()
        assert "Chủ hộ kinh doanh cá thể" in shown(site, "/")[2]
        assert "Chủ hộ kinh doanh cá thể" in shown(site, self.a.url)[2]

    def test_the_news_index_renamed_in_every_header(self, site, org, committed):
        with committed():
            org.news.title = "Tin tức và sự kiện"
            org.news.save_revision().publish()
        header = BeautifulSoup(site.get(self.c.url).content, "html.parser").header
        assert "Tin tức và sự kiện" in header.get_text()

    def test_nothing_is_purged_before_the_commit(self, site):
        """The purge waits for the commit: run before it, a request in between
        could keep the old page under the new versions."""
        self.a.title = "Tin A đã sửa"
        self.a.save_revision().publish()
        assert self.untouched(site, self.a.url, *self.lists)


class TestSettings:
    def test_beside_the_database_by_default_redis_or_a_folder_when_named(
        self, monkeypatch
    ):
        postgres = {"ENGINE": "django.db.backends.postgresql"}
        sqlite = {"ENGINE": "django.db.backends.sqlite3"}
        monkeypatch.delenv("PAGE_CACHE_URL", raising=False)
        assert page_cache_from_env(postgres)["LOCATION"] == "page_cache"
        assert page_cache_from_env(sqlite)["LOCATION"].endswith("/page-cache")
        monkeypatch.setenv("PAGE_CACHE_URL", "redis://10.0.0.5:6379/2")
        assert page_cache_from_env(postgres) == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://10.0.0.5:6379/2",
        }
        monkeypatch.setenv("PAGE_CACHE_URL", "file:///srv/bhxh/var/pages")
        assert page_cache_from_env(postgres)["LOCATION"] == "/srv/bhxh/var/pages"
        monkeypatch.setenv("PAGE_CACHE_URL", "memcached://10.0.0.5")
        with pytest.raises(ImproperlyConfigured, match="PAGE_CACHE_URL"):
            page_cache_from_env(sqlite)
