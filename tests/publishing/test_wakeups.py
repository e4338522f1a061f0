"""The dispatcher sleeps until the next due thing and is woken by what brings work
forward (publishing/outbox/wakeups.py, publishing/models/wakeups.py): how long it
sleeps (driven clock), each trigger's NOTIFY on a real PostgreSQL, the loop woken
end to end, and SQLite's poll (one cheap query a second, on an index)."""

import datetime
import sqlite3
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from cms.core.models import Role
from publishing.lifecycle import BroadcastStatus as B
from publishing.lifecycle import PublicationStatus as S
from publishing.models import (
    ChannelPause,
    ChannelStatus,
    PauseScope,
    Publication,
    PublishingPause,
)
from publishing.outbox import claims
from publishing.outbox.wakeups import DispatchLoop, Listener, Poller
from publishing.planning import actions
from publishing.scheduler import _job, dispatch_job
from tests.publishing.factories import broadcast, due, fresh
from tests.publishing.processes import wait_until

NOON = datetime.datetime(2027, 3, 10, 5, 0, tzinfo=datetime.UTC)  # 12:00 in Hà Nội


class Waiter:
    """Stands in for the Listener/Poller: records each wait; `changes` run one by
    one while it waits (what another process does meanwhile) and wake it."""

    def __init__(self, *changes):
        self.waits, self.changes = [], list(changes)

    def wait(self, seconds):
        self.waits.append(round(seconds, 3))
        if not self.changes:
            return False
        self.changes.pop(0)()
        return True

    def drain(self):
        pass

    def close(self):
        pass


def sleep_after_run(waiter, started=None):
    DispatchLoop(run=None, waiter=waiter).sleep(started or timezone.now(), False)
    return waiter.waits


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


@pytest.mark.django_db
class TestHowLongItSleeps:
    @pytest.fixture(autouse=True)
    def noon(self, settings):
        settings.PUBLISHING_DISPATCH_INTERVAL = 600
        with time_machine.travel(NOON, tick=False):
            yield

    def test_until_the_next_publication_falls_due(self, fb, article):
        due(article, fb, ago=datetime.timedelta(seconds=-90))
        due(article, fb, ago=datetime.timedelta(seconds=-300), round=2)
        assert sleep_after_run(Waiter()) == [90.0]

    def test_until_a_retry_is_due(self, fb, article):
        publication = due(article, fb)
        Publication.objects.filter(pk=publication.pk).update(
            status=S.RETRYING, next_attempt_at=later(30)
        )
        assert sleep_after_run(Waiter()) == [30.0]

    def test_nothing_planned_sleeps_the_interval_at_most(self, fb, article):
        due(article, fb, ago=datetime.timedelta(hours=-2))
        assert sleep_after_run(Waiter()) == [600.0]

    def test_a_paused_channel_wakes_it_when_its_rate_pause_ends(self, fb, article):
        due(article, fb)  # overdue, but the network asked us to wait
        ChannelPause.objects.create(channel=fb, until=later(45), reason="rate limit")
        assert sleep_after_run(Waiter()) == [45.0]

    def test_a_pause_switch_keeps_its_posts_from_waking_it(self, fb, article):
        due(article, fb)
        PublishingPause.objects.create(scope=PauseScope.CHANNEL, channel=fb)
        assert sleep_after_run(Waiter()) == [600.0]

    def test_a_broadcast_waiting_for_the_window_wakes_it_at_six(
        self, fb, article, settings
    ):
        settings.PUBLISHING_DISPATCH_INTERVAL = 24 * 3600
        publication = due(article, fb)
        Publication.objects.filter(pk=publication.pk).update(
            status=S.PUBLISHED, external_id="123_456"
        )
        opens = NOON + datetime.timedelta(hours=18)  # 06:00 tomorrow in Hà Nội
        broadcast(publication, status=B.WAITING, next_attempt_at=opens)
        assert sleep_after_run(Waiter()) == [18 * 3600.0]

    def test_what_fell_due_during_the_run_runs_at_once(self, fb, article):
        due(article, fb, ago=datetime.timedelta(seconds=1))
        assert sleep_after_run(Waiter(), started=later(-2)) == []

    def test_woken_by_a_post_now_it_runs_at_once(self, fb, article):
        due(article, fb, ago=datetime.timedelta(seconds=-500))
        waiter = Waiter(lambda: due(article, fb, ago=datetime.timedelta(0), round=2))
        assert sleep_after_run(waiter) == [500.0]  # one wait, cut short

    def test_woken_by_a_later_time_it_sleeps_until_then(self, fb, article):
        due(article, fb, ago=datetime.timedelta(seconds=-500))
        waiter = Waiter(
            lambda: due(article, fb, ago=datetime.timedelta(seconds=-120), round=2)
        )
        assert sleep_after_run(waiter) == [500.0, 120.0]


