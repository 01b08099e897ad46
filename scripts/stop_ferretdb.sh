#!/usr/bin/env bash
# Stops the FerretDB that scripts/start_ferretdb.sh started, by the pid in its
# pid file, and waits until the process has exited. Does nothing if it is not
# running, so it is safe to call repeatedly. Data stays in place.
#
# Reads:
#   HEA_TEST_STATE_DIR  state root (default /tmp/hea-test); the pid file is
#                       HEA_TEST_STATE_DIR/ferretdb.pid.
#   HEA_TEST_FERRETDB_STOP_TIMEOUT  seconds to wait after SIGTERM before
#                       SIGKILL (default 10).
set -euo pipefail

log() { echo "stop_ferretdb: $*" >&2; }

pid_file="${HEA_TEST_STATE_DIR:-/tmp/hea-test}/ferretdb.pid"
stop_timeout="${HEA_TEST_FERRETDB_STOP_TIMEOUT:-10}"

pid=""
if [[ -s "$pid_file" ]]; then
  pid="$(tr -dc '0-9' <"$pid_file")"
fi

# Checks the process name too, so that a reused pid is never signalled.
ferretdb_alive() {
  [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "ferretdb" ]]
}

if ! ferretdb_alive; then
  log "FerretDB is not running"
  rm -f "$pid_file"
  exit 0
fi

log "stopping FerretDB (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true

deadline=$((SECONDS + stop_timeout))
while ferretdb_alive; do
  if ((SECONDS >= deadline)); then
    log "FerretDB (pid $pid) still running ${stop_timeout}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.1
done

if ferretdb_alive; then
  log "FerretDB (pid $pid) did not exit after SIGKILL"
  exit 1
fi
rm -f "$pid_file"
log "FerretDB stopped"
