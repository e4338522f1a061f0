#!/usr/bin/env bash
# Back up the database and the uploaded media into one archive.
#
#   scripts/backup.sh [OUTPUT_DIR]        (default: var/backups)
#
# Reads the same settings as the site (DJANGO_SETTINGS_MODULE, DATABASE_URL,
# MEDIA_ROOT): run it with the site's environment. Writes
# OUTPUT_DIR/bhxh-backup-<UTC time>.tar holding
#   manifest.txt        what was backed up, from where, when
#   database.pgdump     PostgreSQL: pg_dump custom format (for pg_restore), or
#   database.sqlite3    SQLite: an online backup (consistent while the site runs)
#   media.tar           MEDIA_ROOT
# and prints its path. The database is dumped before the media are read, so every
# file the dump refers to is in the archive. FIELD_ENCRYPTION_KEY is NOT in it:
# keep the key apart (docs/operations.md).
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

fail() { echo "backup: $*" >&2; exit 1; }

OUT=${1:-var/backups}
mkdir -p "$OUT" || fail "cannot create the output directory $OUT"
target=$("$PY" scripts/backup_helper.py target) || fail "cannot read the settings"
eval "$target"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
archive="$OUT/bhxh-backup-$stamp.tar"
[ -e "$archive" ] && fail "$archive exists already"
work=$(mktemp -d "$OUT/.backup-$stamp.XXXXXX")
trap 'rm -rf "$work" "$archive.partial"' EXIT

if [ "$DB_ENGINE" = postgresql ]; then
  PGBIN=${PGBIN:-}
  if [ -z "$PGBIN" ] && ! command -v pg_dump >/dev/null; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  # The password goes through the environment, never the command line (ps).
  [ -n "$DB_HOST" ] && export PGHOST=$DB_HOST
  [ -n "$DB_PORT" ] && export PGPORT=$DB_PORT
  [ -n "$DB_USER" ] && export PGUSER=$DB_USER
  [ -n "$DB_PASSWORD" ] && export PGPASSWORD=$DB_PASSWORD
  "${PGBIN:+$PGBIN/}pg_dump" --format=custom --no-owner --no-privileges \
    --dbname="$DB_NAME" --file="$work/database.pgdump" ||
    fail "pg_dump of $DB_NAME failed"
  database_file=database.pgdump
else
  "$PY" scripts/backup_helper.py sqlite-copy "$DB_NAME" "$work/database.sqlite3" ||
    fail "the SQLite backup of $DB_NAME failed"
  database_file=database.sqlite3
fi

if [ -d "$MEDIA_DIR" ]; then
  tar -cf "$work/media.tar" -C "$MEDIA_DIR" . || fail "cannot read $MEDIA_DIR"
else
  echo "backup: no media directory at $MEDIA_DIR; the archive has none" >&2
  tar -cf "$work/media.tar" -T /dev/null
fi

cat >"$work/manifest.txt" <<EOF
format=1
created=$stamp
engine=$DB_ENGINE
database=$database_file
media_root=$MEDIA_DIR
EOF

tar -cf "$archive.partial" -C "$work" manifest.txt "$database_file" media.tar ||
  fail "cannot write $archive"
mv "$archive.partial" "$archive"
echo "$archive"