@pytest.mark.django_db
def test_the_next_due_query_reads_an_index(fb, article):
    """`claims.next_due` takes the MIN over these rows: found by status on an
    index, never by reading every publication ever made."""
    due(article, fb, ago=datetime.timedelta(hours=-1))
    query = claims.claimable(timezone.now()).order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
            assert "SCAN publishing_publication" not in plan, plan
        else:  # a tiny table: with sequential scans off, the index shows
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on publishing_publication" not in plan, plan
    assert "publishing_publication USING INDEX" in plan or "Index" in plan, plan


# PostgreSQL: each trigger sends NOTIFY, delivered at commit -------------------------
@pytest.fixture
def listener(transactional_db, fb, article):
    """Listening once the channel and the article are made (publishing an article
    wakes the schedulers too)."""
    assert connection.vendor == "postgresql", (
        "LISTEN/NOTIFY needs PostgreSQL: run through scripts/with-postgres.sh"
    )
    woken = Listener(connection)
    woken.drain()
    yield woken
    woken.close()


@pytest.fixture
def approver(org):
    return org.user("duyet.bacson", Role.APPROVER, org.bac_son)


WAIT = 10  # seconds at most; a NOTIFY arrives at once


@pytest.mark.postgres
class TestEachTriggerWakesTheSchedulers:
    def test_a_publication_made(self, listener, fb, article):
        due(article, fb, ago=datetime.timedelta(hours=-1))
        assert listener.wait(WAIT)

    def test_a_publication_rescheduled(self, listener, fb, article, approver):
        publication = due(article, fb, ago=datetime.timedelta(hours=-1))
        listener.drain()
        actions.reschedule(approver, publication, later(60))
        assert listener.wait(WAIT)

    def test_a_failed_publication_posted_now(self, listener, fb, article, approver):
        publication = due(article, fb)
        Publication.objects.filter(pk=publication.pk).update(status=S.FAILED)
        listener.drain()
        actions.retry_now(approver, fresh(publication))
        assert fresh(publication).status == S.SCHEDULED
        assert listener.wait(WAIT)

    def test_held_publications_released_by_a_reconnection(self, listener, fb, article):
        publication = due(article, fb)
        Publication.objects.filter(pk=publication.pk).update(status=S.HELD)
        fb.status = ChannelStatus.NEEDS_RECONNECT
        fb.save()
        listener.drain()
        fb.status = ChannelStatus.ACTIVE
        fb.save()
        assert fresh(publication).status == S.SCHEDULED
        assert listener.wait(WAIT)

    def test_a_pause_switch_lifted(self, listener, fb, article):
        due(article, fb)
        pause = PublishingPause.objects.create(scope=PauseScope.UNIT, unit=fb.unit)
        listener.drain()
        pause.delete()
        assert listener.wait(WAIT)

    def test_a_post_finished_frees_its_channel(self, listener, fb, article):
        publication = due(article, fb)
        Publication.objects.filter(pk=publication.pk).update(status=S.PUBLISHING)
        listener.drain()
        Publication.objects.filter(pk=publication.pk).update(status=S.PUBLISHED)
        assert listener.wait(WAIT)

    def test_a_claim_or_a_lease_renewal_wakes_nobody(self, listener, fb, article):
        due(article, fb)
        listener.drain()
        [(pk, _channel, _status)] = claims.claim(timezone.now(), "me", 10)
        Publication.objects.filter(pk=pk).update(lease_until=later(120))
        Publication.objects.filter(pk=pk).update(reactions=3)
        assert not listener.wait(0.5)

    def test_delivered_at_commit_and_dropped_with_a_rollback(
        self, listener, fb, article
    ):
        with transaction.atomic():
            due(article, fb)
            assert not listener.wait(0.5)  # not before the commit
        assert listener.wait(WAIT)
        with pytest.raises(RuntimeError), transaction.atomic():
            due(article, fb, round=2)
            raise RuntimeError("rolled back")
        assert not listener.wait(0.5)


