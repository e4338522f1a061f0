"""How late the first attempt of each publication starts, the scheduler running.

Usage: .venv/bin/python bench/lateness.py [--idle 60] [--window 120] [--seed 19]
       (PGPORT=... picks the port of the throwaway PostgreSQL; see below)

Both databases, one after the other, each in a child process of this script: a
SQLite file, then database `bench_dispatch` in a throwaway PostgreSQL 15 started
with scripts/with-postgres.sh (or, when DATABASE_URL already names a PostgreSQL,
that cluster). Each: one unit, 25 articles, 50 Facebook channels on the sandbox
(its own process, in memory) answering every publish call 200 ms after it
arrived (its `latency` fault, as bench/dispatch.py), and one `manage.py
run_scheduler` with the project's defaults (PUBLISHING_WORKERS among them),
its database queries counted (every Django connection of the process; not the
wake-up's own connection: LISTEN once on PostgreSQL, on SQLite a `PRAGMA
data_version` a second, 60 a minute more).
1. idle: nothing due; the scheduler's queries over `--idle` seconds, per minute
   (after its start-up runs, 10 s);
2. 200 publications on the 50 channels (4 each), due uniformly over `--window`
   seconds: three quarters created before the window opens; the other quarter
   created while it runs, half of those due later (each created at a random
   moment before its time) and half "post now" (due the moment they are made).
Lateness = first attempt's start - publish_at, for each channel's first due post
and for all posts: p50 / p99 / max. Target (issue 19): first posts p99 < 1 s on
both databases; idle queries on PostgreSQL no more than before. The last line is
`first posts p99 <s> s; all posts p99 <s> s`, the worse database's.
"""

import argparse
import datetime
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.chaos_settings"

from bench import dispatch as bench  # noqa: E402  (its set-up: sandbox, articles)

CHANNELS = 50
PUBLICATIONS = 200
LATENCY = 0.2  # seconds, each publish call
SETTLE = 10  # seconds after the scheduler's start before idle counting


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=60)
    parser.add_argument("--window", type=float, default=120)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--child", metavar="RESULT_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--serve-sandbox", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-scheduler", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        return bench.serve_sandbox()
    if args.serve_scheduler:
        return serve_scheduler(args.serve_scheduler)
    if args.child:
        return child(args)
    results = [run_child(database, args) for database in ("sqlite", "postgresql")]
    first = max(r["first"]["p99"] for r in results)
    every = max(r["all"]["p99"] for r in results)
    print(f"first posts p99 {first:.2f} s; all posts p99 {every:.2f} s")


def run_child(database, args):
    """This script once more, on `database`; its figures (printed, and returned)."""
    result = Path(tempfile.mkstemp(prefix="bench-lateness-", suffix=".json")[1])
    command = [sys.executable, __file__, "--child", str(result)]
    command += ["--idle", str(args.idle), "--window", str(args.window)]
    command += ["--seed", str(args.seed)]
    env = dict(os.environ)
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    elif not env.get("DATABASE_URL", "").startswith("postgres"):
        command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    figures = json.loads(result.read_text())
    result.unlink()
    return figures


# One database ---------------------------------------------------------------------
def child(args):
    workdir = Path(tempfile.mkdtemp(prefix="bench-lateness-"))
    os.environ["DATABASE_URL"] = bench.bench_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    import logging

    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    from publishing.conf import setting

    call_command("migrate", verbosity=0)
    sandbox = start_sandbox()
    try:
        articles = bench.make_articles()
        channels = bench.make_channels(sandbox.url, CHANNELS)
        bench.control(sandbox.url, "faults", bench.feed_delay(LATENCY))
        counts = workdir / "queries"
        scheduler = start_scheduler(sandbox.url, workdir, counts)
        try:
            print(
                f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
                f"{connection.vendor}: {CHANNELS} channels, {PUBLICATIONS} "
                f"publications due over {args.window:.0f} s, latency "
                f"{LATENCY * 1000:.0f} ms, PUBLISHING_WORKERS="
                f"{setting('PUBLISHING_WORKERS')}",
                flush=True,
            )
            idle = idle_queries(counts, args.idle)
            late = run_window(channels, articles, args)
        finally:
            stop(scheduler)
    finally:
        sandbox.terminate()
        sandbox.wait(10)
        connection.close()
        bench.drop_bench_database()
    figures = {"database": connection.vendor, "idle": idle, **late}
    print(
        f"{connection.vendor}: idle {idle:.0f} queries/min; first posts "
        f"{line(late['first'])}; all posts {line(late['all'])}",
        flush=True,
    )
    Path(args.child).write_text(json.dumps(figures))


