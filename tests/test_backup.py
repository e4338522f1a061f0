"""scripts/backup.sh and scripts/restore.sh, run as an operator would: data and a
media file are backed up, destroyed, and come back; a database with tables is not
overwritten without --force; wrong input is refused with a clear message."""

import contextlib
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from wagtail.images import get_image_model

from cms.core.models import Unit
from publishing.models import Channel
from tests.conftest import make_image
from tests.publishing.processes import shared_database

ROOT = Path(__file__).resolve().parents[1]
# The scripts (and the site they run beside) keep the real clock.
pytestmark = pytest.mark.external_clock


def run(script, *args, database_url, media_root):
    env = {
        **os.environ,
        # dev settings read MEDIA_ROOT from the environment (test settings do not)
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [str(ROOT / "scripts" / script), *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def backup(out, **where):
    result = run("backup.sh", out, **where)
    assert result.returncode == 0, result.stderr
    archive = Path(result.stdout.strip())
    assert archive.parent == out and archive.name.startswith("bhxh-backup-")
    assert archive.suffix == ".tar" and archive.is_file()
    return archive


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# SQLite -------------------------------------------------------------------------------
def sqlite_rows(path):
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT name FROM unit ORDER BY id").fetchall()


def test_sqlite_backup_and_restore_with_the_site_running(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    photo = media / "original_images" / "hộ-kinh-doanh.png"
    photo.write_bytes(b"\x89PNG fake image bytes" * 100)
    where = {"database_url": f"sqlite:///{db_path}", "media_root": media}

    # The site writes in WAL mode and keeps its connection: the last rows are in
    # the WAL, not yet in the database file (a plain file copy would miss them).
    site = sqlite3.connect(db_path)
    site.execute("PRAGMA journal_mode=WAL")
    site.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY, name TEXT)")
    site.executemany(
        "INSERT INTO unit (name) VALUES (?)",
        [("BHXH cơ sở Bắc Sơn",), ("BHXH cơ sở Lộc Bình",)],
    )
    site.commit()
    try:
        assert Path(f"{db_path}-wal").stat().st_size > 0
        archive = backup(tmp_path / "backups", **where)
        # Disaster: rows changed and lost, the photo deleted.
        site.execute("UPDATE unit SET name = 'sai' WHERE id = 1")
        site.execute("DELETE FROM unit WHERE id = 2")
        site.commit()
    finally:
        site.close()
    photo.unlink()

    refused = run("restore.sh", archive, **where)
    assert refused.returncode == 1
    assert "is not empty (1 tables); nothing was changed" in refused.stderr
    assert "--force" in refused.stderr
    assert sqlite_rows(db_path) == [("sai",)] and not photo.exists()

    restored = run("restore.sh", archive, "--force", **where)
    assert restored.returncode == 0, restored.stderr
    assert sqlite_rows(db_path) == [("BHXH cơ sở Bắc Sơn",), ("BHXH cơ sở Lộc Bình",)]
    assert photo.read_bytes() == b"\x89PNG fake image bytes" * 100

    # Into a new place (no database yet): no --force needed.
    elsewhere = {
        "database_url": f"sqlite:///{tmp_path / 'new' / 'db.sqlite3'}",
        "media_root": tmp_path / "new-media",
    }
    fresh = run("restore.sh", archive, **elsewhere)
    assert fresh.returncode == 0, fresh.stderr
    assert len(sqlite_rows(tmp_path / "new" / "db.sqlite3")) == 2
    assert (tmp_path / "new-media" / "original_images" / photo.name).is_file()


def test_restore_refuses_wrong_input_and_changes_nothing(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        db.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY, name TEXT)")
    where = {"database_url": f"sqlite:///{db_path}", "media_root": tmp_path / "m"}
    archive = backup(tmp_path, **where)

    missing = run("restore.sh", tmp_path / "nope.tar", **where)
    assert missing.returncode == 1
    assert f"no archive at {tmp_path / 'nope.tar'}" in missing.stderr

    not_ours = tmp_path / "other.tar"
    not_ours.write_text("not a tar archive")
    bad = run("restore.sh", not_ours, "--force", **where)
    assert bad.returncode == 1 and "is not a tar archive" in bad.stderr

    usage = run("restore.sh", **where)
    assert usage.returncode == 2 and "usage: scripts/restore.sh" in usage.stderr

    other_engine = run(
        "restore.sh",
        archive,
        "--force",
        database_url="postgres://ops@127.0.0.1:1/bhxh",
        media_root=tmp_path / "m",
    )
    assert other_engine.returncode == 1
    assert "holds a sqlite database; the settings name a postgresql one" in (
        other_engine.stderr.replace("\n", " ")
    )
    assert sqlite_rows(db_path) == []


# PostgreSQL ---------------------------------------------------------------------------
@pytest.mark.postgres
def test_postgresql_backup_and_restore(transactional_db, org, tmp_path):
    assert connection.vendor == "postgresql", (
        "pg_dump/pg_restore need PostgreSQL: run this test through "
        "scripts/with-postgres.sh (make test does), not on SQLite"
    )
    channel = Channel(
        unit=org.bac_son, network="facebook", name="BHXH Bắc Sơn", external_id="p1"
    )
    channel.set_credentials({"page_token": "EAAB-page-token"})
    channel.save()
    image = make_image("Ảnh bìa hộ kinh doanh")
    image_path, image_digest = Path(image.file.path), digest(image.file.path)
    units = sorted(Unit.objects.values_list("name", flat=True))

    with shared_database(tmp_path) as url:
        where = {"database_url": url, "media_root": settings.MEDIA_ROOT}
        archive = backup(tmp_path / "backups", **where)
        # Disaster: a unit renamed, the channel and the image gone with its file.
        Unit.objects.filter(pk=org.bac_son.pk).update(name="sai")
        Channel.objects.all().delete()
        get_image_model().objects.filter(pk=image.pk).delete()
        image_path.unlink(missing_ok=True)

        refused = run("restore.sh", archive, **where)
        assert refused.returncode == 1 and "is not empty" in refused.stderr
        assert not Channel.objects.exists()

        restored = run("restore.sh", archive, "--force", **where)
        assert restored.returncode == 0, restored.stderr

    assert sorted(Unit.objects.values_list("name", flat=True)) == units
    again = Channel.objects.get()
    assert again.get_credentials() == {"page_token": "EAAB-page-token"}
    assert get_image_model().objects.get(pk=image.pk).file.name == image.file.name
    assert digest(image_path) == image_digest
