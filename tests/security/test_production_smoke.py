"""The site deployed as docs/operations.md says, on a fresh SQLite database: the
production settings, `collectstatic`, gunicorn started with the documented flags and
one `run_scheduler` beside it, reached as nginx would forward (issue 15).

Every HTML page answered 500 once because `collectstatic` stopped on a missing
source map and never wrote its manifest; nothing ran the production settings
end to end. Here the pages answer, link hashed static files that gunicorn serves
itself (WhiteNoise: brotli or gzip as the client accepts, cached for good), and both
processes stop cleanly on SIGTERM.
"""

import contextlib
import gzip
import http.client
import json
import re
import shlex
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

import brotli
import pytest

from tests.security.helpers import production_env

pytestmark = [pytest.mark.once, pytest.mark.external_clock]

ROOT = Path(__file__).resolve().parents[2]
HOST = "bhxh.example.vn"  # production_env's ALLOWED_HOSTS and BASE_URL
# A name collectstatic gave a hash: "site.1513a86e956a.css".
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
STATIC_LINK = re.compile(r"""(?:href|src)=["'](/static/[^"'?#]+)""")


def deploy_env(tmp_path):
    """/etc/bhxh/env for this test: its own database, static, media and state. The
    network addresses point at a closed port: a smoke test never calls Facebook."""
    closed = "http://127.0.0.1:9/"
    return production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        VAR_DIR=str(tmp_path / "var"),
        FACEBOOK_GRAPH_URL=closed,
        ZALO_OPENAPI_URL=closed,
        ZALO_OAUTH_URL=closed,
        PYTHONUNBUFFERED="1",
    )


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stderr[-3000:]}"


def documented_gunicorn_flags():
    """The flags of the web unit's ExecStart in docs/operations.md, so the
    documented command is the one tested (address and worker count aside)."""
    text = (ROOT / "docs" / "operations.md").read_text().replace("\\\n", " ")
    line = re.search(r"^ExecStart=\S*/gunicorn cms\.wsgi:application (.*)$", text, re.M)
    flags = shlex.split(line.group(1))
    for name in ("--bind", "--workers"):
        del flags[flags.index(name) : flags.index(name) + 2]
    return flags


