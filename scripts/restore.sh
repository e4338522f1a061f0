#!/usr/bin/env bash
# Restore an archive of scripts/backup.sh: the database, then the media.
#
#   scripts/restore.sh ARCHIVE [--force]
#
# Restores into the database and MEDIA_ROOT the settings name (DJANGO_SETTINGS_MODULE,
# DATABASE_URL, MEDIA_ROOT), like the site. Stop the web and scheduler processes
# first. A database that already has tables is left alone unless --force is given;
# then, on PostgreSQL, every object in the archive is dropped and recreated in one
# transaction (all or nothing), and on SQLite the file's content is replaced.
# Media files are extracted over MEDIA_ROOT; files not in the archive stay.
set -euo pipefail
umask 027
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

fail() { echo "restore: $*" >&2; exit 1; }
usage() { echo "usage: scripts/restore.sh ARCHIVE [--force]" >&2; exit 2; }

archive="" force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) usage ;;
    -*) echo "restore: unknown option $arg" >&2; usage ;;
    *) [ -z "$archive" ] || usage; archive=$arg ;;
  esac
done
[ -n "$archive" ] || usage
[ -f "$archive" ] || fail "no archive at $archive"

work=$(mktemp -d -t bhxh-restore.XXXXXX)
trap 'rm -rf "$work"' EXIT
members=$(tar -tf "$archive" 2>/dev/null) || fail "$archive is not a tar archive"
tar -xf "$archive" -C "$work" --occurrence=1 manifest.txt 2>/dev/null ||
  fail "$archive is not an archive of scripts/backup.sh (no manifest.txt)"
manifest() { sed -n "s/^$1=//p" "$work/manifest.txt"; }
engine=$(manifest engine)
database_file=$(manifest database)
case "$database_file" in
  database.pgdump|database.sqlite3) ;;
  *) fail "the manifest of $archive names no database" ;;
esac
for member in "$database_file" media.tar; do
  grep -qx "$member" <<<"$members" || fail "$archive is incomplete (no $member)"
done

target=$("$PY" scripts/backup_helper.py target) || fail "cannot read the settings"
eval "$target"
[ "$engine" = "$DB_ENGINE" ] || fail "$archive holds a $engine database; the \
settings name a $DB_ENGINE one (DATABASE_URL). Restore it into $engine."

tables=$("$PY" scripts/backup_helper.py tables) ||
  fail "cannot reach the database $DB_NAME"
if [ "$tables" -gt 0 ] && [ "$force" -ne 1 ]; then
  fail "the database $DB_NAME is not empty ($tables tables); nothing was changed. \
Restore into an empty database, or give --force to replace its content."
fi

tar -xf "$archive" -C "$work" --occurrence=1 "$database_file" ||
  fail "cannot read $database_file from $archive"

if [ "$engine" = postgresql ]; then
  PGBIN=${PGBIN:-}
  if [ -z "$PGBIN" ] && ! command -v pg_restore >/dev/null; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$DB_HOST" ] && export PGHOST=$DB_HOST
  [ -n "$DB_PORT" ] && export PGPORT=$DB_PORT
  [ -n "$DB_USER" ] && export PGUSER=$DB_USER
  [ -n "$DB_PASSWORD" ] && export PGPASSWORD=$DB_PASSWORD
  "${PGBIN:+$PGBIN/}pg_restore" --clean --if-exists --no-owner --no-privileges \
    --single-transaction --exit-on-error --dbname="$DB_NAME" \
    "$work/$database_file" || fail "pg_restore into $DB_NAME failed; the \
database was left as it was (one transaction)"
else
  mkdir -p "$(dirname "$DB_NAME")"
  "$PY" scripts/backup_helper.py sqlite-copy "$work/$database_file" "$DB_NAME" ||
    fail "the SQLite restore into $DB_NAME failed"
fi
echo "restore: database $DB_NAME restored from $archive" >&2

mkdir -p "$MEDIA_DIR" || fail "cannot create $MEDIA_DIR"
tar -xOf "$archive" --occurrence=1 media.tar | tar -xf - -C "$MEDIA_DIR" ||
  fail "the media could not be extracted into $MEDIA_DIR (the database IS restored)"
echo "restore: media restored into $MEDIA_DIR" >&2
