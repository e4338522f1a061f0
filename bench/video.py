"""Video uploads through the dispatcher: wall time against the bandwidth-bound ideal,
and the dispatcher's memory while it uploads.

Usage: .venv/bin/python bench/video.py [--count 20] [--size-mb 50] [--mbit 400]
           [--big-mb 500]

A throwaway SQLite database gets one unit, `--count` articles, one Facebook channel
per video (so that no channel waits for another) and `--count` videos of
`--size-mb` MB in the media library (MP4 files, sparse on disk). The sandbox runs in
a subprocess whose uploads all cross one link of `--mbit` megabits per second
(`run_sandbox --bandwidth`; 4 MB a transfer chunk, as Graph's offsets ask). This
process is the dispatcher (`dispatch_due`, PUBLISHING_WORKERS=4 uploads at once):
1. throughput: the `--count` video posts fall due at once; wall time from the first
   attempt to the last post against the ideal, all bytes / bandwidth;
2. memory: one video of `--big-mb` MB; this process's resident memory sampled every
   20 ms while it uploads, its peak above the resident memory before.
Target (issue 20): a video is streamed, never held whole: < 100 MB extra for 500 MB.
"""

import argparse
import datetime
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

from bench import dispatch as bench  # noqa: E402  (its database, articles, control)

MB = 1024 * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--mbit", type=float, default=400.0)
    parser.add_argument("--big-mb", type=int, default=500)
    parser.add_argument("--serve-sandbox", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        return serve_sandbox(args.serve_sandbox)
    workdir = Path(tempfile.mkdtemp(prefix="bench-video-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from publishing.conf import setting

    settings.MEDIA_ROOT = str(workdir / "media")
    call_command("migrate", verbosity=0)
    sandbox = start_sandbox(args.mbit)
    try:
        use_sandbox(settings, sandbox.url)
        articles = bench.make_articles(args.count + 1)
        channels = bench.make_channels(sandbox.url, args.count + 1)
        print(
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
            f"link {args.mbit:g} Mbit/s, PUBLISHING_WORKERS="
            f"{setting('PUBLISHING_WORKERS')}"
        )
        throughput(articles, channels, args)
        memory(articles[-1], channels[-1], args.big_mb, sandbox.url)
    finally:
        sandbox.send_signal(signal.SIGTERM)
        sandbox.wait(10)


def throughput(articles, channels, args):
    from django.db.models import Max, Min

    from publishing.models import Publication, PublishAttempt

    pubs = [
        video_post(articles[n], channels[n], args.size_mb, f"v{n}")
        for n in range(args.count)
    ]
    dispatch_until_done(pubs)
    first = PublishAttempt.objects.filter(publication__in=pubs).aggregate(
        Min("started_at")
    )["started_at__min"]
    last = Publication.objects.filter(pk__in=pubs).aggregate(Max("published_at"))[
        "published_at__max"
    ]
    wall = (last - first).total_seconds()
    ideal = args.count * args.size_mb * MB * 8 / (args.mbit * 1_000_000)
    posted = Publication.objects.filter(pk__in=pubs, status="published").count()
    print(
        f"throughput: {args.count} videos of {args.size_mb} MB in {wall:.1f} s "
        f"(ideal {ideal:.1f} s at {args.mbit:g} Mbit/s: {ideal / wall:.0%} of "
        f"ideal), {posted} published"
    )


def memory(article, channel, size_mb, url):
    pk = video_post(article, channel, size_mb, "big")
    before = rss()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            peak[0] = max(peak[0], rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    dispatch_until_done([pk])
    done.set()
    sampler.join()
    print(
        f"memory: one video of {size_mb} MB uploaded in "
        f"{time.monotonic() - started:.1f} s; dispatcher resident memory "
        f"{before / MB:.0f} MB before, peak {peak[0] / MB:.0f} MB: "
        f"{(peak[0] - before) / MB:.0f} MB extra (target < 100 MB)"
    )


def dispatch_until_done(pks, timeout=3600):
    from publishing.models import Publication
    from publishing.outbox import dispatcher

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dispatcher.dispatch_due()
        left = Publication.objects.filter(pk__in=pks).exclude(status="published")
        if not left.exists():
            return
        problems = list(left.values_list("status", "last_error")[:3])
        if any(status == "failed" for status, _ in problems):
            raise SystemExit(f"failed: {problems}")
        time.sleep(0.2)
    raise SystemExit("timed out")


def video_post(article, channel, size_mb, name):
    """A due video post of `article` on `channel`: a sparse MP4 of `size_mb` MB."""
    from django.conf import settings
    from django.utils import timezone
    from wagtailmedia.models import Media

    from publishing.models import Publication
    from tests.publishing.factories import mp4_bytes

    path = Path(settings.MEDIA_ROOT) / "media" / f"{name}.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        file.write(mp4_bytes(60))
        file.truncate(size_mb * MB)
    media = Media.objects.create(title=name, file=f"media/{name}.mp4", type="video")
    return Publication.objects.create(
        page=article,
        channel=channel,
        kind="video",
        video=media,
        publish_at=timezone.now() - datetime.timedelta(seconds=1),
    ).pk


def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def use_sandbox(settings, url):
    bench.use_sandbox(settings, url)
    networks = settings.PUBLISHING_NETWORKS
    facebook = networks["facebook"]
    options = {**facebook.get("OPTIONS", {}), "video_url": url}
    options["video_poll_interval"] = 0.05  # the sandbox processes in two reads
    settings.PUBLISHING_NETWORKS = {
        **networks,
        "facebook": {**facebook, "OPTIONS": options},
    }


def serve_sandbox(mbit):
    import django

    django.setup()
    from sandbox.server import SandboxServer
    from sandbox.state import SandboxState

    server = SandboxServer(SandboxState(), bandwidth=mbit * 1_000_000 / 8)
    print(server.start_in_thread(0), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: server.stopping.set())
    server.stopping.wait()
    server.stop()


def start_sandbox(mbit):
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-sandbox", str(mbit)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.url = process.stdout.readline().strip()
    return process


if __name__ == "__main__":
    main()
