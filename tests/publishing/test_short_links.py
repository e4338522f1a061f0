"""`/l/<code>` (publishing/shortlinks.py) and the visits counted
(publishing/metrics/counting.py): the redirect and its UTM parameters, the public
404 page, what is counted (people's GETs) and what is not (HEAD, robots, link
previews), that nothing about the visitor is kept, and that counting never fails
a page."""

import datetime
import logging
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.signals import request_finished
from django.db import DatabaseError, close_old_connections, connection
from django.test import Client, override_settings

from publishing.metrics import counting
from publishing.models import Publication, PublicationStatus, VisitDay
from tests.publishing.factories import due, make_channel

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/130.0.0.0 Safari/537.36"
)
ZALO_IN_APP = (
    "Mozilla/5.0 (Linux; Android 12; SM-A525F Build/SP1A.210812.016; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 "
    "Mobile Safari/537.36 Zalo android/12100618 ZaloTheme/light ZaloLanguage/vi"
)
FACEBOOK_IN_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.108;FBLC/vi_VN]"
)
ROBOTS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Facebot/1.0",
    "ZaloPC-win32-24v2",  # Zalo's own client fetching the preview, not a browser
    "Zalo",
    "Mozilla/5.0 (compatible; Zalo link preview)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; SomeNewSpider/0.1)",
    "",
]
TODAY = datetime.datetime(2026, 11, 16, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def publication(org, article):
    channel = make_channel(org.bac_son, "facebook")
    return due(article, channel)


def click(client, publication, agent=CHROME, method="get"):
    return getattr(client, method)(f"/l/{publication.link_code}", HTTP_USER_AGENT=agent)


def visits(publication):
    return sum(
        VisitDay.objects.filter(publication=publication).values_list(
            "visits", flat=True
        )
    )


@pytest.mark.django_db
class TestRedirect:
    def test_a_short_link_redirects_to_the_article_with_its_utm(
        self, client, publication, article
    ):
        response = click(client, publication)
        assert response.status_code == 302
        address = urlsplit(response["Location"])
        assert f"{address.scheme}://{address.netloc}{address.path}" == (
            article.canonical_url
        )
        assert parse_qs(address.query) == {
            "utm_source": ["facebook"],
            "utm_medium": ["social"],
            "utm_campaign": ["bhxh"],
            "utm_content": [f"pub-{publication.pk}"],
            "ref": ["l"],  # the landing page does not count the click again
        }
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "status", [PublicationStatus.WITHDRAWN, PublicationStatus.CANCELLED]
    )
    def test_withdrawn_and_cancelled_still_redirect(self, client, publication, status):
        Publication.objects.filter(pk=publication.pk).update(status=status)
        response = click(client, publication)
        assert response.status_code == 302
        assert f"utm_content=pub-{publication.pk}" in response["Location"]

    @pytest.mark.parametrize(
        "path",
        [
            "/l/abcdefgh",  # the right form, no such code
            "/l/abc",  # too short
            "/l/abcdefghi",  # too long
            "/l/abcdef0h",  # 0 is not in the alphabet
            "/l/abc%20efgh",
            "/l/",
        ],
    )
    def test_unknown_or_malformed_codes_answer_the_public_404_page(
        self, client, publication, path
    ):
        with override_settings(DEBUG=False):
            response = client.get(path, HTTP_USER_AGENT=CHROME)
        assert response.status_code == 404
        text = response.content.decode()
        assert "Không tìm thấy trang" in text or "Page not found" in text
        assert "<title>" in text  # the site's page, not a bare error
        assert not VisitDay.objects.exists()

    def test_the_404_is_the_same_page_as_any_unknown_address(self, client):
        with override_settings(DEBUG=False):
            ours = client.get("/l/abcdefgh", HTTP_USER_AGENT=CHROME)
            theirs = client.get("/khong-co-trang-nay/", HTTP_USER_AGENT=CHROME)
        assert ours.status_code == theirs.status_code == 404
        assert ours.content == theirs.content
        assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]


