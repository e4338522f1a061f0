"""The scheduler process: APScheduler jobs defined in code, no job store.

The database holds the state (publications and their leases), so jobs are plain
functions: dispatcher, reconcile + lease recovery, Wagtail's `publish_scheduled`,
channel checks. `max_instances=1, coalesce=True`: a slow run is never doubled.
The dispatcher is not on a timer: it runs on a thread of its own that sleeps until
the next due thing or until a change wakes it (`publishing/outbox/wakeups.py`).

Several processes may share a PostgreSQL database: dispatch shares the work
(claims are leases, taken with skip_locked); every other job is a singleton, run
under a database lock (`publishing.outbox.locks`) and skipped while another holds it.
"""

import datetime
import logging
import signal
import sys
import threading
import traceback

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

from publishing.conf import setting
from publishing.inbox import answers, collect, retention, zalo
from publishing.incidents.notifications import sync_incidents
from publishing.metrics import engagement, rollups
from publishing.models.heartbeat import SchedulerHeartbeat, this_process
from publishing.outbox import dispatcher, locks
from publishing.outbox.wakeups import DispatchLoop

logger = logging.getLogger(__name__)


# Jobs that several processes run at once; every other job is a singleton.
SHARED = {"dispatch_job"}
# Seconds between a process's heartbeats; /healthz wants one younger than 60 s.
HEARTBEAT_SECONDS = 15


def run_job(function):
    """`function` now, under its lock unless it is shared; None when skipped."""
    if function.__name__ in SHARED:
        return function()
    with locks.singleton(function.__name__) as held:
        if not held:
            logger.debug("%s: another process runs it, skipped", function.__name__)
            return None
        return function()


def _job(function):
    def run():
        close_old_connections()
        try:
            return run_job(function)
        except Exception:
            logger.exception("scheduler job %s failed", function.__name__)
        finally:
            close_old_connections()

    run.__name__ = function.__name__
    return run


def dispatch_job():
    summary = dispatcher.dispatch_all()
    if summary.get("claimed") or summary.get("expired"):
        logger.info(
            "dispatch: %s", ", ".join(f"{str(k)} {v}" for k, v in summary.items() if v)
        )
    return summary


def reconcile_job():
    return dispatcher.reconcile_unconfirmed()


def publish_scheduled_job():
    call_command("publish_scheduled")


def check_channels_job():
    call_command("check_channels")


def engagement_job():
    return engagement.sync_due(limit=engagement.RUN_LIMIT).as_dict()


def followers_job():
    return engagement.sync_followers()


def roll_up_job():
    return engagement.roll_up()


def collect_comments_job():
    return collect.collect_comments().__dict__


def zalo_read_back_job():
    return zalo.read_back()


def forget_questions_job():
    return {"forgotten": retention.forget_people()}


def send_answers_job():
    return answers.dispatch_answers()


def rollups_job():
    """The dashboard's daily roll-ups rebuilt from the posts, nightly (at
    NIGHTLY_HOUR local, whatever the restarts): right again whatever a crash
    between a change and its refresh left. A whole rebuild at every start would
    cost minutes at scale; `rollups_catch_up_job` does what a start needs."""
    return {"days": rollups.rebuild()}


def rollups_catch_up_job():
    return rollups.catch_up()


NIGHTLY_HOUR = 3  # local time, for rollups_job
# Zalo's conversations read back for events the webhook missed.
ZALO_READ_BACK_SECONDS = 15 * 60
# Answers to citizens approved or retried go out within this many seconds ("Send"
# by an approver goes at once); lost ones are read back as often.
ANSWERS_SECONDS = 15


def jobs():
    """(function, seconds between runs) for every job, in the order of `--once`."""
    return [
        (reconcile_job, 30),
        (publish_scheduled_job, 60),
        (dispatch_job, setting("PUBLISHING_DISPATCH_INTERVAL")),
        (check_channels_job, 3600),
        (sync_incidents, 60),
        (engagement_job, 60),
        (collect_comments_job, setting("PUBLISHING_QUESTIONS_INTERVAL")),
        (zalo_read_back_job, ZALO_READ_BACK_SECONDS),
        (send_answers_job, ANSWERS_SECONDS),
        (forget_questions_job, 24 * 3600),
        (followers_job, 24 * 3600),
        (roll_up_job, 24 * 3600),
        (rollups_catch_up_job, 24 * 3600),
        (rollups_job, 24 * 3600),
    ]


