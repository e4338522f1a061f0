"""Parallel clicks for single-use tests: CLICKS clients of one session posting at
once (`all_at_once`), every click made to wait until all have read the same state
(`meet_before`), and the messages each was told (`said`). The `threads_db` fixture
(tests/publishing/conftest.py) gives the threads a database that waits for a
writer, as the real ones do."""

import sqlite3
import threading

from django.contrib.messages import get_messages
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

CLICKS = 5


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def threads_db_switch(tmp_path):
    """`switch()` after the test's data is made: from then on every thread's
    connection waits for a writer, as the real databases do. PostgreSQL does
    already; the tests' in-memory SQLite (shared cache) fails at once with "table
    is locked", so on SQLite the data is copied to a file opened with the project's
    own options (WAL, IMMEDIATE transactions, a busy timeout)."""
    wrapper = connections["default"]
    memory = wrapper.settings_dict["NAME"]
    keep = []

    def switch():
        if wrapper.vendor != "sqlite":
            return
        keep.append(sqlite3.connect(memory, uri=True))  # the memory DB lives on
        target = sqlite3.connect(tmp_path / "threads.sqlite3")
        keep[0].backup(target)
        target.close()
        wrapper.settings_dict["NAME"] = str(tmp_path / "threads.sqlite3")
        BaseDatabaseWrapper.close(wrapper)

    yield switch
    if keep:
        BaseDatabaseWrapper.close(wrapper)
        wrapper.settings_dict["NAME"] = memory
        wrapper.ensure_connection()
        keep[0].close()


def all_at_once(client, url, data):
    """CLICKS clients of one session POST `data` at once: [(status, messages)]."""
    results = [None] * CLICKS

    def click(index):
        browser = Client()
        for name, morsel in client.cookies.items():
            browser.cookies[name] = morsel.value
        try:
            response = browser.post(url, data)
            results[index] = (response.status_code, said(response))
        except Exception as error:  # a 500: recorded, the test fails on it
            results[index] = (500, [repr(error)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def meet_before(monkeypatch, owner, name):
    """Every click waits at `owner.name` until all have read the same state: the
    worst interleaving, every time (no click saves before the others have looked)."""
    barrier = threading.Barrier(CLICKS, timeout=60)
    real = getattr(owner, name)

    def waiting(*args, **kwargs):
        result = real(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(owner, name, waiting)
