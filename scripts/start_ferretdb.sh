#!/usr/bin/env bash
# Starts FerretDB with its SQLite backend in the background on 127.0.0.1 for
# the integration tests, waits until it accepts connections and prints one
# line on stdout:
#   HEA_TEST_MONGODB_URL=mongodb://127.0.0.1:PORT/
# If the FerretDB that this script started is still running, only prints the
# line. All other output goes to stderr. Needs scripts/install_ferretdb.sh.
#
# Reads:
#   HEA_TEST_STATE_DIR       state root (default /tmp/hea-test). Data goes to
#                            HEA_TEST_STATE_DIR/ferretdb/, the log to
#                            HEA_TEST_STATE_DIR/ferretdb.log and the pid to
#                            HEA_TEST_STATE_DIR/ferretdb.pid.
#   HEA_TEST_FERRETDB_PORT   listen port (default 27117).
#   HEA_TEST_FERRETDB_START_TIMEOUT  seconds to wait for the port (default 30).
set -euo pipefail

log() { echo "start_ferretdb: $*" >&2; }

state_root="${HEA_TEST_STATE_DIR:-/tmp/hea-test}"
port="${HEA_TEST_FERRETDB_PORT:-27117}"
start_timeout="${HEA_TEST_FERRETDB_START_TIMEOUT:-30}"
data_dir="$state_root/ferretdb"
log_file="$state_root/ferretdb.log"
pid_file="$state_root/ferretdb.pid"

if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  log "invalid HEA_TEST_FERRETDB_PORT '$port'; expected a port number from 1 to 65535"
  exit 2
fi

ferretdb="$(command -v ferretdb || true)"
if [[ -z "$ferretdb" ]]; then
  log "ferretdb not found on PATH; run scripts/install_ferretdb.sh first"
  exit 1
fi

readonly URL_LINE="HEA_TEST_MONGODB_URL=mongodb://127.0.0.1:$port/"

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Checks that the pid file names a live ferretdb process, so that a pid
# reused by another program after a crash does not count.
ferretdb_alive() {
  local pid
  [[ -s "$pid_file" ]] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "ferretdb" ]]
}

if ferretdb_alive && port_open; then
  log "FerretDB already running on 127.0.0.1:$port (pid $(cat "$pid_file"))"
  echo "$URL_LINE"
  exit 0
fi

if ferretdb_alive; then
  log "FerretDB (pid $(cat "$pid_file")) is running but not listening on 127.0.0.1:$port; waiting for it"
else
  rm -f "$pid_file"
  if port_open; then
    log "port 127.0.0.1:$port is in use by another process; stop it or set HEA_TEST_FERRETDB_PORT"
    exit 1
  fi

  mkdir -p "$data_dir"
  log "starting $ferretdb on 127.0.0.1:$port (data in $data_dir/, log in $log_file)"
  # Flags override FERRETDB_* variables, but clear them anyway so that none
  # from the caller's environment changes this server, such as a traces URL.
  unset "${!FERRETDB_@}"
  # setsid detaches FerretDB from the caller's session, so it keeps running
  # after the calling shell exits. A background job of a script does not lead
  # a process group, so setsid execs without forking and $! is ferretdb's pid.
  setsid "$ferretdb" \
    --handler=sqlite \
    --sqlite-url="file:$data_dir/" \
    --listen-addr="127.0.0.1:$port" \
    --state-dir="$data_dir" \
    --debug-addr=- \
    --telemetry=disable \
    --log-level=warn \
    </dev/null >>"$log_file" 2>&1 &
  echo "$!" >"$pid_file"
fi

deadline=$((SECONDS + start_timeout))
until port_open; do
  if ! ferretdb_alive; then
    log "FerretDB exited during startup; last lines of $log_file:"
    tail -n 20 "$log_file" >&2 || true
    rm -f "$pid_file"
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    log "timed out after ${start_timeout}s waiting for FerretDB on 127.0.0.1:$port; see $log_file"
    exit 1
  fi
  sleep 0.2
done

log "FerretDB is running on 127.0.0.1:$port (pid $(cat "$pid_file"))"
echo "$URL_LINE"
