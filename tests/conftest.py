"""Shared fixtures: a small organisation with its page tree, users per role."""

import argparse
import datetime
import functools
import io
import os
import sqlite3

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import cache, caches
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pytest_django.fixtures import validate_django_db
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.content.models import ArticleIndexPage, ArticlePage, HomePage, UnitSectionPage
from cms.content.sections import ensure_tree_roots
from cms.core.models import Campaign, TargetGroup, Unit, UnitMembership
from tests import migrated_db
from tests.sandbox import sandbox  # noqa: F401  (a fixture for every package)
from tests.tasks import tasks_once

PASSWORD = "test-pass-123"

# The suite at another moment (README, "Tests at other dates"): `--clock` moves the
# clock of this process for the whole run, before the test database is made, so
# the test data is made "then" too. Other processes (scheduler subprocesses,
# gunicorn, Chromium, the backup scripts) keep the real time, so the tests that
# start them would mix two clocks: they are deselected.
CLOCK = pytest.StashKey()


def _moment(text):
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a date and time with its UTC offset, "
            "e.g. 2028-02-29T00:30+07:00"
        )
    return moment


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        type=_moment,
        default=os.environ.get("TEST_CLOCK") or None,
        metavar="DATETIME",
        help="run the in-process tests with the clock set to this moment (ISO "
        "8601 with an offset, e.g. 2028-02-29T00:30+07:00; default $TEST_CLOCK) "
        "and ticking; tests marked external_clock or e2e are deselected.",
    )


def pytest_configure(config):
    config.stash[SHARED_ORG] = SharedOrgRows()
    moment = config.getoption("--clock", None)
    if moment:
        config.stash[CLOCK] = time_machine.travel(moment, tick=True)
        config.stash[CLOCK].start()


def pytest_unconfigure(config):
    if CLOCK in config.stash:
        config.stash[CLOCK].stop()


def pytest_report_header(config):
    moment = config.getoption("--clock", None)
    return f"clock: {moment.isoformat()} (shifted, ticking)" if moment else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the tests in `run_order`; under --clock, leave out (as deselected) the
    tests whose other processes cannot share the moved clock; the browser journeys
    are such tests."""
    items.sort(key=run_order)
    if not config.getoption("--clock", None):
        return
    external = [
        item
        for item in items
        if item.get_closest_marker("external_clock") or item.get_closest_marker("e2e")
    ]
    if external:
        config.hook.pytest_deselected(items=external)
        left_out = set(external)
        items[:] = [item for item in items if item not in left_out]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    caches["pages"].clear()  # the header's navigation, pages when a test keeps them
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _client_logins_pass_two_factor(monkeypatch):
    """The test client's force_login() and login() stand for a whole sign-in,
    password and two-step code (cms/twofactor): the user gets an authenticator if
    they have none, and the session counts as verified with it. Only the sign-in
    form itself (a POST to wagtailadmin_login) leaves a session that still owes a
    code, as in tests/cms/test_twofactor.py."""
    force_login, login = Client.force_login, Client.login

    def verified_force_login(self, user, backend=None):
        force_login(self, user, backend)
        verify_session(self, user)

    def verified_login(self, **credentials):
        if not login(self, **credentials):
            return False
        user = get_user_model().objects.get(pk=self.session[SESSION_KEY])
        verify_session(self, user)
        return True

    monkeypatch.setattr(Client, "force_login", verified_force_login)
    monkeypatch.setattr(Client, "login", verified_login)


def verify_session(client, user):
    """Mark the client's session verified by the user's authenticator, as
    django_otp.login() does after a right code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@functools.lru_cache(maxsize=64)
