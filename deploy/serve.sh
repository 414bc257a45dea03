#!/usr/bin/env bash
# `make serve`: the production configuration on this machine. Reads the environment file
# (DANGJIAN_ENV_FILE, else deploy/dangjian.env; see deploy/dangjian.env.example), checks the
# deployment settings, collects the static files, migrates, then runs two processes:
#   - gunicorn (config.wsgi) with DANGJIAN_WEB_WORKERS workers on DANGJIAN_WEB_BIND, its access log
#     on standard output;
#   - the queue worker, `manage.py qcluster`, which also runs the scheduled jobs (django-q2 has no
#     separate scheduler process).
# Ctrl-C (or SIGTERM) stops both; if one of them ends, the other is stopped too.
# Variables already set in the environment win over the file (DANGJIAN_WEB_BIND=… make serve).
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE=${DANGJIAN_ENV_FILE:-deploy/dangjian.env}
if [ ! -f "$ENV_FILE" ]; then
    echo "未找到环境文件 $ENV_FILE：请复制 deploy/dangjian.env.example 为 deploy/dangjian.env 并填写密钥和数据库（README：生产部署）" >&2
    exit 2
fi
# KEY=value lines as systemd's EnvironmentFile reads them (# comments, optional quotes)
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
        value=${BASH_REMATCH[1]}
    fi
    [ -n "${!name+set}" ] || export "$name=$value"
done <"$ENV_FILE"
export DANGJIAN_ENV=production
unset DJANGO_DEBUG

PYTHON=${PYTHON:-.venv/bin/python}
BIND=${DANGJIAN_WEB_BIND:-127.0.0.1:8000}
WORKERS=${DANGJIAN_WEB_WORKERS:-3}

"$PYTHON" manage.py check --deploy
"$PYTHON" manage.py collectstatic --noinput --verbosity 0
if [ "${DANGJIAN_SERVE_MIGRATE:-1}" = 1 ]; then
    if [ -n "${DATABASE_OWNER_URL:-}" ]; then
        # migrations as the owner, then the application's role gets its rights on the new tables
        DANGJIAN_DB_OWNER=1 "$PYTHON" manage.py migrate --noinput
        if [ -n "${DANGJIAN_DB_APP_ROLE:-}" ]; then
            DANGJIAN_DB_OWNER=1 "$PYTHON" manage.py db_grant_app_role --role "$DANGJIAN_DB_APP_ROLE"
        fi
    else
        "$PYTHON" manage.py migrate --noinput
    fi
fi

web=
worker=
stop() {
    trap - INT TERM
    local pid waited=0
    for pid in $web $worker; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # each stops gracefully (gunicorn finishes its requests, the worker its running tasks); what
    # has not stopped after DANGJIAN_STOP_TIMEOUT seconds is killed with its process group
    while [ "$waited" -lt "${DANGJIAN_STOP_TIMEOUT:-60}" ]; do
        alive=
        for pid in $web $worker; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ -n "$alive" ] || break
        sleep 1
        waited=$((waited + 1))
    done
    for pid in $web $worker; do
        kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
    done
    wait 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
# each process in a process group of its own: Ctrl-C reaches this script only, which stops each
# process once (the queue worker, signalled twice, would hang in its shutdown)
set -m

"$PYTHON" -m gunicorn config.wsgi:application \
    --bind "$BIND" \
    --workers "$WORKERS" \
    --timeout "${DANGJIAN_WEB_TIMEOUT:-120}" \
    --graceful-timeout 30 \
    --forwarded-allow-ips "${DANGJIAN_FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" \
    --access-logfile - \
    --error-logfile - \
    --no-control-socket &
web=$!
# the worker forks its processes: no connection pool there (config/settings.py, DANGJIAN_DB_POOL)
DANGJIAN_DB_POOL=0 "$PYTHON" manage.py qcluster &
worker=$!
echo "生产配置已启动：http://$BIND/ （gunicorn $WORKERS 个进程，pid $web；任务进程 pid $worker）；按 Ctrl-C 停止"

set +e
wait -n "$web" "$worker"
status=$?
set -e
echo "一个进程已退出（状态 $status），停止另一个" >&2
stop
exit "$status"
