"""Short links: what `/l/<code>` adds to a redirect, and no lost count under load.

Usage: .venv/bin/python bench/clicks.py [--requests 10000] [--clients 8]
           [--per-client 500]
       scripts/with-postgres.sh .venv/bin/python bench/clicks.py   (PostgreSQL)

A throwaway database (a SQLite file, or database `bench_clicks` in the cluster of
DATABASE_URL) is migrated and given one article and one publication. Requests go
through the project's whole middleware stack in this process (Django's WSGI
handler, as gunicorn calls it: no network), plus one middleware of this script
placed right after the short links' that answers `/plain/` with a bare 302: the
same stack, the same position, without the look-up and the count.
1. added time: `--requests` short-link redirects and as many plain redirects,
   alternated. Each is timed from the call to the response's last byte (what the
   visitor waits for); the response's close(), where the server's work ends and
   the count is written, is timed apart (the worker's time after sending). Every
   request has a user agent of its own, so the robot check never answers from its
   cache (the worst case). Median and p99 of each, and the difference (target:
   p99 < 2 ms added). The counter must equal the number of short-link requests.
2. no lost count: `--clients` threads, each with its own client and database
   connection, click the same short link `--per-client` times at once; the counter
   must equal the clicks.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

from bench import dispatch as bench  # noqa: E402  (its throwaway database, articles)

bench.BENCH_DB = "bench_clicks"
AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/131.0.{n}.0 Mobile Safari/537.36 Zalo android/{n} ZaloLanguage/vi"
)


class PlainRedirect:
    """`/plain/`: a bare 302, the baseline the short link is compared with."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseRedirect

        if request.path_info.startswith("/plain/"):
            return HttpResponseRedirect("http://localhost/tin-tuc/bai/?utm_content=x")
        return self.get_response(request)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=500)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-clicks-"))
    os.environ["DATABASE_URL"] = bench.bench_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    try:
        position = settings.MIDDLEWARE.index(
            "publishing.shortlinks.ShortLinkMiddleware"
        )
        settings.MIDDLEWARE.insert(position + 1, "bench.clicks.PlainRedirect")
        publication = make_publication()
        print(
            f"database: {connection.vendor}; stack: {len(settings.MIDDLEWARE)} layers"
        )
        added(publication, args.requests)
        concurrent(publication, args.clients, args.per_client)
    finally:
        connection.close()
        bench.drop_bench_database()


def make_publication():
    from django.utils import timezone

    from publishing.models import Channel, Publication

    [article] = bench.make_articles(1)
    channel = Channel(
        unit=article.owner_unit, network="facebook", name="Trang đo", external_id="1"
    )
    channel.set_credentials({"page_token": "t"})
    channel.save()
    return Publication.objects.create(
        page=article, channel=channel, publish_at=timezone.now()
    )


def timed(handler, path, n, closing=None):
    """Milliseconds to the response's last byte; the close() after it is added to
    `closing` when given."""
    statuses = []
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": AGENT.format(n=n),
    }
    setup_testing_defaults(environ)
    start = time.perf_counter()
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    sent = time.perf_counter()
    response.close()
    if closing is not None:
        closing.append((time.perf_counter() - sent) * 1000)
    assert statuses == ["302 Found"], statuses
    return (sent - start) * 1000


def added(publication, count):
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    short, plain = f"/l/{publication.link_code}", "/plain/x"
    for n in range(50):  # warm-up: imports, the cache, the first connection
        timed(handler, plain, n)
        timed(handler, short, n)
    before = visits(publication)
    ours, base, closing = [], [], []
    for n in range(count):
        base.append(timed(handler, plain, 10**6 + n))
        ours.append(timed(handler, short, 10**6 + n, closing))
    counted = visits(publication) - before
    med = statistics.median(ours) - statistics.median(base)
    p99 = percentile(ours, 99) - percentile(base, 99)
    print(
        f"{count} redirects: short link median {statistics.median(ours):.2f} ms, "
        f"p99 {percentile(ours, 99):.2f} ms; plain median "
        f"{statistics.median(base):.2f} ms, p99 {percentile(base, 99):.2f} ms"
    )
    print(f"  added: median {med:.2f} ms, p99 {p99:.2f} ms (target p99 < 2 ms)")
    print(
        f"  after sending (close(): the count written): median "
        f"{statistics.median(closing):.2f} ms, p99 {percentile(closing, 99):.2f} ms"
    )
    print(f"  counted {counted} of {count}: {'exact' if counted == count else 'LOST'}")


def concurrent(publication, clients, per_client):
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    before, errors = visits(publication), []
    handler = WSGIHandler()

    def person(k):
        try:
            for n in range(per_client):
                timed(handler, f"/l/{publication.link_code}", k * per_client + n)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=person, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    counted = visits(publication) - before
    total = clients * per_client
    print(
        f"{clients} clients x {per_client} clicks at once: counted {counted} of "
        f"{total} ({'exact' if counted == total else 'LOST'}), {wall:.1f} s, "
        f"errors: {errors[:3] or 'none'}"
    )


def visits(publication):
    from django.db.models import Sum

    from publishing.models import VisitDay

    total = VisitDay.objects.filter(publication=publication).aggregate(Sum("visits"))
    return total["visits__sum"] or 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