def png_bytes(width=1200, height=630, colour="#0b5394", fmt="PNG"):
    """An image file's bytes, encoded once per size and format (about 30 ms for the
    1200x630 cover every article gets; bytes cannot be changed by a test)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, fmt)
    return buffer.getvalue()


def make_image(title="Ảnh bìa", width=1200, height=630):
    """A saved image. The file goes in with the row (not assigned after), so
    Django decodes it once to measure it, not twice (~5 ms each for the cover)."""
    buffer = io.BytesIO(png_bytes(width, height))
    buffer.name = "cover.png"
    file = ImageFile(buffer, name="cover.png")
    image = get_image_model()(title=title, file=file, width=width, height=height)
    image.save()
    return image


class Org:
    """The tree every test starts from: region -> two districts, with sections."""

    def __init__(self):
        root = ensure_tree_roots()
        self.home = HomePage(title="Trang chủ", slug="trang-chu", hero_title="BHXH")
        root.add_child(instance=self.home)
        Site.objects.all().delete()
        Site.objects.create(
            hostname="testserver", port=80, root_page=self.home, is_default_site=True
        )
        self.news = ArticleIndexPage(title="Tin tức", slug="tin-tuc")
        self.home.add_child(instance=self.news)
        self.region = Unit.objects.create(name="BHXH khu vực V", slug="khu-vuc-v")
        self.bac_son = Unit.objects.create(
            name="BHXH cơ sở Bắc Sơn",
            short_name="Bắc Sơn",
            slug="bac-son",
            parent=self.region,
        )
        self.loc_binh = Unit.objects.create(
            name="BHXH cơ sở Lộc Bình",
            short_name="Lộc Bình",
            slug="loc-binh",
            parent=self.region,
        )
        self.section = {
            u.slug: UnitSectionPage.objects.get(unit=u)
            for u in (self.region, self.bac_son, self.loc_binh)
        }
        self.household = TargetGroup.objects.create(
            name="Chủ hộ kinh doanh", slug="ho-kinh-doanh"
        )
        self.coop = TargetGroup.objects.create(
            name="Người quản lý HTX không hưởng lương", slug="quan-ly-htx"
        )

    def user(self, username, role=None, unit=None, superuser=False):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            is_superuser=superuser,
            is_staff=superuser,
        )
        if role:
            UnitMembership.objects.create(user=user, unit=unit, role=role)
        return user

    def article(self, section_slug="bac-son", title="Hộ kinh doanh đóng BHXH", **kw):
        defaults = {
            "intro": "Từ 01/7/2025 chủ hộ kinh doanh tham gia BHXH bắt buộc.",
            "body": [
                {"type": "heading", "value": {"text": "Ai tham gia", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Bảo hiểm xã hội bắt buộc.</p>"},
            ],
            "cover_image": make_image(title),
        }
        defaults.update(kw)
        page = ArticlePage(title=title, **defaults)
        with tasks_once():  # its three saves indexed once (tests/tasks.py)
            self.section[section_slug].add_child(instance=page)
            page.save_revision().publish()
        page.refresh_from_db()
        return page


class SharedOrg(Org):
    """The rows `Org()` made for the session, read back fresh for each test (a test
    may change them; its rollback puts them back, not the objects it held)."""

    def __init__(self):
        self.home = HomePage.objects.get(slug="trang-chu")
        self.news = ArticleIndexPage.objects.get(slug="tin-tuc")
        self.region = Unit.objects.get(slug="khu-vuc-v")
        self.bac_son = Unit.objects.get(slug="bac-son")
        self.loc_binh = Unit.objects.get(slug="loc-binh")
        self.section = {
            u.slug: UnitSectionPage.objects.get(unit=u)
            for u in (self.region, self.bac_son, self.loc_binh)
        }
        self.household = TargetGroup.objects.get(slug="ho-kinh-doanh")
        self.coop = TargetGroup.objects.get(slug="quan-ly-htx")


# The organisation is built once per session, not once per test (it costs about a
# second: units -> sections, permissions, workflows, the page tree). It is made in
# a transaction held open under the tests that share it; each of them runs in a
# savepoint (pytest-django's `db`, like Django's TestCase), so what a test changes
# is undone after it. Every other database test runs with that transaction rolled
# back: the rollback tests without `org` see an empty database as they expect, and
# transactional tests (which commit, then flush every table) build their own.
SHARED_ORG = pytest.StashKey()


def database_use(item):
    """How `item` uses the database, as pytest-django decides it: "transaction"
    (commits, the tables flushed after it), "rollback" (undone after it) or None."""
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = (
        validate_django_db(marker) if marker else (False, False)
    )
    names = set(getattr(item, "fixturenames", ()))
    own_transactions = {"transactional_db", "live_server", "django_db_reset_sequences"}
    if transactional or reset_sequences or names & own_transactions:
        return "transaction"
    return "rollback" if marker or "db" in names else None


def shares_org(item):
    return database_use(item) == "rollback" and "_shared_org_rows" in item.fixturenames


def run_order(item):
    """pytest-django's order (rollback tests, transactional tests, the rest), the
    tests sharing the organisation last of the rollback ones: it is built once."""
    use = database_use(item)
    if use == "rollback":
        return 1 if shares_org(item) else 0
    return 2 if use == "transaction" else 3


class SharedOrgRows:
    """The open transaction holding the shared organisation. `want(True)` before
    a test that shares it, `want(False)` before any other database test; acted on
    once the test database exists (`attach`)."""

    def __init__(self):
        self.blocker = self.outer = None
        self.wanted = False
        self.builds = 0

    def attach(self, blocker):
        self.blocker = blocker
        self.want(self.wanted)

    def want(self, wanted):
        self.wanted = wanted
        if self.blocker is None or wanted == (self.outer is not None):
            return
        with self.blocker.unblock():
            if wanted:
                self.outer = transaction.atomic()
                self.outer.__enter__()
                Org()
                self.builds += 1
            else:
                self._rollback()

    def _rollback(self):
        if connection.atomic_blocks[-1] is not self.outer:
            raise RuntimeError(
                "A module's rows on the shared organisation (module_rows) are still "
                "open before a test that does not share it: give that test a "
                "module of its own."
            )
        transaction.set_rollback(True)
        self.outer.__exit__(None, None, None)
        self.outer = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's own fixtures (its savepoint must sit inside the shared
    transaction, and a transactional test outside any)."""
    if database_use(item):
        item.config.stash[SHARED_ORG].want(shares_org(item))


