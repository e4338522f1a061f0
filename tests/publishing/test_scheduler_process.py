"""The real scheduler process (`manage.py run_scheduler`) against the test database
and the sandbox: killed with SIGKILL mid-call, stopped with SIGTERM, and two of them
at once on PostgreSQL. Never twice, never lost (guarantees 1 and 2)."""

import collections
import datetime
import re
import signal
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from publishing.models import Channel, Publication, PublicationStatus
from tests.publishing.factories import due, fb_channel, feed_calls, fresh, posts
from tests.publishing.processes import (
    LEASE,
    finish,
    output,
    scheduler_env,
    shared_database,
    start_scheduler,
    wait_until,
)

S = PublicationStatus
MARKER = re.compile(r"utm_content=pub-(\d+)")
# Scheduler processes keep the real clock.
pytestmark = pytest.mark.external_clock


# A database the subprocess shares with the test -------------------------------------
def in_flight(sandbox):
    return any(c["status"] is None for c in feed_calls(sandbox))


def markers(sandbox):
    """How many posts carry each publication's marker."""
    return collections.Counter(
        pk
        for post in posts(sandbox)
        for pk in {int(m) for m in MARKER.findall(str(post))}
    )


# SIGKILL and SIGTERM ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "created"),
    [("delay", True), ("timeout", False)],
    ids=["network-posted-it", "network-did-not"],
)
def test_killed_mid_call_then_restarted_posts_exactly_once(
    transactional_db, sandbox, org, tmp_path, fault, created
):
    """kill -9 while the publish call is in flight. `delay`: the network still
    creates the post after we died; `timeout`: it never does. Either way the
    restarted scheduler ends with exactly one post and nothing `publishing`."""
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    publication = due(org.article(), channel)
    sandbox.fault("facebook", "feed", fault, seconds=1)
    with shared_database(tmp_path) as url:
        env = scheduler_env(sandbox, url)
        process = start_scheduler(env, tmp_path / "first.log")
        wait_until(lambda: in_flight(sandbox), 60, process, "the publish call")
        process.send_signal(signal.SIGKILL)
        assert finish(process) == -signal.SIGKILL
        if created:  # the network finishes what it received
            wait_until(lambda: len(posts(sandbox)) == 1, 5, what="the delayed post")
        time.sleep(LEASE + 0.5)  # the dead process's lease runs out
        again = start_scheduler(env, tmp_path / "again.log", "--once")
        assert finish(again, 60) == 0, output(again)
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, (publication.last_error, output(again))
    assert not Publication.objects.filter(status=S.PUBLISHING).exists()
    assert len(posts(sandbox)) == 1
    assert markers(sandbox) == {publication.pk: 1}
    assert publication.external_id == posts(sandbox)[0]["id"]
    outcomes = list(publication.attempt_history.values_list("outcome", flat=True))
    # Sent once (its attempt never finished), then reconciled: found, or not
    # found and sent again.
    assert len(feed_calls(sandbox)) == (1 if created else 2)
    assert outcomes.count("reconciled") == 1, outcomes


# Ctrl-C in `make run`, then its TERM to every process: the second signal finds the
# scheduler already stopping (it raised SchedulerNotRunningError before).
@pytest.mark.parametrize(
    "signals",
    [[signal.SIGTERM], [signal.SIGINT, signal.SIGTERM]],
    ids=["sigterm", "sigint-then-sigterm"],
)
def test_sigterm_lets_the_call_in_flight_finish(
    transactional_db, sandbox, org, tmp_path, signals
):
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    publication = due(org.article(), channel)
    sandbox.fault("facebook", "feed", "delay", seconds=1.5)
    with shared_database(tmp_path) as url:
        process = start_scheduler(scheduler_env(sandbox, url), tmp_path / "s.log")
        wait_until(lambda: in_flight(sandbox), 60, process, "the publish call")
        for number in signals:
            process.send_signal(number)
        # Every job running at that moment finishes first (the start runs them
        # all): on a loaded machine that took longer than 30 s once.
        assert finish(process, timeout=90) == 0, output(process)
    assert "finishing the call in flight" in output(process)
    assert "Traceback" not in output(process), output(process)
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, (publication.last_error, output(process))
    assert publication.leased_by == "" and publication.external_id
    assert len(posts(sandbox)) == 1 and len(feed_calls(sandbox)) == 1


