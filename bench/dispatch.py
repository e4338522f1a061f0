"""The dispatcher's throughput and lateness: the real scheduler process against the
sandbox answering every publish after a fixed latency.

Usage: .venv/bin/python bench/dispatch.py [--count 5000] [--channels 200]
           [--latency 0.05] [--steady 120] [--spacing 1.0]
       scripts/with-postgres.sh .venv/bin/python bench/dispatch.py   (PostgreSQL)

A throwaway database (a SQLite file, or database `bench_dispatch` in the cluster of
DATABASE_URL when it is PostgreSQL) is migrated and given one unit, 25 articles and
`--channels` Facebook channels on a sandbox (a subprocess, in memory) whose feed
endpoint answers every call `--latency` seconds after it arrived (the sandbox's
`latency` fault, queued for every call: its own processing is inside the latency,
as with a real network; `--fault delay` sleeps first and adds it). Then
`manage.py run_scheduler` runs, with the project's defaults (PUBLISHING_WORKERS=4,
dispatch every 5 s) unless the environment says otherwise, and:
1. throughput: `--count` publications over the channels fall due at once; wall time
   from the first attempt to the last post, against the ideal N x latency / workers,
   and the scheduler process's CPU time per publication;
2. lateness: `--steady` publications due `--spacing` seconds apart (60 a minute),
   published_at - publish_at, p50 / p99 / max.
Targets (issue 4): >= 80 % of ideal throughput; p99 lateness <= interval + 1 s.
"""