def line(figures):
    return (
        f"p50 {figures['p50']:.2f} s, p99 {figures['p99']:.2f} s, "
        f"max {figures['max']:.2f} s (n={figures['n']})"
    )


def idle_queries(counts, seconds):
    """The scheduler's queries per minute while nothing is due."""
    time.sleep(SETTLE)
    before = read_count(counts)
    time.sleep(seconds)
    return (read_count(counts) - before) * 60 / seconds


def run_window(channels, articles, args):
    """200 publications due over the window, a quarter made while it runs."""
    from django.utils import timezone

    from publishing.models import Publication

    rng = random.Random(args.seed)
    start = timezone.now() + datetime.timedelta(seconds=5)
    rows = []
    for n in range(PUBLICATIONS):
        due = start + datetime.timedelta(seconds=rng.uniform(0, args.window))
        row = Publication(
            page=articles[(n // CHANNELS) % len(articles)],
            channel=channels[n % CHANNELS],
            round=1,
            publish_at=due,
        )
        rows.append(row)
    during = set(rng.sample(range(PUBLICATIONS), PUBLICATIONS // 4))
    now_ones = set(rng.sample(sorted(during), len(during) // 2))
    Publication.objects.bulk_create([r for n, r in enumerate(rows) if n not in during])
    plan = []  # (when to make it, the row, post now?)
    for n in sorted(during):
        row = rows[n]
        offset = rng.uniform(0, (row.publish_at - start).total_seconds())
        if n in now_ones:
            offset = rng.uniform(0, args.window)
        plan.append((start + datetime.timedelta(seconds=offset), row, n in now_ones))
    for when, row, post_now in sorted(plan, key=lambda item: item[0]):
        pause = (when - timezone.now()).total_seconds()
        if pause > 0:
            time.sleep(pause)
        if post_now:
            row.publish_at = timezone.now()
        row.save()
    bench.wait_published([r.pk for r in rows], timeout=args.window + 120)
    return lateness([r.pk for r in rows])


def lateness(pks):
    """{"first": figures, "all": figures} of first attempt - publish_at."""
    from django.db.models import Min

    from publishing.models import Publication

    late, first = {}, {}
    rows = Publication.objects.filter(pk__in=pks).annotate(
        attempted=Min("attempt_history__started_at")
    )
    for p in rows:
        late[p.pk] = (p.attempted - p.publish_at).total_seconds()
        earliest = first.get(p.channel_id)
        if earliest is None or (p.publish_at, p.pk) < earliest[0]:
            first[p.channel_id] = ((p.publish_at, p.pk), p.pk)
    firsts = [late[pk] for _key, pk in first.values()]
    return {"first": summary(firsts), "all": summary(list(late.values()))}


def summary(values):
    values = sorted(values)
    return {
        "n": len(values),
        "p50": bench.percentile(values, 0.5),
        "p99": bench.percentile(values, 0.99),
        "max": values[-1],
    }


# Processes ------------------------------------------------------------------------
def start_sandbox():
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-sandbox"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.url = process.stdout.readline().strip()
    return process


def start_scheduler(url, workdir, counts):
    log_path = workdir / "scheduler.log"
    log = open(log_path, "wb")  # noqa: SIM115  (the child writes to it)
    env = {
        **os.environ,
        "FACEBOOK_GRAPH_URL": url,
        "ZALO_OPENAPI_URL": url,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-scheduler", str(counts)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "scheduler started" not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(log_path.read_text(errors="replace"))
        time.sleep(0.1)
    return process


def serve_scheduler(counts):
    """`manage.py run_scheduler` in this process, every query of its Django
    connections counted; the count written to `counts` twice a second."""
    import django

    django.setup()
    from django.core.management import execute_from_command_line
    from django.db.backends.signals import connection_created

    total, lock = [0], threading.Lock()

    def count(execute, sql, params, many, context):
        with lock:
            total[0] += 1
        return execute(sql, params, many, context)

    def counted(sender, connection, **kwargs):
        if count not in connection.execute_wrappers:
            connection.execute_wrappers.append(count)

    connection_created.connect(counted)

    def write():
        while True:
            Path(counts).write_text(str(total[0]))
            time.sleep(0.5)

    threading.Thread(target=write, daemon=True).start()
    execute_from_command_line(["manage.py", "run_scheduler"])


def stop(scheduler):
    scheduler.send_signal(signal.SIGTERM)
    try:
        scheduler.wait(60)
    except subprocess.TimeoutExpired:
        scheduler.kill()
        scheduler.wait(10)


def read_count(counts):
    return int(Path(counts).read_text() or 0)


if __name__ == "__main__":
    main()