@pytest.mark.postgres
def test_the_loop_posts_what_a_wake_up_brought(
    listener, sandbox, fb, article, settings
):
    """The loop sleeps an hour at most; only a wake-up can make it post this."""
    settings.PUBLISHING_DISPATCH_INTERVAL = 3600
    runs = []

    def run():
        runs.append(timezone.now())
        return _job(dispatch_job)()

    loop = DispatchLoop(run)
    loop.start()
    try:
        wait_until(lambda: runs, 30, what="the first run")
        publication = due(article, fb, ago=datetime.timedelta(0))  # "post now"
        published = Publication.objects.filter(pk=publication.pk, status=S.PUBLISHED)
        wait_until(published.exists, 60, what="the post")
    finally:
        claims.STOPPING.set()
        loop.join(30)
        claims.STOPPING.clear()
    assert not loop.thread.is_alive()
    assert len(runs) >= 2


# SQLite: a poll of PRAGMA data_version, once a second -------------------------------
class Counted:
    """A sqlite3 connection that counts its statements."""

    def __init__(self, path):
        self.conn, self.statements = sqlite3.connect(path), []

    def execute(self, sql):
        self.statements.append(sql)
        return self.conn.execute(sql)

    def close(self):
        self.conn.close()


class FileDatabase:
    """What the Poller asks of Django's connection, for a SQLite file."""

    def __init__(self, path):
        self.path, self.opened = path, []

    def get_connection_params(self):
        return {}

    def get_new_connection(self, params):
        self.opened.append(Counted(self.path))
        return self.opened[-1]


class Clock:
    """A monotonic clock that only the poller's sleeps move."""

    def __init__(self):
        self.now, self.sleeps, self.during = 0.0, [], {}

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
        self.during.pop(len(self.sleeps), lambda: None)()
        return False


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "poll.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    return path


def test_the_poll_reads_data_version_once_a_second(sqlite_file):
    database, clock = FileDatabase(sqlite_file), Clock()
    poller = Poller(database, sleep=clock.sleep, clock=lambda: clock.now)
    poller.drain()
    assert not poller.wait(10.5)
    assert max(clock.sleeps) <= 1.0 and clock.now == 10.5
    [conn] = database.opened
    assert conn.statements == ["PRAGMA data_version"] * 11  # drain + 10 looks


def test_the_poll_sees_another_process_commit(sqlite_file):
    database, clock = FileDatabase(sqlite_file), Clock()
    poller = Poller(database, sleep=clock.sleep, clock=lambda: clock.now)
    poller.drain()

    def another_process_writes():
        with sqlite3.connect(sqlite_file) as other:
            other.execute("INSERT INTO t VALUES (1)")

    clock.during[3] = another_process_writes
    assert poller.wait(60)
    assert clock.now == 3.0  # seen at the first look after it


def test_a_stop_ends_the_poll_at_once(sqlite_file):
    stopping = threading.Event()
    stopping.set()
    poller = Poller(FileDatabase(sqlite_file), sleep=stopping.wait)
    poller.drain()
    assert poller.wait(60)
