#!/usr/bin/env bash
# `make run`: the network sandbox, the demo data, then the scheduler and the site.
# Ctrl-C stops all.
set -euo pipefail
PY=.venv/bin/python
WEB_ADDR=${WEB_ADDR:-127.0.0.1:8000}
export BASE_URL=${BASE_URL:-http://$WEB_ADDR}
SANDBOX_PORT=${SANDBOX_PORT:-8100}
export SANDBOX_URL="http://127.0.0.1:${SANDBOX_PORT}/"

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$PY" manage.py run_sandbox --port "$SANDBOX_PORT" --state var/sandbox.json --simulate &
pids+=($!)
for _ in $(seq 1 50); do
  if "$PY" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '_sandbox/state', timeout=1)" "$SANDBOX_URL" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

"$PY" manage.py migrate --noinput -v0
# The page cache's table (cms/content/page_cache/); nothing when it exists.
"$PY" manage.py createcachetable
"$PY" manage.py seed_demo
scripts/banner.sh "$BASE_URL" "$SANDBOX_URL"
"$PY" manage.py run_scheduler &
pids+=($!)
"$PY" manage.py runserver "$WEB_ADDR" &
pids+=($!)
wait -n "${pids[@]}"
