#!/usr/bin/env bash
# Stops the Python registry that scripts/start_python_registry.sh started, by
# the pid in its pid file, and waits until the process has exited. Does
# nothing if it is not running, so it is safe to call repeatedly. The
# registry's database stays in FerretDB.
#
# Reads:
#   HEA_TEST_STATE_DIR  state root (default /tmp/hea-test); the pid file is
#                       HEA_TEST_STATE_DIR/python_registry.pid.
#   HEA_TEST_PYTHON_REGISTRY_STOP_TIMEOUT  seconds to wait after SIGTERM
#                       before SIGKILL (default 10).
set -euo pipefail

log() { echo "stop_python_registry: $*" >&2; }

state_root="${HEA_TEST_STATE_DIR:-/tmp/hea-test}"
pid_file="$state_root/python_registry.pid"
port_file="$state_root/python_registry.port"
stop_timeout="${HEA_TEST_PYTHON_REGISTRY_STOP_TIMEOUT:-10}"

pid=""
if [[ -s "$pid_file" ]]; then
  pid="$(tr -dc '0-9' <"$pid_file")"
fi

# Checks the command line too, so that a reused pid is never signalled.
registry_alive() {
  [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF python_registry_launcher.py
}

if ! registry_alive; then
  log "the Python registry is not running"
  rm -f "$pid_file" "$port_file"
  exit 0
fi

log "stopping the Python registry (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true

deadline=$((SECONDS + stop_timeout))
while registry_alive; do
  if ((SECONDS >= deadline)); then
    log "the Python registry (pid $pid) still runs ${stop_timeout}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.1
done

if registry_alive; then
  log "the Python registry (pid $pid) did not exit after SIGKILL"
  exit 1
fi
rm -f "$pid_file" "$port_file"
log "the Python registry stopped"
