"""Server time of the public pages, with the demo data.

Usage: .venv/bin/python bench/page_render.py [--requests N]

Builds a throwaway SQLite database with `seed_demo`, then measures, warm:
1. through Django's test client (no network): median and p95, SQL queries per page;
2. through gunicorn (2 workers) on 127.0.0.1, one new connection per request;
3. the weight of an article page without images (HTML + CSS + JS).
Targets (issue 2): article median < 30 ms with <= 15 queries, home < 50 ms,
HTML+CSS+JS < 60 KB. Prints a Markdown table to paste into bench/README.md.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))


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


def time_gunicorn(paths, count):
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cms.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    try:
        _wait_for(port)
        results = {}
        for name, path in paths.items():
            for _ in range(10):
                _get(port, path)
            samples = []
            for _ in range(count):
                start = time.perf_counter()
                status, _body = _get(port, path)
                samples.append(time.perf_counter() - start)
                assert status == 200, status
            results[name] = summary(samples)
        return results
    finally:
        server.terminate()
        server.wait(10)


def _get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Connection": "close"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _get(port, "/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        setup_django(Path(tmp))
        from cms.content.models import ArticlePage, HomePage

        article = ArticlePage.objects.live().order_by("pk").first()
        paths = {"article": article.url, "home": HomePage.objects.first().url}
        client = time_client(paths, args.requests)
        served = time_gunicorn(paths, args.requests)
        html, total = page_weight(paths["article"])
    print(f"requests per page: {args.requests}; python {sys.version.split()[0]}")
    print(
        "| page | client median | client p95 | queries | gunicorn median |"
        " gunicorn p95 |"
    )
    print("|---|---|---|---|---|---|")
    for name in paths:
        c_med, c_p95, queries = client[name]
        g_med, g_p95 = served[name]
        print(
            f"| {name} | {c_med:.1f} ms | {c_p95:.1f} ms | {queries} |"
            f" {g_med:.1f} ms | {g_p95:.1f} ms |"
        )
    print(
        f"article weight without images: HTML {html / 1024:.1f} KB,"
        f" HTML+CSS+JS {total / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
