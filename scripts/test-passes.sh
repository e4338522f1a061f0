#!/usr/bin/env bash
# `make test`'s two passes, side by side: the suite on SQLite (browser journeys and
# the long walks, marked `once`, included) and on a throwaway PostgreSQL (the tests
# that need it, marked `postgres`, included; no journeys, no `once`). One after the
# other they took ~22 minutes on the 2-core CI machine, each pass using about one
# core (pytest is one process; much of its time is spent waiting on the sandbox,
# scheduler subprocesses, Chromium or PostgreSQL); side by side they share the two.
# Each line is prefixed with its pass, and each pass ends with its 15 slowest tests
# (what to look at when `make test` nears its 20-minute budget); the exit status is
# non-zero if either failed.
# The SQLite pass runs its in-process tests with the clock moved (tests/conftest.py,
# --clock) to SHIFTED_CLOCK, then the tests whose other processes keep the real
# time (browser journeys, `external_clock`) at the real time; PostgreSQL's pass
# stays on the real clock. One process more costs seconds, not minutes.
# Usage: scripts/test-passes.sh [PYTEST ARGS...]  (passed to both passes)
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
# A leap day, the last of its month, at 00:30 in Asia/Ho_Chi_Minh: still 28 February
# in UTC, so one moment tests the local/UTC day split, month ends and leap years
# (`make test-dates` runs four more). TEST_CLOCK overrides it.
SHIFTED_CLOCK=${TEST_CLOCK:-2028-02-29T00:30+07:00}
unset TEST_CLOCK # the real-clock runs must not read it

prefix() { sed -u "s/^/[$1] /"; }

# pytest's 5 (nothing selected, e.g. under -k) is fine for one of the two halves.
sqlite_pass() {
  echo "In-process tests, the clock at $SHIFTED_CLOCK:"
  "$PYTEST" -q --durations=15 -m "not postgres" --clock="$SHIFTED_CLOCK" "$@"
  local shifted=$?
  echo "Browser journeys and external_clock tests, at the real time:"
  "$PYTEST" -q --durations=15 -m "not postgres and (e2e or external_clock)" "$@"
  local real=$?
  case "$shifted:$real" in
    0:0 | 0:5 | 5:0) return 0 ;;
    *) return 1 ;;
  esac
}

echo "SQLite pass: in-process tests at $SHIFTED_CLOCK (shifted clock), then" \
  "browser journeys and external_clock tests at the real time;" \
  "PostgreSQL pass: real time."
started=$SECONDS
sqlite_pass "$@" 2>&1 | prefix sqlite &
sqlite=$!
scripts/with-postgres.sh "$PYTEST" -q --durations=15 -m "not e2e and not once" "$@" 2>&1 \
  | prefix postgres &
postgres=$!

wait "$sqlite"
sqlite_status=$?
wait "$postgres"
postgres_status=$?

minutes() { printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); }
echo "SQLite pass: $([ $sqlite_status -eq 0 ] && echo passed || echo FAILED);" \
  "PostgreSQL pass: $([ $postgres_status -eq 0 ] && echo passed || echo FAILED);" \
  "$(minutes $((SECONDS - started)))"
[ $sqlite_status -eq 0 ] && [ $postgres_status -eq 0 ]