def heartbeat_job(process, started_at):
    """This process is alive (publishing/health.py reads it). Not in jobs(): every
    process beats for itself, and `--once` is not a running scheduler."""
    close_old_connections()
    try:
        SchedulerHeartbeat.beat(process, started_at)
    except Exception:
        logger.exception("scheduler heartbeat of %s failed", process)
    finally:
        close_old_connections()


def run_once():
    """Each job once, in order (reconcile first: guarantee 1). The connection of
    the calling thread is left alone (a command inside a transaction keeps it)."""
    for function, _seconds in jobs():
        try:
            run_job(function)
        except Exception:
            logger.exception("scheduler job %s failed", function.__name__)


def build_scheduler():
    scheduler = BackgroundScheduler(timezone="UTC")
    for function, seconds in jobs():
        if function is dispatch_job:
            continue  # woken, not timed: DispatchLoop (run_forever)
        # Every job runs at start, except the hourly channel check (first in an
        # hour). Passing next_run_time=None would pause a job: leave it out.
        first = {} if function is check_channels_job else {"next_run_time": _now()}
        trigger = {"trigger": "interval", "seconds": seconds, **first}
        if function is rollups_job:
            trigger = {
                "trigger": "cron",
                "hour": NIGHTLY_HOUR,
                "timezone": settings.TIME_ZONE,
            }
        scheduler.add_job(
            _job(function),
            **trigger,
            id=function.__name__,
            name=function.__name__,
            max_instances=1,
            coalesce=True,
        )
    # A thread of its own: long jobs filling the default pool do not silence it.
    scheduler.add_executor(ThreadPoolExecutor(1), "heartbeat")
    scheduler.add_job(
        heartbeat_job,
        "interval",
        args=[this_process(), _now()],
        seconds=HEARTBEAT_SECONDS,
        id="heartbeat_job",
        name="heartbeat_job",
        executor="heartbeat",
        max_instances=1,
        coalesce=True,
        next_run_time=_now(),
    )
    return scheduler


def _now():
    return datetime.datetime.now(datetime.UTC)


# The signals that stop the process; the main thread takes them with sigwait.
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def run_forever():
    """Runs until SIGTERM or SIGINT, then lets the calls in flight finish.

    No signal handler does the stopping: a handler runs in the main thread in the
    middle of whatever it was doing, and in one CI run that was the thread pool's
    `submit`, which holds the lock `shutdown` takes: the process never stopped.
    The signals are blocked before any thread starts (threads inherit the mask),
    the jobs run on the scheduler's own thread, and the main thread only waits for
    a stop signal and stops everything in plain code. A second signal stays
    pending while it stops. SIGUSR1 is taken the same way by a thread of its own
    (`write_stacks_on_usr1`)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS | {signal.SIGUSR1})
    threading.Thread(target=write_stacks_on_usr1, name="stacks", daemon=True).start()
    scheduler = build_scheduler()
    loop = DispatchLoop(_job(dispatch_job))
    names = ["dispatch_job (woken)", *(j.id for j in scheduler.get_jobs())]
    loop.start()
    scheduler.start()
    logger.info("scheduler started: %s", ", ".join(names))
    signum = signal.sigwait(STOP_SIGNALS)
    logger.info("scheduler: signal %s, finishing the call in flight", signum)
    dispatcher.STOPPING.set()  # no new call starts; claimed ones are given back
    scheduler.shutdown(wait=True)
    loop.join()  # it ends after the run in flight
    try:  # stopped cleanly: /healthz no longer counts this process
        close_old_connections()
        SchedulerHeartbeat.forget(this_process())
    except Exception:
        logger.warning("scheduler: its heartbeat could not be removed; it goes stale")


def write_stacks_on_usr1():
    """`kill -USR1 <pid>`: every thread's stack to stderr, to see where a scheduler
    that does not stop waits (docs/operations.md); the process goes on. Read with
    the interpreter's lock held (`sys._current_frames`): faulthandler's dump of
    running threads crashed the process in one CI run (cpython#116008)."""
    while True:
        signal.sigwait({signal.SIGUSR1})
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        lines = ["Stacks of every thread (SIGUSR1), most recent call last:"]
        for ident, frame in sys._current_frames().items():
            lines.append(f"Thread {names.get(ident, '?')} ({ident:#x}):")
            lines.extend(line.rstrip() for line in traceback.format_stack(frame))
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()
