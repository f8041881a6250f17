#!/usr/bin/env bash
# Private Redis for the BullMQ peer benchmark (no systemd, no Docker, no persistence).
#
#   scripts/redis.sh start    install redis-server (apt) if needed, start it on 127.0.0.1; prints the URL
#   scripts/redis.sh stop     SHUTDOWN NOSAVE, waits for the process to exit
#   scripts/redis.sh status   exit 0 if the server answers PING, 1 if not
#   scripts/redis.sh url      print the connection URL
#
# Progress messages go to stderr; stdout carries only the URL (for `url=$(scripts/redis.sh start)`).
#
# Environment:
#   REDIS_DIR   state dir (pid, log, working dir)   default /tmp/acqp-redis
#   REDIS_PORT  TCP port on 127.0.0.1               default 6390
set -euo pipefail

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

DIR="${REDIS_DIR:-/tmp/acqp-redis}"
PORT="${REDIS_PORT:-6390}"
PIDFILE="$DIR/redis.pid"
LOGFILE="$DIR/redis.log"
START_TIMEOUT="${REDIS_START_TIMEOUT:-30}"
STOP_TIMEOUT="${REDIS_STOP_TIMEOUT:-30}"
URL="redis://127.0.0.1:${PORT}"

log() { printf '[redis] %s\n' "$*" >&2; }
die() { printf '[redis] ERROR: %s\n' "$*" >&2; exit 1; }

cli() { redis-cli -h 127.0.0.1 -p "$PORT" "$@"; }
pinged() { [[ "$(cli PING 2>/dev/null || true)" == PONG ]]; }

# True while the process exists and is not a zombie (PID 1 here reaps orphans lazily).
alive() {
  local state=""
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null || true)"
    [[ "$state" != Z && "$state" != X ]] || return 1
  fi
  return 0
}

server_pid() {
  local pid comm
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || return 1
  alive "$pid" || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  [[ -z "$comm" || "$comm" == redis-server* ]] || return 1
  printf '%s\n' "$pid"
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

have_binaries() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }

install_server() {
  have_binaries && return 0
  log "redis-server not found: installing it from Debian packages (apt-get) ..."
  local t0 aptlog added_policy=0 rc=0
  t0=$(date +%s)
  aptlog="$(mktemp)"
  # The package's postinst would start a system-wide server on :6379; a policy-rc.d that
  # exits 101 tells invoke-rc.d not to start any service.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    added_policy=1
  fi
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends redis-server
  } >"$aptlog" 2>&1 || rc=$?
  if [[ "$added_policy" -eq 1 ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  if [[ "$rc" -ne 0 ]]; then
    tail -n 40 "$aptlog" | sed 's/^/    /' >&2
    rm -f "$aptlog"
    die "apt-get install redis-server failed (exit $rc)"
  fi
  rm -f "$aptlog"
  have_binaries || die "redis-server installed but redis-server/redis-cli not on PATH"
  log "installed $(redis-server --version 2>/dev/null | head -n1) in $(($(date +%s) - t0))s"
}

launch() {
  : >>"$LOGFILE"
  # No persistence: a queue for a benchmark, lost on stop. --daemonize no + setsid/nohup so
  # the pid file is the server's own and it survives the caller's SIGHUP.
  setsid nohup redis-server \
    --bind 127.0.0.1 \
    --port "$PORT" \
    --protected-mode yes \
    --dir "$DIR" \
    --pidfile "$PIDFILE" \
    --logfile "$LOGFILE" \
    --daemonize no \
    --save '' \
    --appendonly no \
    --maxmemory-policy noeviction \
    </dev/null >>"$DIR/redis-server.out" 2>&1 &
  local child=$! deadline=$((SECONDS + START_TIMEOUT))
  while ! pinged; do
    if ! alive "$child"; then
      tail -n 20 "$LOGFILE" 2>/dev/null | sed 's/^/    /' >&2 || true
      tail -n 10 "$DIR/redis-server.out" 2>/dev/null | sed 's/^/    /' >&2 || true
      die "redis-server exited during startup (port $PORT busy? see $LOGFILE)"
    fi
    if ((SECONDS >= deadline)); then
      die "redis-server did not answer within ${START_TIMEOUT}s (see $LOGFILE)"
    fi
    sleep 0.1
  done
}

cmd_start() {
  mkdir -p "$DIR"
  if have_binaries && pinged; then
    log "already running on 127.0.0.1:$PORT"
    printf '%s\n' "$URL"
    return 0
  fi
  install_server
  log "starting redis-server on 127.0.0.1:$PORT (dir $DIR, no persistence) ..."
  launch
  log "redis-server up (pid $(server_pid || echo '?'))"
  printf '%s\n' "$URL"
}

cmd_stop() {
  local pid=""
  pid="$(server_pid || true)"
  if have_binaries && pinged; then
    log "stopping redis-server${pid:+ (pid $pid)} ..."
    cli SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  elif [[ -n "$pid" ]]; then
    log "redis-server (pid $pid) not answering; sending SIGTERM ..."
    kill -TERM "$pid" 2>/dev/null || true
  else
    log "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid"; do
      if ((SECONDS >= deadline)); then
        log "redis-server (pid $pid) still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.05
    done
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

cmd_status() {
  if have_binaries && pinged; then
    log "running on 127.0.0.1:$PORT (pid $(server_pid || echo '?'))"
    return 0
  fi
  log "not running"
  return 1
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
url) printf '%s\n' "$URL" ;;
*)
  echo "usage: $0 {start|stop|status|url}" >&2
  exit 2
  ;;
esac
