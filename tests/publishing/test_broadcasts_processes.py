"""Broadcasts and the real scheduler process (`run_scheduler`, its clock moved
into Zalo's hours): killed with SIGKILL while Zalo holds the answer, the broadcast
is unconfirmed and never sent again; two schedulers on PostgreSQL send each
broadcast once; a person's resend is single-use under parallel requests."""

import datetime
import signal
import subprocess
import sys
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from publishing.lifecycle import BroadcastStatus, PublicationStatus
from publishing.models import Broadcast
from publishing.outbox import broadcasts, dispatcher
from tests.publishing.factories import (
    FAST_ZALO,
    broadcast,
    due,
    fresh,
    zalo_channel,
)
from tests.publishing.processes import (
    LEASE,
    ROOT,
    finish,
    output,
    scheduler_env,
    shared_database,
    wait_until,
)
from tests.sandbox import network_options

B, S = BroadcastStatus, PublicationStatus
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
pytestmark = pytest.mark.external_clock  # processes keep their own clock


def offset_to_ten():
    """Seconds from now to today's 10:00 in Vietnam (inside Zalo's hours)."""
    now = datetime.datetime.now(VIETNAM)
    return (
        now.replace(hour=10, minute=0, second=0, microsecond=0) - now
    ).total_seconds()


@pytest.fixture
def shifted(settings):
    """This process (and the sandbox in it) at today's 10:00 in Vietnam, ticking."""
    offset = offset_to_ten()
    moment = datetime.datetime.fromtimestamp(time.time() + offset, datetime.UTC)
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1
    with time_machine.travel(moment, tick=True):
        yield offset


def start(env, log_path, offset, *args):
    log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.publishing.clocked_scheduler", str(offset)]
        + list(args),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log, process.log_path = log, log_path
    return process


def published_on(sandbox, org, name):
    """A Zalo channel whose article is created and verified, and a broadcast of it."""
    channel = zalo_channel(org, sandbox.zalo_oa(name, verify_polls=0))
    publication = due(org.article(title=f"Bài {name}"), channel)
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED
    return publication


def sent(sandbox):
    return sandbox.control("zalo/broadcasts")["broadcasts"]


def message_calls(sandbox):
    return sandbox.calls("zalo", "message")


def test_killed_mid_call_is_unconfirmed_and_never_resent(
    transactional_db, sandbox, org, tmp_path, shifted
):
    publication = published_on(sandbox, org, "OA Bắc Sơn")
    item = broadcast(publication)
    sandbox.fault("zalo", "message", "delay", seconds=2)  # Zalo holds its answer
    with shared_database(tmp_path) as url:
        env = scheduler_env(sandbox, url)
        process = start(env, tmp_path / "first.log", shifted)
        in_flight = lambda: any(c["status"] is None for c in message_calls(sandbox))  # noqa: E731
        wait_until(in_flight, 60, process, "the broadcast call")
        process.send_signal(signal.SIGKILL)
        assert finish(process) == -signal.SIGKILL
        wait_until(lambda: len(sent(sandbox)) == 1, 5, what="Zalo's broadcast")
        time.sleep(LEASE + 0.5)  # the dead process's lease runs out
        for n in range(2):
            again = start(env, tmp_path / f"again{n}.log", shifted, "--once")
            assert finish(again, 60) == 0, output(again)
    item = fresh(item)
    assert item.status == B.UNCONFIRMED, (item.last_error, output(again))
    assert item.last_error_code == "lease_expired" and item.attempts == 1
    assert len(sent(sandbox)) == 1 and len(message_calls(sandbox)) == 1
    assert not Broadcast.objects.filter(status=B.SENDING).exists()


@pytest.mark.postgres
def test_two_schedulers_send_each_broadcast_once(
    transactional_db, sandbox, org, tmp_path, shifted
):
    assert connection.vendor == "postgresql", (
        "two scheduler processes are supported on PostgreSQL only: run this test "
        "through scripts/with-postgres.sh (make test does), not on SQLite"
    )
    items = [
        broadcast(published_on(sandbox, org, f"OA {n}"), send_at=None)
        for n in range(12)
    ]
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    Broadcast.objects.update(send_at=later)  # none due while the two start
    with shared_database(tmp_path) as url:
        env = scheduler_env(sandbox, url)
        processes = [start(env, tmp_path / f"s{n}.log", shifted) for n in (1, 2)]
        try:
            for process in processes:
                wait_until(
                    lambda p=process: "scheduler started" in output(p),
                    60,
                    process,
                    "the scheduler to start",
                )
            now = datetime.datetime.now(datetime.UTC)
            Broadcast.objects.update(send_at=now - datetime.timedelta(seconds=1))
            done = Broadcast.objects.filter(status=B.SENT)
            wait_until(lambda: done.count() == 12, 60, what="12 broadcasts sent")
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            codes = [finish(process) for process in processes]
    assert codes == [0, 0], [output(p) for p in processes]
    articles = sorted(b["article"] for b in sent(sandbox))
    assert articles == sorted(fresh(i).publication.external_id for i in items)
    assert len(message_calls(sandbox)) == 12


@pytest.mark.postgres
def test_parallel_resends_make_one(transactional_db, sandbox, org, shifted):
    assert connection.vendor == "postgresql", "threads share no SQLite test database"
    admin = org.user("ld_vung", "lead", org.region)
    original = broadcast(published_on(sandbox, org, "OA Bắc Sơn"), status=B.UNCONFIRMED)
    barrier, results = threading.Barrier(5), []

    def resend():
        try:
            barrier.wait(5)
            results.append(broadcasts.resend(original, admin).pk)
        except ValidationError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=resend) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 1 and len(results) == 5
    assert all("đã được gửi lại" in r for r in results if isinstance(r, str))
    assert Broadcast.objects.filter(resend_of=original).count() == 1