class Deployment:
    """gunicorn and one scheduler on the prepared database, as systemd runs them."""

    def __init__(self, env, root):
        self.root = root
        self.scheduler = self.start(env, "scheduler", "manage.py", "run_scheduler")
        # Port 0: the kernel picks a free port, gunicorn logs which. Two workers are
        # enough here; no control socket, whose default path every gunicorn of this
        # user on the machine shares.
        ours = ["--bind", "127.0.0.1:0", "--workers", "2", "--no-control-socket"]
        flags = documented_gunicorn_flags() + ours
        self.web = self.start(
            env, "web", "-m", "gunicorn", "cms.wsgi:application", *flags
        )
        self.port = self.wait_for(self.listening_port, "gunicorn to listen")

    def start(self, env, name, *args):
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        process.log = log
        return process

    def output(self):
        return "\n".join(
            (self.root / f"{name}.log").read_text(errors="replace")[-3000:]
            for name in ("web", "scheduler")
        )

    def listening_port(self):
        log = (self.root / "web.log").read_text(errors="replace")
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log)
        return int(found.group(1)) if found else None

    def wait_for(self, condition, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web.poll() is not None or self.scheduler.poll() is not None:
                raise AssertionError(f"a process exited:\n{self.output()}")
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}\n{self.output()}")

    def get(self, path, forwarded="https", **headers):
        """(status, headers, raw body): nothing decoded, as the client receives it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": HOST, **headers}
        if forwarded:
            sent["X-Forwarded-Proto"] = forwarded
        try:
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self):
        """SIGTERM, as systemd stops them; their exit codes."""
        codes = {}
        for name, process in (("web", self.web), ("scheduler", self.scheduler)):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                codes[name] = process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = process.wait()
            process.log.close()
        return codes


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Installed in the order of docs/operations.md section 3; the demo stands in
    for real content (collectstatic runs beside migrate to save time)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = deploy_env(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        static = pool.submit(manage, env, "collectstatic", "--noinput")
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "seed_demo")
        static.result()
    deployment = Deployment(env, tmp_path)
    try:
        deployment.wait_for(
            lambda: deployment.get("/healthz")[0] == 200, "a scheduler's heartbeat"
        )
        yield deployment
    finally:
        deployment.stop()


def page(site, path):
    status, headers, body = site.get(path)
    assert status == 200, (path, status, body[:500])
    return body.decode()


def an_article_path(site):
    """The first article in the sitemap (a unit section's child page)."""
    tree = ElementTree.fromstring(site.get("/sitemap.xml")[2])
    locs = [loc.text for loc in tree.findall(".//{*}loc")]
    articles = [
        loc for loc in locs if re.fullmatch(rf"https://{HOST}/[^/]+/[^/]+/[^/]+/", loc)
    ]
    assert articles, locs
    return articles[0].removeprefix(f"https://{HOST}")


def test_the_public_pages_the_sitemap_and_the_admin_login_answer(site):
    home = page(site, "/")
    assert '<html lang="vi">' in home
    article = an_article_path(site)
    html = page(site, article)
    assert f'<meta property="og:url" content="https://{HOST}{article}">' in html
    assert re.search(r"<h1>[^<]+</h1>", html)
    sitemap = page(site, "/sitemap.xml")
    assert f"<loc>https://{HOST}{article}</loc>" in sitemap
    login = page(site, "/admin/login/")
    assert 'name="password"' in login


def test_healthz_sees_the_scheduler(site):
    body = json.loads(page(site, "/healthz"))
    assert body["status"] == "ok"
    assert body["scheduler"]["status"] == "ok"
    assert body["scheduler"]["processes"] == 1


def test_plain_http_is_sent_to_https(site):
    status, headers, _ = site.get("/", forwarded=None)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/"


def test_pages_link_only_hashed_static_files_served_for_good(site):
    links = set()
    for path in ("/", an_article_path(site), "/admin/login/"):
        links |= set(STATIC_LINK.findall(page(site, path)))
    assert "/static/css/site.css" not in links
    assert any(link.startswith("/static/css/site.") for link in links), links
    for link in sorted(links):
        assert HASHED.search(link), link
        status, headers, _ = site.get(link)
        assert status == 200, link
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"


def test_the_vendored_chart_library_is_in_the_manifest(site):
    """The file that stopped collectstatic (the dashboard, behind login, loads it)."""
    manifest = json.loads((site.root / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["publishing/vendor/chartjs/chart.umd.min.js"]
    status, headers, body = site.get(f"/static/{hashed}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert b"sourceMappingURL" not in body


def test_css_comes_compressed_as_the_client_accepts(site):
    css = next(
        link for link in STATIC_LINK.findall(page(site, "/")) if link.endswith(".css")
    )
    status, headers, plain = site.get(css)  # http.client asks for identity
    assert (status, headers["Content-Encoding"]) == (200, None)
    assert plain.startswith(b"/* Campaign site")

    status, headers, body = site.get(css, **{"Accept-Encoding": "gzip, deflate, br"})
    assert (status, headers["Content-Encoding"]) == (200, "br")
    assert headers["Vary"] == "Accept-Encoding"
    assert brotli.decompress(body) == plain
    assert len(body) < len(plain) / 2

    status, headers, body = site.get(css, **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == plain


def test_public_pages_come_from_the_page_cache_compressed(site):
    """The page cache as deployed (beside SQLite here; createcachetable run as
    documented): the same article, asked twice as a browser asks, is rendered
    once and kept brotli'd."""
    article = an_article_path(site)
    plain = page(site, article)
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    answers = [site.get(article, **browser) for _ in range(2)]
    assert [headers["X-Page-Cache"] for _, headers, _ in answers] == [
        "miss",
        "hit",
    ]
    for status, headers, body in answers:
        assert (status, headers["Content-Encoding"]) == (200, "br")
        assert brotli.decompress(body).decode() == plain
    status, headers, body = site.get("/admin/login/", **browser)
    assert (status, headers["Content-Encoding"], headers["X-Page-Cache"]) == (
        200,
        None,
        None,
    )


def test_gunicorn_and_the_scheduler_stop_cleanly_on_sigterm(site):
    """Last: stops the processes the other tests used."""
    assert site.stop() == {"web": 0, "scheduler": 0}
    with contextlib.suppress(OSError):
        site.get("/healthz")
        pytest.fail("gunicorn still answers after SIGTERM")
