"""Singleton jobs: at most one process runs a given job at a time.

PostgreSQL (several scheduler processes may share it): a session advisory lock,
`pg_try_advisory_lock`, taken on a connection of its own, so whatever the job does
with the thread's connection (closing it, a transaction) cannot release it early.
Unlocked at the end; a process that dies loses its session and with it the lock.

SQLite (one scheduler is the supported set-up, docs/architecture.md): an exclusive
`flock` on a file beside the database, so a second process started by mistake (a
`--once` from cron beside `make run`) skips the job instead of doubling it. An in-memory
database belongs to one process: its lock files are per process.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from django.db import connections

ALIAS = "default"


@contextlib.contextmanager
def singleton(name):
    """Yields True when this process holds the lock `name` (and runs the job),
    False when another holder has it (skip this run). Never waits."""
    if connections[ALIAS].vendor == "postgresql":
        with _advisory(name) as held:
            yield held
    else:
        with _lock_file(name) as held:
            yield held


def lock_key(name):
    """A stable signed 64-bit key for `name` (the advisory lock's bigint)."""
    digest = hashlib.blake2b(f"publishing:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def _advisory(name):
    own = connections[ALIAS].copy()  # a session of its own
    try:
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(name)])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with own.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])
    finally:
        own.close()


def lock_path(name):
    database = str(connections[ALIAS].settings_dict["NAME"])
    if database and ":memory:" not in database and "mode=memory" not in database:
        return Path(f"{database}.{name}.lock")
    return Path(tempfile.gettempdir()) / f"bhxh-memorydb-{os.getpid()}.{name}.lock"


@contextlib.contextmanager
def _lock_file(name):
    # flock locks belong to the open file, not the process: a second open() in
    # this process is refused too, like a second process.
    with open(lock_path(name), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
