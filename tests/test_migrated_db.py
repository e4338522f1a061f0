"""SQLite's migrated test database kept between runs (tests/migrated_db.py): named
after what could change it, stored whole, copied back whole, never half-read."""

import sqlite3

from django.core.management import call_command

from tests import migrated_db


def project(root, models="class Unit: pass\n"):
    (root / "app" / "migrations").mkdir(parents=True, exist_ok=True)
    (root / "app" / "models.py").write_text(models)
    (root / "app" / "migrations" / "0001_initial.py").write_text("operations = []\n")


def test_the_copy_is_named_after_the_code_it_was_made_with(tmp_path):
    project(tmp_path)
    key = migrated_db.cache_key(tmp_path, ("app",))
    assert migrated_db.cache_key(tmp_path, ("app",)) == key
    (tmp_path / "app" / "migrations" / "0002_more.py").write_text("operations = []\n")
    with_a_migration = migrated_db.cache_key(tmp_path, ("app",))
    project(tmp_path, models="class Unit:\n    name = 1\n")
    assert len({key, with_a_migration, migrated_db.cache_key(tmp_path, ("app",))}) == 3


def test_a_stored_database_comes_back_whole_and_replaces_older_copies(tmp_path):
    older = tmp_path / "old.sqlite3"
    older.write_bytes(b"")
    made = sqlite3.connect(":memory:")
    made.execute("create table unit (name text)")
    made.execute("insert into unit values ('Bắc Sơn')")
    made.commit()
    path = tmp_path / "new.sqlite3"

    migrated_db.store(made, path)
    fresh = sqlite3.connect(":memory:")
    migrated_db.open_copy(path).backup(fresh)

    assert fresh.execute("select name from unit").fetchall() == [("Bắc Sơn",)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite3"]


def test_no_copy_is_no_copy_and_creates_no_file(tmp_path):
    assert migrated_db.open_copy(tmp_path / "none.sqlite3") is None
    assert list(tmp_path.iterdir()) == []


def test_this_sessions_database_has_every_migration_applied(db):
    """A stale copy would miss one: `migrate --check` exits non-zero then."""
    call_command("migrate", check_unapplied=True, verbosity=0)
