"""The real scheduler process against the test database, for the tests that start
one (tests/publishing, tests/test_backup.py)."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


LEASE = 2  # seconds (PUBLISHING_LEASE_SECONDS is whole seconds)


@contextlib.contextmanager
def shared_database(tmp_path):
    """The DATABASE_URL of the test database for a subprocess. PostgreSQL: the test
    database itself (the test must be transactional). SQLite: the in-memory test
    database cannot be shared, so it is copied to a file for the subprocesses and
    copied back when they are done, for the test's own queries."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (
            ":" + quote(s["PASSWORD"]) if s["PASSWORD"] else ""
        )
        yield f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    yield f"sqlite:///{path}"
    with contextlib.closing(sqlite3.connect(path)) as copy:
        copy.backup(connection.connection)


def scheduler_env(sandbox, database_url, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "FACEBOOK_GRAPH_URL": sandbox.url,
        "FACEBOOK_DIALOG_URL": sandbox.url,
        "ZALO_OPENAPI_URL": sandbox.url,
        "ZALO_OAUTH_URL": sandbox.url,
        "PUBLISHING_LEASE_SECONDS": str(LEASE),
        "PUBLISHING_DISPATCH_INTERVAL": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start_scheduler(env, log_path, *args, prelude=None):
    """`manage.py run_scheduler`; `prelude`, Python run first in the process (to
    make a race happen at a chosen moment)."""
    log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
    command = [sys.executable, "manage.py", "run_scheduler", *args]
    if prelude:
        run = "from django.core.management import execute_from_command_line as run"
        command = [sys.executable, "-c", f"{prelude}\n{run}\nrun({command[1:]!r})"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log, process.log_path = log, log_path
    return process


def finish(process, timeout=30):
    """The process's exit code; one that has not ended in `timeout` seconds is
    killed and the test fails with what it wrote, its threads' stacks last
    (where it hung)."""
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)  # its threads' stacks into the log
        time.sleep(1)
        process.kill()
        process.wait()
        raise AssertionError(
            f"still running {timeout} s later, killed:\n{output(process)}"
        ) from None
    finally:
        process.log.close()


def output(process):
    return Path(process.log_path).read_text(errors="replace")[-3000:]


def wait_until(condition, timeout, process=None, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(
                f"scheduler exited while waiting for {what}:\n" + output(process)
            )
        time.sleep(0.05)
    detail = output(process) if process is not None else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")