import argparse
import datetime
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
BENCH_DB = "bench_dispatch"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--steady", type=int, default=120)
    parser.add_argument("--spacing", type=float, default=1.0)
    parser.add_argument("--fault", choices=("latency", "delay"), default="latency")
    parser.add_argument("--serve-sandbox", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        return serve_sandbox()
    workdir = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    os.environ["DATABASE_URL"] = bench_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    sandbox = start_sandbox()
    try:
        url = sandbox.url
        articles = make_articles()
        channels = make_channels(url, args.channels)
        control(url, "faults", feed_delay(args.latency, args.fault))
        env = {
            **os.environ,
            "FACEBOOK_GRAPH_URL": url,
            "ZALO_OPENAPI_URL": url,
            "PYTHONUNBUFFERED": "1",
        }
        scheduler = start_scheduler(env, workdir / "scheduler.log")
        try:
            workers = settings.PUBLISHING_WORKERS
            interval = settings.PUBLISHING_DISPATCH_INTERVAL
            print(
                f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
                f"{connection.vendor}, {args.channels} channels, latency "
                f"{args.latency * 1000:.0f} ms ({args.fault}), "
                f"PUBLISHING_WORKERS={workers}, "
                f"dispatch every {interval} s, "
                f"claim limit {getattr(settings, 'PUBLISHING_CLAIM_LIMIT', 100)}"
            )
            throughput(scheduler, url, channels, articles, args, workers)
            lateness(channels, articles, args, interval)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(60)
    finally:
        sandbox.terminate()
        sandbox.wait(10)
        connection.close()
        drop_bench_database()


def throughput(scheduler, url, channels, articles, args, workers):
    from django.db.models import Max, Min
    from django.utils import timezone

    from publishing.models import Publication, PublishAttempt

    pubs = make_publications(channels, articles, args.count, round_base=1)
    cpu_before = cpu_seconds(scheduler.pid)
    due_at = timezone.now()
    Publication.objects.filter(pk__in=pubs).update(publish_at=due_at)
    wait_published(pubs, timeout=args.count * args.latency * 4 + 120)
    cpu = cpu_seconds(scheduler.pid) - cpu_before
    first = PublishAttempt.objects.filter(publication__in=pubs).aggregate(
        Min("started_at")
    )["started_at__min"]
    last = Publication.objects.filter(pk__in=pubs).aggregate(Max("published_at"))[
        "published_at__max"
    ]
    wall = (last - first).total_seconds()
    ideal = args.count * args.latency / workers
    posted = count_posts(url)
    per_post = cpu / args.count
    print(
        f"throughput: {args.count} publications in {wall:.1f} s "
        f"(ideal {ideal:.1f} s: {ideal / wall:.0%} of ideal; "
        f"{(last - due_at).total_seconds():.1f} s from falling due), "
        f"{args.count / wall:.1f}/s, {posted} posts in the sandbox; "
        f"scheduler CPU {per_post * 1000:.1f} ms per publication, "
        f"{cpu / wall:.0%} of one core (a whole core would allow "
        f"{1 / per_post:.0f}/s), load average now {os.getloadavg()[0]:.1f}"
    )


def lateness(channels, articles, args, interval):
    from django.utils import timezone

    from publishing.models import Publication

    start = timezone.now() + datetime.timedelta(seconds=3)
    pubs = make_publications(channels, articles, args.steady, round_base=1000)
    for index, pk in enumerate(pubs):
        at = start + datetime.timedelta(seconds=index * args.spacing)
        Publication.objects.filter(pk=pk).update(publish_at=at)
    wait_published(pubs, timeout=args.steady * args.spacing + 60)
    late = sorted(
        (p.published_at - p.publish_at).total_seconds()
        for p in Publication.objects.filter(pk__in=pubs)
    )
    p50, p99 = percentile(late, 0.5), percentile(late, 0.99)
    print(
        f"lateness: {args.steady} publications {args.spacing:g} s apart "
        f"({60 / args.spacing:.0f}/min over {args.steady * args.spacing:.0f} s): "
        f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {late[-1]:.2f} s "
        f"(target p99 <= {interval + 1} s)"
    )


# Set-up -------------------------------------------------------------------------
def bench_database(workdir):
    """The DATABASE_URL of a fresh throwaway database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["BENCH_ADMIN_URL"] = url
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def drop_bench_database():
    admin_url = os.environ.get("BENCH_ADMIN_URL")
    if admin_url:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def serve_sandbox():
    """The sandbox in this (child) process, in memory: prints its URL, serves until
    SIGTERM."""
    import django

    django.setup()
    from sandbox.server import SandboxServer
    from sandbox.state import SandboxState

    server = SandboxServer(SandboxState())
    print(server.start_in_thread(0), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: server.stopping.set())
    server.stopping.wait()
    server.stop()


def use_sandbox(settings, url):
    """Point this process's network options at the sandbox at `url`."""
    options = {
        "facebook": {"graph_url": url, "dialog_url": url},
        "zalo": {"openapi_url": url, "oauth_url": url},
    }
    settings.PUBLISHING_NETWORKS = {
        name: {**config, "OPTIONS": {**config.get("OPTIONS", {}), **options[name]}}
        for name, config in settings.PUBLISHING_NETWORKS.items()
    }


def start_sandbox():
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-sandbox"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.url = process.stdout.readline().strip()
    return process


def control(url, path, body):
    import requests

    response = requests.post(f"{url}_sandbox/{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def feed_delay(seconds, mode="latency"):
    """The `latency` (or `delay`) fault, queued for every publish call of the run."""
    return {
        "network": "facebook",
        "endpoint": "feed",
        "mode": mode,
        "seconds": seconds,
        "times": 10**9,
    }


def make_channels(url, count):
    from cms.core.models import Unit
    from publishing.models import Channel

    unit = Unit.objects.get(slug="bench")
    channels = []
    for n in range(count):
        page = control(url, "facebook/pages", {"name": f"Trang {n}"})
        channel = Channel(
            unit=unit, network="facebook", name=f"Trang {n}", external_id=page["id"]
        )
        channel.set_credentials({"page_token": page["page_token"]})
        channel.save()
        channels.append(channel)
    return channels


def make_articles(count=25):
    from wagtail.models import Site

    from cms.content.models import (
        ArticleIndexPage,
        ArticlePage,
        HomePage,
        UnitSectionPage,
    )
    from cms.content.sections import ensure_tree_roots
    from cms.core.models import Unit

    home = HomePage(title="Trang chủ", slug="trang-chu", hero_title="BHXH")
    ensure_tree_roots().add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    home.add_child(instance=ArticleIndexPage(title="Tin tức", slug="tin-tuc"))
    unit = Unit.objects.create(name="BHXH đo", slug="bench")  # its section follows
    section = UnitSectionPage.objects.get(unit=unit)
    cover = cover_image()
    articles = []
    for n in range(count):
        page = ArticlePage(
            title=f"Bài đo số {n}",
            intro="Từ 01/7/2025 chủ hộ kinh doanh tham gia BHXH bắt buộc.",
            body=[{"type": "paragraph", "value": "<p>Bảo hiểm xã hội bắt buộc.</p>"}],
            cover_image=cover,
        )
        section.add_child(instance=page)
        page.save_revision().publish()
        articles.append(page)
    return articles


def cover_image():
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 630), "#0b5394").save(buffer, "PNG")
    image = get_image_model()(title="Ảnh bìa")
    image.file = ImageFile(buffer, name="cover.png")
    image.save()
    return image


def make_publications(channels, articles, count, round_base):
    """`count` publications spread over the channels, due in a day (moved later)."""
    from django.utils import timezone

    from publishing.models import Publication

    later = timezone.now() + datetime.timedelta(days=1)
    rows = [
        Publication(
            page=articles[(n // len(channels)) % len(articles)],
            channel=channels[n % len(channels)],
            round=round_base + n // (len(channels) * len(articles)),
            publish_at=later,
        )
        for n in range(count)
    ]
    return [p.pk for p in Publication.objects.bulk_create(rows)]


def start_scheduler(env, log_path):
    log = open(log_path, "wb")  # noqa: SIM115  (the child writes to it)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "scheduler started" not in Path(log_path).read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(Path(log_path).read_text(errors="replace"))
        time.sleep(0.1)
    return process


# Measuring --------------------------------------------------------------------
def wait_published(pks, timeout):
    from publishing.models import Publication, PublicationStatus

    deadline = time.monotonic() + timeout
    pending = Publication.objects.filter(pk__in=pks).exclude(
        status=PublicationStatus.PUBLISHED
    )
    while pending.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {pending.count()} not published")
        time.sleep(0.5)


def cpu_seconds(pid):
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_posts(url):
    import requests

    state = requests.get(f"{url}_sandbox/state", timeout=60).json()
    return sum(1 for post in state["posts"].values() if not post.get("deleted"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


if __name__ == "__main__":
    main()
