#!/usr/bin/env bash
# `make run`: the embedded demo. Migrates the SQLite database under var/, loads the demo data,
# then runs the web server and a Celery worker with embedded beat (kombu's filesystem
# transport) until Ctrl-C, which stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=${RUN_HOST:-127.0.0.1}
PORT=${RUN_PORT:-8000}
# The demo is always the embedded one, even in a shell that points the tests at PostgreSQL.
unset DATABASE_URL CELERY_BROKER_URL
export DJANGO_SETTINGS_MODULE=config.settings.dev

mkdir -p var/broker/out var/broker/processed var/broker/control var/media var/static
$PY manage.py migrate --noinput
if $PY manage.py help setup_schedules >/dev/null 2>&1; then
    $PY manage.py setup_schedules
fi
logins=$($PY manage.py seed_demo)
echo "$logins"

# Each child in its own process group, so stopping one stops its own children too
# (the autoreloader's server process, the worker's pool and beat).
set -m
$PY manage.py runserver "$HOST:$PORT" &
web=$!
.venv/bin/celery -A config worker -B \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler \
    --concurrency 2 -l info &
worker=$!
set +m

stop() {
    trap - INT TERM HUP EXIT
    echo "Stopping the web server and the worker ..."
    # The server with its autoreloader child as a group; the worker by its main process,
    # which shuts down its pool and the embedded beat itself (a warm shutdown).
    kill -TERM -- "-$web" 2>/dev/null || true
    kill -TERM "$worker" 2>/dev/null || true
    for _ in $(seq 40); do
        kill -0 "$worker" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL -- "-$web" "-$worker" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
# Ctrl-C, a process manager (TERM) and a closed terminal (HUP) all stop both children, which
# run in process groups of their own and would not get the signal themselves.
trap "stop; exit 0" INT TERM HUP

for _ in $(seq 120); do
    if $PY -c "import urllib.request; urllib.request.urlopen('http://$HOST:$PORT/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    kill -0 "$web" 2>/dev/null || break
    sleep 0.5
done

if ! kill -0 "$web" 2>/dev/null; then
    echo "The web server did not start (is port $PORT in use? Try RUN_PORT=8001 make run)." >&2
    exit 1
fi

cat <<BANNER

==============================================================================
  EM-mottak: http://$HOST:$PORT/   (Celery worker + beat running)
$(echo "$logins" | sed 's/^/  /')
  Ctrl-C stops both.
==============================================================================

BANNER

# Runs until Ctrl-C, or until either process dies (then the other is stopped too).
status=0
wait -n "$web" "$worker" || status=$?
exit "$status"