@pytest.mark.django_db
class TestCounting:
    def test_each_redirect_adds_one_to_todays_count(
        self, client, publication, time_machine
    ):
        time_machine.move_to(TODAY, tick=False)
        for _ in range(3):
            click(client, publication)
        click(client, publication, agent=ZALO_IN_APP)
        click(client, publication, agent=FACEBOOK_IN_APP)
        row = VisitDay.objects.get(publication=publication)
        assert row.day == datetime.date(2026, 11, 16)
        assert row.visits == 5

    def test_the_local_day_counts_not_utc(self, client, publication, time_machine):
        # 23:30 UTC is 06:30 the next morning in Vietnam.
        time_machine.move_to(
            datetime.datetime(2026, 11, 16, 23, 30, tzinfo=datetime.UTC), tick=False
        )
        click(client, publication)
        assert VisitDay.objects.get(publication=publication).day == datetime.date(
            2026, 11, 17
        )

    def test_an_article_view_with_utm_content_counts(
        self, client, publication, article
    ):
        address = f"{urlsplit(article.url).path}?utm_content=pub-{publication.pk}"
        assert client.get(address, HTTP_USER_AGENT=CHROME).status_code == 200
        assert visits(publication) == 1

    def test_a_click_through_the_short_link_is_one_visit(self, client, publication):
        # Following the redirect is a second request, with utm_content: the page
        # it lands on must not count the visit the redirect counted.
        response = click(client, publication)
        client.get(response["Location"], HTTP_USER_AGENT=CHROME)
        assert visits(publication) == 1

    @pytest.mark.parametrize(
        "query",
        [
            "utm_content=pub-999999",  # no such publication
            "utm_content=pub-abc",
            "utm_content=khac",
            "utm_source=facebook",
        ],
    )
    def test_other_utm_content_counts_nothing(self, client, article, query):
        client.get(f"{urlsplit(article.url).path}?{query}", HTTP_USER_AGENT=CHROME)
        assert not VisitDay.objects.exists()

    def test_a_missing_page_with_utm_content_counts_nothing(self, client, publication):
        client.get(
            f"/khong-co/?utm_content=pub-{publication.pk}", HTTP_USER_AGENT=CHROME
        )
        assert visits(publication) == 0

    @pytest.mark.parametrize("agent", ROBOTS)
    def test_robots_and_link_previews_are_not_counted(
        self, client, publication, article, agent
    ):
        response = click(client, publication, agent=agent)
        assert response.status_code == 302  # they are still redirected
        client.get(
            f"{urlsplit(article.url).path}?utm_content=pub-{publication.pk}",
            HTTP_USER_AGENT=agent,
        )
        assert visits(publication) == 0

    def test_head_requests_are_not_counted(self, client, publication, article):
        assert click(client, publication, method="head").status_code == 302
        client.head(
            f"{urlsplit(article.url).path}?utm_content=pub-{publication.pk}",
            HTTP_USER_AGENT=CHROME,
        )
        assert visits(publication) == 0

    def test_people_in_the_apps_are_not_robots(self):
        assert not counting.is_robot(CHROME)
        assert not counting.is_robot(ZALO_IN_APP)
        assert not counting.is_robot(FACEBOOK_IN_APP)


@pytest.mark.django_db
class TestNothingAboutTheVisitor:
    def test_no_cookie_is_set(self, client, publication, article):
        response = click(client, publication)
        page = client.get(response["Location"], HTTP_USER_AGENT=CHROME)
        assert not response.cookies and not page.cookies
        assert "Set-Cookie" not in str(response.serialize_headers())

    def test_only_the_day_and_the_count_are_stored(self, client, publication):
        click(client, publication, agent=CHROME)
        fields = {f.name for f in VisitDay._meta.concrete_fields}
        assert fields == {"id", "publication", "day", "visits"}
        row = VisitDay.objects.values().get()
        assert CHROME not in str(row) and "127.0.0.1" not in str(row)


@pytest.mark.django_db
class TestCountingNeverFailsThePage:
    def test_a_failing_write_is_logged_and_the_redirect_answered(
        self, client, publication, monkeypatch, caplog
    ):
        def broken(*args, **kwargs):
            raise DatabaseError("disk I/O error")

        monkeypatch.setattr(counting, "count_visit", broken)
        with caplog.at_level(logging.ERROR, logger="publishing.metrics.counting"):
            response = click(client, publication)
        assert response.status_code == 302
        assert f"pub-{publication.pk}" in response["Location"]
        assert "counting a visit" in caplog.text
        assert "disk I/O error" in caplog.text

    def test_a_failing_write_does_not_fail_the_article(
        self, client, publication, article, monkeypatch, caplog
    ):
        def broken(*args, **kwargs):
            raise DatabaseError("database is locked")

        monkeypatch.setattr(counting, "count_visit", broken)
        with caplog.at_level(logging.ERROR, logger="publishing.metrics.counting"):
            page = client.get(
                f"{urlsplit(article.url).path}?utm_content=pub-{publication.pk}",
                HTTP_USER_AGENT=CHROME,
            )
        assert page.status_code == 200
        assert article.title in page.content.decode()
        assert "database is locked" in caplog.text

    def test_the_count_is_written_after_the_response_is_made(
        self, rf, publication, monkeypatch
    ):
        """The write waits for close(), which the server calls after sending."""
        from publishing.shortlinks import ShortLinkMiddleware

        written = []
        monkeypatch.setattr(counting, "count_visit", written.append)
        middleware = ShortLinkMiddleware(lambda request: None)
        request = rf.get(f"/l/{publication.link_code}", HTTP_USER_AGENT=CHROME)
        response = middleware(request)
        assert response.status_code == 302 and written == []
        # As the test client does: the server's close() without the end of the
        # request closing the test's own connection.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        assert written == [publication.pk]


@pytest.mark.django_db(transaction=True)
def test_eight_clients_at_once_lose_no_count(org):
    """Eight people clicking at once, each request on its own connection: the
    counter equals the clicks (run on both databases)."""
    publication = due(org.article(), make_channel(org.bac_son, "facebook"))
    clicks, errors = 25, []

    def person():
        try:
            browser = Client()
            for _ in range(clicks):
                assert click(browser, publication).status_code == 302
        except Exception as error:  # noqa: BLE001  (reported by the assert below)
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    people = [threading.Thread(target=person) for _ in range(8)]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join()
    assert errors == []
    assert visits(publication) == 8 * clicks
    assert VisitDay.objects.filter(publication=publication).count() == 1
