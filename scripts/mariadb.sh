#!/usr/bin/env bash
# Private MariaDB server for tests and local development (no systemd, no Docker).
#
#   scripts/mariadb.sh start    install (apt) if needed, init data dir, start, ensure db/user; prints URL
#   scripts/mariadb.sh stop     clean shutdown, waits for the process to exit
#   scripts/mariadb.sh restart  stop + start
#   scripts/mariadb.sh kill     SIGKILL the server (crash, for fault tests); `start` recovers it
#   scripts/mariadb.sh reset    drop every acqp_* database, recreate an empty acqp_test
#   scripts/mariadb.sh status   exit 0 if the server answers, 1 if not
#   scripts/mariadb.sh sql      run the SQL on stdin as root over the private socket (tests that need an
#                               administrator, e.g. to make a user with too few privileges)
#   scripts/mariadb.sh url      print the connection URL
#
# Progress messages go to stderr; stdout carries only the URL (for `url=$(scripts/mariadb.sh start)`).
#
# Environment:
#   MARIADB_DIR   state dir (data, socket, pid, logs)   default /tmp/acqp-mariadb
#   MARIADB_PORT  TCP port on 127.0.0.1                  default 3307
#   MARIADB_DURABLE=1  commit as a production server does (flush the redo log at every commit,
#                 doublewrite on), for benchmarks; default: test speed (a crash may lose ~1 s of commits)
set -euo pipefail

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

DIR="${MARIADB_DIR:-/tmp/acqp-mariadb}"
PORT="${MARIADB_PORT:-3307}"
DATADIR="$DIR/data"
SOCK="$DIR/mysqld.sock"
PIDFILE="$DIR/mysqld.pid"
ERRLOG="$DIR/error.log"
INIT_MARKER="$DATADIR/.acqp-initialized"
START_TIMEOUT="${MARIADB_START_TIMEOUT:-60}"
STOP_TIMEOUT="${MARIADB_STOP_TIMEOUT:-60}"

DB_NAME=acqp_test
DB_USER=acqp
DB_PASS=acqp
URL="mysql://${DB_USER}:${DB_PASS}@127.0.0.1:${PORT}/${DB_NAME}"

log() { printf '[mariadb] %s\n' "$*" >&2; }
die() { printf '[mariadb] ERROR: %s\n' "$*" >&2; exit 1; }

# Admin access: root over the private socket (root has an empty password in this private instance).
admin() { mariadb-admin --no-defaults --protocol=socket --socket="$SOCK" -uroot --connect-timeout=2 "$@"; }
sql() { mariadb --no-defaults --protocol=socket --socket="$SOCK" -uroot --batch "$@"; }

pinged() { admin ping >/dev/null 2>&1; }

# True while the process exists and is not a zombie. Here PID 1 is not a real init and reaps
# orphans only about once a second, so `kill -0` alone would keep seeing a dead server.
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
  # Prints the pid of our mariadbd if the pid file points to a live mariadbd process.
  local pid comm
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || return 1
  alive "$pid" || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  [[ -z "$comm" || "$comm" == mariadbd || "$comm" == mysqld ]] || return 1
  printf '%s\n' "$pid"
}

