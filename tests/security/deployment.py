"""The production smoke test's installation (tests/security/test_production_smoke.py),
started in the background as soon as the run's tests are chosen.

Installing takes 30-40 s of subprocesses (collectstatic beside migrate, then
seed_demo) and the smoke tests come near the end of their run: started at once
(tests/security/conftest.py), it is ready when they come, its work done while the
browser journeys before them mostly wait on Chromium. Nothing in it is shared with
the tests' own database: its own SQLite file, static and media folders.
"""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.security.helpers import production_env

ROOT = Path(__file__).resolve().parents[2]
SMOKE = "tests/security/test_production_smoke.py"
INSTALLED = pytest.StashKey()

# collectstatic as documented, brotli aside: WhiteNoise compresses at brotli's best
# (quality 11), 11 s of CPU for this tree against 0.2 s at quality 5 for files 10 %
# larger. The tests ask that .br files are made, served and decode to the file.
FAST_BROTLI = (
    "import brotli, runpy, sys;"
    "from whitenoise.compress import Compressor;"
    "Compressor.compress_brotli = staticmethod("
    "lambda data: brotli.compress(data, quality=5));"
    "sys.argv[0] = 'manage.py';"
    "runpy.run_path('manage.py', run_name='__main__')"
)


def deploy_env(tmp_path):
    """/etc/bhxh/env for the smoke test: its own database, static, media and state.
    The network addresses point at a closed port: a smoke test never calls Facebook."""
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


def manage(env, *args, script=("manage.py",)):
    result = subprocess.run(
        [sys.executable, *script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stderr[-3000:]}"


def install(tmp_path):
    """Installed in the order of docs/operations.md section 3; the demo stands in
    for real content (collectstatic runs beside migrate to save time). The
    deployment's environment."""
    env = deploy_env(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        static = pool.submit(
            manage, env, "collectstatic", "--noinput", script=("-c", FAST_BROTLI)
        )
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        static.result()
    return env


def start(session):
    """Begin installing if the smoke tests are among the chosen ones, to be run."""
    chosen = any(item.nodeid.startswith(SMOKE) for item in session.items)
    if not chosen or session.config.option.collectonly:
        return
    tmp_path = session.config._tmp_path_factory.mktemp("production")
    pool = ThreadPoolExecutor(1)
    session.config.stash[INSTALLED] = (tmp_path, pool.submit(install, tmp_path), pool)


def installed(config):
    """(folder, environment) of the installation, waiting for it to finish; made
    now if it was not started (the smoke tests chosen some other way)."""
    if INSTALLED not in config.stash:
        tmp_path = config._tmp_path_factory.mktemp("production")
        return tmp_path, install(tmp_path)
    tmp_path, future, _ = config.stash[INSTALLED]
    return tmp_path, future.result()


def finish(session):
    """No installation left running when the session ends (a run stopped early)."""
    if INSTALLED in session.config.stash:
        session.config.stash[INSTALLED][2].shutdown(wait=True)
