# What deploy/up and deploy/down share: where the profile keeps its state, its ports, and how a
# process it started is found and stopped. Sourced after bin/_setup.sh, not run.

STATE="$ROOT/var/deploy"
RUN="$STATE/run"
LOGS="$STATE/logs"
PGDATA="$STATE/postgres"
PGSOCK="$RUN/postgres"
BUCKET="portal-media"
# The profile's ports, all below Linux's ephemeral range (32768-60999), where a client connection
# can hold a port for a minute and make a server's bind fail; PROFILE_*_PORT(S) move them, e.g. for
# a second profile on the same machine.
# portal.env records them at the first deploy/up: change them only with a purged state.
NGINX_PORT="${PROFILE_NGINX_PORT:-8080}"
read -r -a APP_PORTS <<<"${PROFILE_APP_PORTS:-8001 8002}"
PG_PORT="${PROFILE_PG_PORT:-15440}"
REDIS_PORT="${PROFILE_REDIS_PORT:-6380}"
S3_PORT="${PROFILE_S3_PORT:-9100}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

listening() {
    # $1: a port. True while something listens on it on 127.0.0.1.
    ss -Hltn "sport = :$1" | grep -q .
}

pid_alive() {
    # $1: a process id. PID 1 here is not an init: a stopped process may stay a zombie for a
    # while, which `kill -0` still reports as alive.
    local state
    [[ "$1" =~ ^[0-9]+$ ]] || return 1
    state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
    [[ "$state" != Z* ]]
}

alive() {
    # $1: a pid file. True while its process runs.
    [ -s "$1" ] && pid_alive "$(cat "$1")"
}

wait_until() {
    # $1: seconds; the rest: a command that succeeds when done.
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

port_free() { ! listening "$1"; }

session_gone() {
    # $1: a session id. True once none of its processes runs (zombies aside).
    ! ps -o stat= --sid "$1" 2>/dev/null | grep -qv '^Z'
}

stop_group() {
    # $1: a name; $2: its pid file; $3: its port (or ""). Stops the process group started with
    # setsid (gunicorn's master and workers, the scheduler's loop and its command) by its id.
    local name="$1" pidfile="$2" port="${3:-}"
    if alive "$pidfile"; then
        local pid
        pid="$(cat "$pidfile")"
        say "Stopping $name (pid $pid)"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        if ! wait_until 30 session_gone "$pid"; then
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
    if [ -n "$port" ] && ! wait_until 10 port_free "$port"; then
        echo "deploy: $name's port $port is still in use" >&2
        return 1
    fi
}

nginx_cmd() {
    # The profile's nginx: its own prefix, configuration and startup log (never /etc/nginx's).
    nginx -p "$STATE/nginx/" -e "$LOGS/nginx-error.log" -c "$STATE/nginx/nginx.conf" "$@"
}
