"""What scripts/backup.sh and scripts/restore.sh ask of Python.

backup_helper.py target          the configured database and MEDIA_ROOT, as shell
                                 assignments (read from the Django settings, so
                                 the scripts follow DJANGO_SETTINGS_MODULE and
                                 DATABASE_URL exactly as the site does)
backup_helper.py tables          how many tables the configured database has
backup_helper.py sqlite-copy SRC DST
                                 SQLite's online backup: a consistent copy of a
                                 live database, WAL included (a file copy is not)
"""

import contextlib
import os
import shlex
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.conf import settings as django_settings

    return django_settings


def target():
    config = settings()
    database = config.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("sqlite3", "postgresql"):
        sys.exit(f"backup: database engine {database['ENGINE']} is not supported")
    values = {
        "DB_ENGINE": "sqlite" if engine == "sqlite3" else "postgresql",
        "DB_NAME": str(database["NAME"]),
        "DB_HOST": database.get("HOST") or "",
        "DB_PORT": str(database.get("PORT") or ""),
        "DB_USER": database.get("USER") or "",
        "DB_PASSWORD": database.get("PASSWORD") or "",
        "MEDIA_DIR": str(config.MEDIA_ROOT),
    }
    for key, value in values.items():
        print(f"{key}={shlex.quote(value)}")


def tables():
    """Counted with the driver alone: django.setup() would load every app."""
    database = settings().DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        if not Path(database["NAME"]).exists():
            print(0)  # connecting would create it (or fail on a missing directory)
            return
        with contextlib.closing(sqlite3.connect(database["NAME"])) as db:
            sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            print(db.execute(sql + " AND name NOT LIKE 'sqlite_%'").fetchone()[0])
        return
    import psycopg

    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        **database.get("OPTIONS", {}),
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as db:
        row = db.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
        print(row[0])


def sqlite_copy(source, destination):
    if not Path(source).is_file():
        sys.exit(f"no SQLite database at {source}")
    src = sqlite3.connect(source)
    dst = sqlite3.connect(destination)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "target":
        target()
    elif command == "tables":
        try:
            tables()
        except Exception as error:  # the driver's reason, one line, no traceback
            sys.exit(f"{type(error).__name__}: {error}".strip())
    elif command == "sqlite-copy" and len(args) == 2:
        sqlite_copy(*args)
    else:
        sys.exit(__doc__)