@pytest.fixture(scope="session")
def _shared_org_rows(request, django_db_setup, django_db_blocker):
    rows = request.config.stash[SHARED_ORG]
    rows.attach(django_db_blocker)
    yield rows
    rows.want(False)


@pytest.fixture(scope="module")
def module_rows(_shared_org_rows, django_db_blocker):
    """The shared organisation for a module fixture that adds rows of its own,
    once for the module: made in a savepoint of the shared transaction, undone when
    the module is done. Its tests take `org` too (their own savepoints); a module
    using it holds no transactional test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield SharedOrg()
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def class_rows(module_rows, django_db_blocker):
    """As `module_rows`, for one class of tests: the rows a class fixture adds are
    undone when the class is done, before the module's next tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield SharedOrg()
        transaction.set_rollback(True)


@pytest.fixture
def org(request, _shared_org_rows, db):
    """The organisation: the shared one, or for a transactional test its own."""
    if database_use(request.node) == "transaction":
        return Org()
    return SharedOrg()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's hook before the test databases are made: SQLite's is copied
    from the last run's when nothing it depends on has changed (migrated_db.py)."""
    with migrated_db.reused():
        yield


def make_campaign():
    return Campaign.objects.create(
        name="Chiến dịch 2025",
        slug="chien-dich-2025",
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2025, 12, 31),
    )


@pytest.fixture
def campaign(org):
    return make_campaign()


@pytest.fixture
def waiting_database(transactional_db, tmp_path):
    """On SQLite the test database is shared-cache memory, where a second writer
    fails at once ("database table is locked") instead of waiting as it does on
    the file database (IMMEDIATE transactions, busy timeout) that production uses:
    copy it to a file for this test. PostgreSQL needs nothing."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # `memory` keeps the in-memory database alive
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
