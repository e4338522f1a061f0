"""The dispatcher's sleep: until the next due thing, or until woken.

`DispatchLoop` (started by publishing/scheduler.py) runs the dispatch job in a
thread of its own, then sleeps until `dispatcher.next_due` (a publication's time, a
retry, a rate pause's end, a broadcast's time or window), at most
PUBLISHING_DISPATCH_INTERVAL (a safety net), unless woken first:
- PostgreSQL (`Listener`): LISTEN on a connection of its own. The changes that
  bring work forward send NOTIFY (publishing/models/wakeups.py); each wake-up reads
  `next_due` again, and runs the job when something is due now. Every scheduler
  is woken; the claims (skip locked) decide which one sends what.
- SQLite (`Poller`): processes share no signal. Once a second `PRAGMA
  data_version` on a connection of its own, which changes when another
  connection (of any process) committed something; only then is `next_due` read
  again, so at most once a second.
Waits are cut in slices of a second at most, so SIGTERM (`STOPPING`) ends the loop
within a second, after the run in flight.
"""

import datetime
import logging
import threading
import time

from django.db import DatabaseError, connection
from django.utils import timezone

from publishing.conf import setting
from publishing.models.wakeups import CHANNEL
from publishing.outbox.claims import STOPPING
from publishing.outbox.dispatcher import next_due

logger = logging.getLogger("publishing.outbox.dispatcher")

SLICE = 1.0  # seconds: the longest single wait, and the SQLite poll
RETRY = datetime.timedelta(seconds=5)  # after the database failed us


class Listener:
    """PostgreSQL: LISTEN on a dedicated connection, opened (again) on demand."""

    def __init__(self, database):
        self.database = database
        self.conn = None

    def _connected(self):
        if self.conn is None:
            params = self.database.get_connection_params()
            self.conn = self.database.Database.connect(**params, autocommit=True)
            self.conn.execute(f"LISTEN {CHANNEL}")
        return self.conn

    def drain(self):
        """Forget the wake-ups received so far: the coming run sees their changes."""
        try:
            for _notify in self._connected().notifies(timeout=0):
                pass
        except Exception:  # noqa: BLE001  (as in `wait`)
            logger.warning("scheduler: listening for wake-ups failed", exc_info=True)
            self.close()

    def wait(self, seconds):
        """True when woken within `seconds`, or stopping, or the connection failed
        (what was sent meanwhile is lost: look again); False when the time is up.
        A second at a time, so that stopping is seen."""
        deadline = time.monotonic() + seconds
        try:
            while (left := deadline - time.monotonic()) > 0:
                if STOPPING.is_set():
                    return True
                woken = self._connected().notifies(
                    timeout=min(SLICE, left), stop_after=1
                )
                if any(True for _notify in woken):
                    return True
            return False
        except Exception:  # noqa: BLE001  (the database went away: reconnect later)
            logger.warning("scheduler: listening for wake-ups failed", exc_info=True)
            self.close()
            STOPPING.wait(min(seconds, SLICE))
            return True

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Poller:
    """SQLite: `PRAGMA data_version` once a second on a dedicated connection."""

    def __init__(self, database, sleep=STOPPING.wait, clock=time.monotonic):
        self.database = database
        self.sleep, self.clock = sleep, clock
        self.conn = None
        self.version = None

    def _data_version(self):
        if self.conn is None:
            params = self.database.get_connection_params()
            self.conn = self.database.get_new_connection(params)
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def drain(self):
        self.version = self._data_version()

    def wait(self, seconds):
        """True when another connection committed a change within `seconds`
        (looked at once a second), or stopping; False when the time is up."""
        deadline = self.clock() + seconds
        while (left := deadline - self.clock()) > 0:
            if self.sleep(min(SLICE, left)):
                return True  # stopping
            if self.clock() >= deadline:
                return False
            version = self._data_version()
            if version != self.version:
                self.version = version
                return True
        return False

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def waiter_for(database):
    return Listener(database) if database.vendor == "postgresql" else Poller(database)


class DispatchLoop:
    """`run` (the dispatch job) whenever something is due, on a thread of its own."""

    def __init__(self, run, waiter=None):
        self.run = run
        self.waiter = waiter
        self.thread = threading.Thread(target=self.serve, name="dispatch", daemon=True)

    def start(self):
        self.thread.start()

    def join(self, timeout=None):
        self.thread.join(timeout)

    def serve(self):
        self.waiter = self.waiter or waiter_for(connection)
        try:
            while not STOPPING.is_set():
                self.waiter.drain()
                started = timezone.now()
                summary = self.run() or {}
                self.sleep(started, worked=any(summary.values()))
        except Exception:
            logger.exception("scheduler: the dispatch loop failed")
            raise
        finally:
            self.waiter.close()
            connection.close()

    def sleep(self, started, worked):
        """Until something is due: now if more fell due during the run; else until
        the next due time, at most the interval, unless woken and due by then."""
        now = timezone.now()
        due = self.next_due(now)
        if due is not None and due <= now:
            if worked or due > started:
                return
            due = None  # due before this run began and left: it waits for a change
        interval = datetime.timedelta(seconds=setting("PUBLISHING_DISPATCH_INTERVAL"))
        limit = now + interval
        while not STOPPING.is_set():
            until = min(due, limit) if due is not None else limit
            seconds = (until - timezone.now()).total_seconds()
            if seconds <= 0 or not self.waiter.wait(seconds):
                return  # its time came
            if STOPPING.is_set():
                return
            now = timezone.now()
            due = self.next_due(now)
            if due is not None and due <= now:
                return

    def next_due(self, now):
        try:
            return next_due(now)
        except DatabaseError:
            logger.warning("scheduler: next due time unknown", exc_info=True)
            connection.close()
            return now + RETRY
