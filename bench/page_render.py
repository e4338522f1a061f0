"""Server time of the public pages, with the demo data, from the page cache and not.

Usage: .venv/bin/python bench/page_render.py [--requests N] [--seconds S]
       [--page-cache-url file:///tmp/pages]

Builds a throwaway SQLite database with `seed_demo`, then measures, warm:
1. through Django's test client (no network): median and p95, SQL queries per page
   (rendered: the test settings store no page);
2. through gunicorn (2 workers, the production settings: DEBUG off, WhiteNoise,
   the page cache in the database as deployed) on 127.0.0.1, one new connection per
   request, asking for brotli or gzip as a browser does: each public page's median
   and p95 with the page cache off (`PAGE_CACHE_SECONDS=0`, every page rendered)
   and on (served from it), next to the site's stylesheet from the same server;
3. the article's throughput at 4 connections at once (requests a second, each on
   a new connection), cached and not;
4. the weight of an article page without images (HTML + CSS + JS).
Targets (issue 2): article median < 30 ms with <= 15 queries, home < 50 ms,
HTML+CSS+JS < 60 KB. Issue 19: a cached article <= 3x the static file, an uncached
one no slower than before, the cached article's throughput >= 5x before.
Prints Markdown tables to paste into bench/README.md; the last line reads
`cached article <ratio>x static, uncached <ratio>x static`.
"""

import argparse
import gzip
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# What a browser sends: the server may answer brotli or gzip.
ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}
CONNECTIONS = 4


def setup_django(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def production_env(workdir, **extra):
    """The production settings on the bench's database, plain HTTP on loopback."""
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        BASE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(workdir / "static"),
        VAR_DIR=str(workdir),
    )
    env.update(extra)
    return env


def deploy(env):
    """collectstatic and createcachetable, as docs/operations.md runs them."""
    for command in (["collectstatic", "--noinput"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(samples):
    ms = [s * 1000 for s in samples]
    return statistics.median(ms), percentile(ms, 0.95)


def count_queries(client, path):
    """SQL statements of one request (CaptureQueriesContext would see none:
    request_started empties connection.queries_log)."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path)
    return len(statements)


def time_client(paths, count):
    from django.test import Client

    client = Client()
    results = {}
    for name, path in paths.items():
        for _ in range(5):
            assert client.get(path).status_code == 200
        queries = count_queries(client, path)
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - start)
        results[name] = (*summary(samples), queries)
    return results


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "cms.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer")

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Connection": "close", **ACCEPT})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, response.headers

    def time(self, path, count):
        for _ in range(10):
            self.get(path)
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            status, _body, _headers = self.get(path)
            samples.append(time.perf_counter() - start)
            assert status == 200, (path, status)
        return summary(samples)

    def throughput(self, path, seconds):
        """Requests a second at CONNECTIONS clients at once, each request on a new
        connection (gunicorn's sync workers close it after each)."""
        done = [0] * CONNECTIONS
        deadline = time.monotonic() + seconds

        def client(i):
            while time.monotonic() < deadline:
                assert self.get(path)[0] == 200
                done[i] += 1

        start = time.monotonic()
        threads = [
            threading.Thread(target=client, args=(i,)) for i in range(CONNECTIONS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(done) / (time.monotonic() - start)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def time_gunicorn(env, paths, count, seconds):
    """{page: (median, p95)} and the article's requests a second."""
    server = Gunicorn(env)
    try:
        results = {name: server.time(path, count) for name, path in paths.items()}
        return results, server.throughput(paths["article"], seconds)
    finally:
        server.stop()


def stylesheet(answer):
    """The stylesheet a page links (the page decoded as a browser would)."""
    _status, body, headers = answer
    decode = {"br": brotli.decompress, "gzip": gzip.decompress}
    html = decode.get(headers["Content-Encoding"], bytes)(body)
    return re.search(rb'href="(/static/[^"]+\.css)"', html)[1].decode()


def page_weight(path):
    """Bytes of the HTML and of every stylesheet and script it links (no images)."""
    from django.contrib.staticfiles import finders
    from django.test import Client

    html = Client().get(path).content
    total = len(html)
    for ref in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        found = finders.find(ref.decode()[len("/static/") :])
        total += Path(found).stat().st_size
    return len(html), total


def public_paths():
    from cms.content.models import ArticleIndexPage, ArticlePage, UnitSectionPage

    article = ArticlePage.objects.live().order_by("pk").first()
    return {
        "article": article.url,
        "home": "/",
        "index": ArticleIndexPage.objects.live().first().url,
        "section": UnitSectionPage.objects.live().order_by("pk").first().url,
        "search": "/tim-kiem/",
        "sitemap": "/sitemap.xml",
    }


def measure(workdir, paths, args):
    extra = {"PAGE_CACHE_URL": args.page_cache_url} if args.page_cache_url else {}
    env = production_env(workdir, **extra)
    deploy(env)
    runs = {}
    for mode, seconds in (("uncached", "0"), ("cached", None)):
        mode_env = dict(env)
        if seconds is not None:
            mode_env["PAGE_CACHE_SECONDS"] = seconds
        server = Gunicorn(mode_env)
        try:
            css = stylesheet(server.get(paths["article"]))
        finally:
            server.stop()
        runs[mode] = time_gunicorn(
            mode_env, {**paths, "static": css}, args.requests, args.seconds
        )
    return runs


def report(args, client, runs, weight):
    print(f"requests per page: {args.requests}; python {sys.version.split()[0]}")
    print("| page | client median | client p95 | queries |")
    print("|---|---|---|---|")
    for name, (c_med, c_p95, queries) in client.items():
        print(f"| {name} | {c_med:.1f} ms | {c_p95:.1f} ms | {queries} |")
    print()
    print(
        "| gunicorn, new connection | uncached median | uncached p95 |"
        " cached median | cached p95 |"
    )
    print("|---|---|---|---|---|")
    for name in runs["cached"][0]:
        u_med, u_p95 = runs["uncached"][0][name]
        c_med, c_p95 = runs["cached"][0][name]
        print(
            f"| {name} | {u_med:.2f} ms | {u_p95:.2f} ms |"
            f" {c_med:.2f} ms | {c_p95:.2f} ms |"
        )
    print(
        f"article throughput at {CONNECTIONS} connections:"
        f" uncached {runs['uncached'][1]:.0f} req/s,"
        f" cached {runs['cached'][1]:.0f} req/s"
    )
    html, total = weight
    print(
        f"article weight without images: HTML {html / 1024:.1f} KB,"
        f" HTML+CSS+JS {total / 1024:.1f} KB"
    )
    ratios = {
        mode: runs[mode][0]["article"][0] / runs[mode][0]["static"][0] for mode in runs
    }
    print(
        f"cached article {ratios['cached']:.2f}x static,"
        f" uncached {ratios['uncached']:.2f}x static"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--page-cache-url",
        help="PAGE_CACHE_URL for gunicorn (default: the database's table)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        paths = public_paths()
        client = time_client(paths, args.requests)
        weight = page_weight(paths["article"])
        runs = measure(workdir, paths, args)
    report(args, client, runs, weight)


if __name__ == "__main__":
    main()
