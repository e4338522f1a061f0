#!/usr/bin/env bash
# `make test-dates`: the in-process suite (SQLite; no browser journey, no test
# marked `external_clock`, whose processes keep the real time) with the clock moved
# (tests/conftest.py, --clock) to each moment given, or to the five below. Two
# moments run at a time (pytest keeps about one core busy); each line is prefixed
# with its moment, and the end lists each moment's result and wall time. The exit
# status is non-zero if any failed.
# Usage: scripts/test-dates.sh [MOMENT...]   (ISO 8601 with an offset)
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
JOBS=${JOBS:-2}
# Near local midnight in Asia/Ho_Chi_Minh (UTC+7): at 00:30 it is still the day
# before in UTC; at 22:00 tomorrow is a new month, half-year or year.
DEFAULT=(
  2027-01-01T00:30+07:00 # new year: still 2026 in UTC; the half-year's first day
  2027-02-28T00:30+07:00 # February's last day in a common year
  2027-06-30T22:00+07:00 # the half-year's last evening
  2027-12-31T22:00+07:00 # the year's last evening
  2028-02-29T00:30+07:00 # a leap day, still 28 February in UTC
)
if [ $# -gt 0 ]; then MOMENTS=("$@"); else MOMENTS=("${DEFAULT[@]}"); fi
unset TEST_CLOCK # each run is given its moment

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

at() {
  local started=$SECONDS
  "$PYTEST" -q -m "not e2e and not postgres" --clock="$1" 2>&1 | sed -u "s/^/[$1] /"
  local status=${PIPESTATUS[0]}
  echo "$status $((SECONDS - started))" >"$results/$1"
}

for moment in "${MOMENTS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  at "$moment" &
done
wait

failed=0
for moment in "${MOMENTS[@]}"; do
  read -r status seconds <"$results/$moment"
  [ "$status" -eq 0 ] && result=passed || { result=FAILED; failed=1; }
  printf '%s: %s in %d min %02d s\n' "$moment" "$result" \
    $((seconds / 60)) $((seconds % 60))
done
exit $failed