# Signalled inside the thread pool's submit: it holds the lock that shutdown takes.
# A SIGTERM handler calling shutdown there waited for itself forever (one CI run).
SIGNAL_INSIDE_SUBMIT = """
import os, signal, time
from concurrent.futures import thread
adjust = thread.ThreadPoolExecutor._adjust_thread_count
def _adjust_thread_count(self):
    if not getattr(thread, "signalled", False):
        thread.signalled = True
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.5)  # a handler would run here, the pool's lock held
    adjust(self)
thread.ThreadPoolExecutor._adjust_thread_count = _adjust_thread_count
"""


def test_sigterm_while_a_job_is_being_submitted_stops_the_process(
    transactional_db, sandbox, tmp_path
):
    with shared_database(tmp_path) as url:
        process = start_scheduler(
            scheduler_env(sandbox, url),
            tmp_path / "s.log",
            prelude=SIGNAL_INSIDE_SUBMIT,
        )
        assert finish(process, timeout=60) == 0, output(process)
    assert "finishing the call in flight" in output(process)
    assert "Traceback" not in output(process), output(process)


def test_usr1_writes_every_threads_stack_and_the_process_goes_on(
    transactional_db, sandbox, tmp_path
):
    """`kill -USR1`: where each thread of a running scheduler waits, in its log
    (docs/operations.md, for one that does not stop); it keeps running."""
    with shared_database(tmp_path) as url:
        process = start_scheduler(scheduler_env(sandbox, url), tmp_path / "s.log")
        wait_until(lambda: "scheduler started" in output(process), 60, process)
        # Several times while the jobs of the start run: faulthandler's dump of
        # running threads crashed the process once in CI.
        for number in range(1, 6):
            process.send_signal(signal.SIGUSR1)
            wait_until(lambda n=number: dumps(process) == n, 10, process, "stacks")
        assert process.poll() is None
        process.send_signal(signal.SIGTERM)
        assert finish(process, timeout=90) == 0, output(process)
    log = Path(process.log_path).read_text(errors="replace")
    assert 'File "' in log and "wakeups.py" in log  # the dispatch loop's thread


def dumps(process):
    log = Path(process.log_path).read_text(errors="replace")
    return log.count("Stacks of every thread")


# Two scheduler processes on PostgreSQL -----------------------------------------------
@pytest.mark.postgres
def test_two_schedulers_post_500_publications_each_exactly_once(
    transactional_db, sandbox, org, tmp_path
):
    assert connection.vendor == "postgresql", (
        "two scheduler processes are supported on PostgreSQL only: run this test "
        "through scripts/with-postgres.sh (make test does), not on SQLite"
    )
    with shared_database(tmp_path) as url:
        env = scheduler_env(sandbox, url, PUBLISHING_WORKERS=4)
        processes = [
            start_scheduler(env, tmp_path / f"scheduler-{n}.log") for n in (1, 2)
        ]
        try:
            # Made while the two processes start (seconds each); none is due yet.
            channels = [
                fb_channel(org, sandbox.facebook_page(f"Trang {n}"), f"Trang {n}")
                for n in range(50)
            ]
            articles = [org.article(title=f"Bài {n}") for n in range(10)]
            later = timezone.now() + datetime.timedelta(hours=1)
            Publication.objects.bulk_create(
                Publication(page=page, channel=channel, publish_at=later)
                for page in articles
                for channel in channels
            )
            for process in processes:
                wait_until(
                    lambda p=process: "scheduler started" in output(p),
                    60,
                    process,
                    "the scheduler to start",
                )
            # All 500 fall due at once, under both processes.
            now = timezone.now()
            Publication.objects.update(publish_at=now - datetime.timedelta(minutes=1))
            published = Publication.objects.filter(status=S.PUBLISHED)
            wait_until(lambda: published.count() == 500, 120, what="500 published")
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            codes = [finish(process) for process in processes]
    assert codes == [0, 0], [output(p) for p in processes]
    counts = markers(sandbox)
    pks = set(Publication.objects.values_list("pk", flat=True))
    assert set(counts) == pks and set(counts.values()) == {1}
    assert len(posts(sandbox)) == 500
    assert not Publication.objects.exclude(status=S.PUBLISHED).exists()
    pids = {str(p.pid) for p in processes}
    workers = {
        worker.split(":")[1]
        for worker in Publication.objects.values_list(
            "attempt_history__worker", flat=True
        )
    }
    assert workers == pids, "both processes took part"
    assert Channel.objects.count() == 50
