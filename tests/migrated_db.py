"""SQLite's migrated test database, kept between runs in `var/test-db/`.

Running the ~240 migrations costs 15-20 s of every pytest process on SQLite, most
of it Django re-rendering model states rather than SQL. What they leave holds no
date (only django_migrations' bookkeeping), so the copy one run stores serves the
next at any clock (`--clock`): `make test`'s second SQLite process, `make
test-dates`, a single test file. The copy is named after everything that could
change it: the project's code (models, migrations, post_migrate handlers), the
versions of the installed packages and Python's. PostgreSQL is left alone.
"""

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import sqlite3
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("cms", "publishing", "sandbox")
CACHE = ROOT / "var" / "test-db"


def cache_key(root=ROOT, sources=SOURCES):
    digest = hashlib.sha256(sys.version.encode())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    for source in sources:
        for path in sorted((root / source).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def store(connection, path):
    """Copy the database open on `connection` to `path`, whole or not at all (a
    concurrent run may be reading the last copy), and drop older copies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with contextlib.closing(sqlite3.connect(partial)) as target:
        connection.backup(target)
    os.replace(partial, path)
    for old in path.parent.glob("*.sqlite3"):
        if old != path:
            old.unlink(missing_ok=True)


def open_copy(path):
    """The stored copy at `path`, opened read-only; None if there is none."""
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.OperationalError:
        return None


def _from_copy(creation, copy, serialize):
    """What `create_test_db` does, the copy standing in for `migrate`."""
    name = creation._get_test_db_name()
    wrapper = creation.connection
    wrapper.close()
    settings.DATABASES[wrapper.alias]["NAME"] = name
    wrapper.settings_dict["NAME"] = name
    wrapper.ensure_connection()
    with contextlib.closing(copy):
        copy.backup(wrapper.connection)
    if serialize:
        wrapper._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=wrapper.alias)
    return name


def _reusing(create_test_db):
    @functools.wraps(create_test_db)
    def create(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb or not self.is_in_memory_db(self._get_test_db_name()):
            return create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        path = CACHE / f"{cache_key()}.sqlite3"
        copy = open_copy(path)
        if copy is not None:
            return _from_copy(self, copy, serialize)
        name = create_test_db(self, verbosity, autoclobber, serialize, keepdb)
        store(self.connection.connection, path)
        return name

    return create


@contextlib.contextmanager
def reused():
    """SQLite's in-memory test database made from the stored copy when there is
    one, and stored for the next run when there is not."""
    original = DatabaseCreation.create_test_db
    DatabaseCreation.create_test_db = _reusing(original)
    try:
        yield
    finally:
        DatabaseCreation.create_test_db = original
