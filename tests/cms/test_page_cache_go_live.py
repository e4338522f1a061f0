"""The scheduler's go-live purges the pages the web serves from the page cache: a
real `run_scheduler --once` (Wagtail's `publish_scheduled` among its jobs), in a
process of its own, sharing the page cache with the test as web and scheduler
share it in production (there the database; here a folder, PAGE_CACHE_URL=file://).
"""

import datetime
import os

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import Revision

from cms.content.models import ArticlePage
from tests.cms.helpers import article
from tests.conftest import make_image
from tests.publishing.processes import finish, output, shared_database, start_scheduler

pytestmark = pytest.mark.external_clock
CLOSED = "http://127.0.0.1:9/"  # no channel here: nothing is posted anywhere


@pytest.fixture
def shared_page_cache(settings, tmp_path):
    folder = tmp_path / "pages"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder),
        },
    }
    settings.PAGE_CACHE_SECONDS = 600
    yield f"file://{folder}"
    caches["pages"].clear()


def scheduled(org, title, slug):
    """An approved article going live in an hour, then the hour passed (the
    scheduler's clock is the real one)."""
    page = ArticlePage(
        title=title, slug=slug, intro="Sắp đăng.", body=[], cover_image=make_image()
    )
    org.section["bac-son"].add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision = Revision.objects.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    return page


def titles(client, path):
    response = client.get(path)
    html = BeautifulSoup(response.content, "html.parser")
    return response.get("X-Page-Cache"), [
        a.get_text(strip=True) for a in html.select(".card-title a")
    ]


def test_a_go_live_in_the_scheduler_purges_the_lists(
    transactional_db, client, org, tmp_path, shared_page_cache
):
    article(org, "Tin đã đăng", "tin-da-dang")
    page = scheduled(org, "Tin hẹn giờ", "tin-hen-gio")
    for path in ("/", "/tin-tuc/", "/tin-tuc/bac-son/"):
        client.get(path)
        assert titles(client, path) == ("hit", ["Tin đã đăng"]), path
    with shared_database(tmp_path) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": url,
            "PAGE_CACHE_URL": shared_page_cache,
            "PAGE_CACHE_SECONDS": "600",
            "FACEBOOK_GRAPH_URL": CLOSED,
            "ZALO_OPENAPI_URL": CLOSED,
            "ZALO_OAUTH_URL": CLOSED,
        }
        scheduler = start_scheduler(env, tmp_path / "scheduler.log", "--once")
        assert finish(scheduler, 120) == 0, output(scheduler)
    page.refresh_from_db()
    assert page.live, output(scheduler)
    for path in ("/", "/tin-tuc/", "/tin-tuc/bac-son/"):
        assert titles(client, path) == ("miss", ["Tin hẹn giờ", "Tin đã đăng"]), path
    assert client.get(page.url).status_code == 200
