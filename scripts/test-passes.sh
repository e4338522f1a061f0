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
# Usage: scripts/test-passes.sh [PYTEST ARGS...]  (passed to both passes)
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}

prefix() { sed -u "s/^/[$1] /"; }

started=$SECONDS
"$PYTEST" -q --durations=15 -m "not postgres" "$@" 2>&1 | prefix sqlite &
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
