"""Browser journeys: pytest-playwright driving Debian's Chromium (never downloaded)."""

import io
import os
import sqlite3
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from cms.content.models import ArticlePage, UnitSectionPage
from tests.conftest import make_image
from tests.e2e.helpers import DRAFT_TITLE

# live_server runs Django in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, its requests one at a time when they share the test's
    in-memory SQLite connection (Django hands every server thread that one
    connection). Chromium sends requests side by side (an autosave beside the
    time picker's choices and the editing session's ping): on one connection their
    transactions interleaved ("no such savepoint", an autosave lost). Connections
    stay threaded, so a keep-alive socket never blocks the others."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self.lock = threading.Lock() if connections_override else None
        self.closed = False  # between a journey's end and the next one's start

    def set_app(self, application):
        if self.lock is None:
            return super().set_app(application)
        lock = self.lock

        def one_at_a_time(environ, start_response):
            with lock:  # the body too: a streamed response reads the database
                if self.closed:  # the journey is over: its database is flushed
                    start_response("503 Service Unavailable", [])
                    return [b""]
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(autouse=True)
def _live_server_quiet_before_the_flush(request, transactional_db):
    """After a journey (its page closed first: set up later, torn down earlier),
    the live server finishes the request in flight and answers 503 to the ones
    still coming, before the database is flushed: a late request of the closed
    page (an autosave, a ping) once locked a table under the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server").thread.httpd
    server.closed = False
    yield
    if server.lock is not None:
        with server.lock:
            server.closed = True


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # live_server needs committed data; serialized_rollback restores what the
            # migrations created (Wagtail's root page, locale, collection) after the
            # flush, for the tests that come next.
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True)
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: run scripts/ensure-chromium.sh "
            "(make test does it)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 900},
    }


class SeededDemo:
    """seed_demo's database, made by the first journey that asks for it (3-8 s of
    CPU) and copied back whole for each of the next ones (SQLite's backup API: a
    few milliseconds). Every journey starts from the same state as before: the
    empty migrated database (flushed, serialized_rollback restored) then the seed;
    made within the session, the seed's dates are today's. On another database it
    seeds each time."""

    def __init__(self):
        self.copy = None

    def load(self):
        connection.ensure_connection()
        if self.copy is not None:
            self.copy.backup(connection.connection)
            return
        call_command("seed_demo", stdout=io.StringIO())
        if connection.vendor == "sqlite":
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)


@pytest.fixture(scope="session")
def _seeded_demo():
    seeded = SeededDemo()
    yield seeded
    if seeded.copy is not None:
        seeded.copy.close()


@pytest.fixture
def demo(transactional_db, _seeded_demo):
    _seeded_demo.load()


@pytest.fixture
def draft(demo):
    """A draft article of Bắc Sơn's editor, not yet submitted."""
    section = UnitSectionPage.objects.get(unit__slug="bac-son")
    editor = get_user_model().objects.get(username="bientap.bacson")
    page = ArticlePage(
        title=DRAFT_TITLE,
        slug="ho-kinh-doanh-dang-ky-tai-cho",
        intro="Cán bộ BHXH Bắc Sơn hướng dẫn chủ hộ kinh doanh đăng ký tại chợ.",
        cover_image=make_image("Chợ Bắc Sơn"),
        body=[{"type": "paragraph", "value": "<p>Đăng ký ngay tại chợ.</p>"}],
        owner=editor,
        live=False,
    )
    section.add_child(instance=page)
    page.save_revision(user=editor)
    return page