show_log_tail() {
  if [[ -f "$ERRLOG" ]]; then
    log "last lines of $ERRLOG:"
    tail -n 40 "$ERRLOG" | sed 's/^/    /' >&2
  fi
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

have_binaries() {
  command -v mariadbd >/dev/null 2>&1 &&
    command -v mariadb-install-db >/dev/null 2>&1 &&
    command -v mariadb-admin >/dev/null 2>&1 &&
    command -v mariadb >/dev/null 2>&1
}

install_server() {
  have_binaries && return 0
  log "mariadbd not found: installing mariadb-server from Debian packages (apt-get) ..."
  local t0 aptlog added_policy=0
  t0=$(date +%s)
  aptlog="$(mktemp)"
  # Debian's postinst would start a system-wide server on :3306 via the init script; a
  # policy-rc.d that exits 101 tells invoke-rc.d not to start any service.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    added_policy=1
  fi
  local rc=0
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends mariadb-server mariadb-client
  } >"$aptlog" 2>&1 || rc=$?
  if [[ "$added_policy" -eq 1 ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
  if [[ "$rc" -ne 0 ]]; then
    tail -n 40 "$aptlog" | sed 's/^/    /' >&2
    rm -f "$aptlog"
    die "apt-get install mariadb-server failed (exit $rc)"
  fi
  rm -f "$aptlog"
  have_binaries || die "mariadb-server installed but mariadbd/mariadb-install-db/mariadb-admin/mariadb not on PATH"
  log "installed $(mariadbd --version 2>/dev/null | head -n1) in $(($(date +%s) - t0))s"
}

init_datadir() {
  [[ -f "$INIT_MARKER" ]] && return 0
  # A data dir without the marker is a half-finished init: start over.
  rm -rf "$DATADIR"
  mkdir -p "$DATADIR"
  log "initialising data dir $DATADIR ..."
  local initlog="$DIR/install-db.log"
  if ! mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DATADIR" \
    --auth-root-authentication-method=normal --skip-test-db --cross-bootstrap \
    >"$initlog" 2>&1; then
    tail -n 40 "$initlog" | sed 's/^/    /' >&2
    die "mariadb-install-db failed (full log: $initlog)"
  fi
  touch "$INIT_MARKER"
}

launch() {
  local -a args=(
    --no-defaults
    --datadir="$DATADIR"
    --socket="$SOCK"
    --port="$PORT"
    --bind-address=127.0.0.1
    --pid-file="$PIDFILE"
    --log-error="$ERRLOG"
    # utf8mb4 by default, as Debian's packaged config and MySQL 8 have it; the collation is the server's
    # own default for utf8mb4 (utf8mb4_general_ci), so databases are made as an operator's would be.
    --character-set-server=utf8mb4
    --skip-name-resolve
    --max-connections=500
    --max-allowed-packet=64M
    --innodb-buffer-pool-size=256M
    --sync-binlog=0
  )
  if [[ "${MARIADB_DURABLE:-0}" == 1 ]]; then
    args+=(--innodb-flush-log-at-trx-commit=1 --innodb-doublewrite=1)
  else
    # test-speed settings: durability traded for throughput (a crash may lose ~1s of commits)
    args+=(--innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0)
  fi
  # mariadbd refuses to run as root unless told so; as any other user it runs as that user.
  if [[ "$(id -u)" -eq 0 ]]; then args+=(--user=root); fi
  rm -f "$SOCK" "$SOCK.lock"
  : >>"$ERRLOG"
  local mark
  mark=$(wc -l <"$ERRLOG")
  # setsid + nohup: own session, immune to the caller's SIGHUP/SIGINT; stdio detached.
  setsid nohup mariadbd "${args[@]}" </dev/null >>"$DIR/mariadbd.out" 2>&1 &
  local child=$! deadline=$((SECONDS + START_TIMEOUT))
  while ! pinged; do
    if ! alive "$child" && ! server_pid >/dev/null; then
      log "mariadbd exited during startup"
      tail -n +"$((mark + 1))" "$ERRLOG" | tail -n 40 | sed 's/^/    /' >&2
      tail -n 10 "$DIR/mariadbd.out" 2>/dev/null | sed 's/^/    /' >&2 || true
      die "could not start mariadbd (port $PORT busy? see $ERRLOG)"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail
      die "mariadbd did not answer within ${START_TIMEOUT}s"
    fi
    sleep 0.1
  done
}

ensure_db() {
  sql <<SQL
CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\`;
CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASS}';
CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASS}';
ALTER USER '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASS}';
ALTER USER '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASS}';
GRANT ALL PRIVILEGES ON \`${DB_USER}\\_%\`.* TO '${DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DB_USER}\\_%\`.* TO '${DB_USER}'@'localhost';
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'localhost';
FLUSH PRIVILEGES;
SQL
}

cmd_start() {
  mkdir -p "$DIR"
  if have_binaries && pinged; then
    ensure_db
    log "already running on 127.0.0.1:$PORT (socket $SOCK)"
    printf '%s\n' "$URL"
    return 0
  fi
  install_server
  init_datadir
  local pid
  if pid="$(server_pid)"; then
    # A server is alive but not answering yet (still starting or recovering): wait for it.
    log "mariadbd (pid $pid) is up but not answering yet; waiting ..."
    local deadline=$((SECONDS + START_TIMEOUT))
    until pinged; do
      if ((SECONDS >= deadline)); then
        show_log_tail
        die "mariadbd (pid $pid) did not answer within ${START_TIMEOUT}s"
      fi
      alive "$pid" || break
      sleep 0.1
    done
  fi
  if ! pinged; then
    log "starting mariadbd on 127.0.0.1:$PORT (data $DATADIR, log $ERRLOG) ..."
    local t0
    t0=$(date +%s%N)
    launch
    log "mariadbd up (pid $(server_pid || echo '?')) in $((($(date +%s%N) - t0) / 1000000)) ms"
  fi
  ensure_db
  log "database $DB_NAME ready"
  printf '%s\n' "$URL"
}

cmd_stop() {
  local pid=""
  pid="$(server_pid || true)"
  if have_binaries && pinged; then
    log "stopping mariadbd${pid:+ (pid $pid)} ..."
    # SQL SHUTDOWN returns at once; `mariadb-admin shutdown` would poll the pid file once a second.
    if [[ -n "$pid" ]]; then
      sql -e 'SHUTDOWN' >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    else
      admin shutdown >/dev/null 2>&1 || true
    fi
  elif [[ -n "$pid" ]]; then
    log "mariadbd (pid $pid) not answering; sending SIGTERM ..."
    kill -TERM "$pid" 2>/dev/null || true
  else
    log "not running"
    rm -f "$SOCK" "$SOCK.lock" "$PIDFILE"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid"; do
      if ((SECONDS >= deadline)); then
        log "mariadbd (pid $pid) still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
        break
      fi
      sleep 0.05
    done
  fi
  rm -f "$SOCK" "$SOCK.lock" "$PIDFILE"
  log "stopped"
}

cmd_kill() {
  local pid
  if pid="$(server_pid)"; then
    log "SIGKILL mariadbd (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.05; done
  else
    log "not running"
  fi
  rm -f "$SOCK" "$SOCK.lock" "$PIDFILE"
}

cmd_reset() {
  pinged || die "not running (run: $0 start)"
  local dbs db
  dbs="$(sql -N -e "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '${DB_USER}\\_%'")"
  for db in $dbs; do
    sql -e "DROP DATABASE \`$db\`"
  done
  # Users the migration tests made and did not get to drop (a killed run).
  local users user
  users="$(sql -N -e "SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) FROM mysql.user WHERE user LIKE '${DB_USER}\\_mig\\_%'")"
  for user in $users; do
    sql -e "DROP USER $user"
  done
  ensure_db
  log "reset: dropped ${dbs:+$(echo "$dbs" | tr '\n' ' ')}and recreated $DB_NAME"
}

cmd_status() {
  if have_binaries && pinged; then
    log "running on 127.0.0.1:$PORT${PIDFILE:+ (pid $(server_pid || echo '?'))}, socket $SOCK"
    return 0
  fi
  log "not running"
  return 1
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
restart)
  cmd_stop
  cmd_start
  ;;
kill) cmd_kill ;;
reset) cmd_reset ;;
status) cmd_status ;;
sql)
  pinged || die "not running (run: $0 start)"
  sql
  ;;
url) printf '%s\n' "$URL" ;;
*)
  echo "usage: $0 {start|stop|restart|kill|reset|status|url|sql}" >&2
  exit 2
  ;;
esac
