#!/usr/bin/env bash
# Starts the Python HEA registry service (heaserver-registry, installed by
# scripts/install_python_registry.sh) in the background on 127.0.0.1 against
# the FerretDB that scripts/start_ferretdb.sh runs, waits until
# GET /componentsping returns 200, and prints one line on stdout:
#   HEA_TEST_PYTHON_REGISTRY_URL=http://127.0.0.1:PORT
# If the registry that this script started is still running, only prints the
# line. All other output goes to stderr.
#
# Reads:
#   HEA_TEST_MONGODB_URL   the FerretDB connection string (required), as
#                          scripts/start_ferretdb.sh prints it.
#   HEA_TEST_STATE_DIR     state root (default /tmp/hea-test). The venv is
#                          HEA_TEST_STATE_DIR/venv; the INI file, log, pid
#                          and port files are HEA_TEST_STATE_DIR/
#                          python_registry.{ini,log,pid,port}.
#   HEA_TEST_PYTHON_REGISTRY_PORT  listen port (default 18080; 0 picks a free
#                          port).
#   HEA_TEST_PYTHON_REGISTRY_DATABASE  the database the registry uses
#                          (default hea_parity_python). The parity test loads
#                          its fixtures into the database of the same name.
#   HEA_TEST_PYTHON_REGISTRY_START_TIMEOUT  seconds to wait (default 60).
set -euo pipefail

log() { echo "start_python_registry: $*" >&2; }

state_root="${HEA_TEST_STATE_DIR:-/tmp/hea-test}"
port="${HEA_TEST_PYTHON_REGISTRY_PORT:-18080}"
database="${HEA_TEST_PYTHON_REGISTRY_DATABASE:-hea_parity_python}"
start_timeout="${HEA_TEST_PYTHON_REGISTRY_START_TIMEOUT:-60}"
mongodb_url="${HEA_TEST_MONGODB_URL:-}"
venv="$state_root/venv"
config_file="$state_root/python_registry.ini"
launcher="$(cd "$(dirname "$0")" && pwd)/python_registry_launcher.py"
log_file="$state_root/python_registry.log"
pid_file="$state_root/python_registry.pid"
port_file="$state_root/python_registry.port"

if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port > 65535)); then
  log "invalid HEA_TEST_PYTHON_REGISTRY_PORT '$port'; expected 0 or a port number up to 65535"
  exit 2
fi
if [[ ! "$database" =~ ^[A-Za-z0-9_-]{1,63}$ ]]; then
  log "invalid HEA_TEST_PYTHON_REGISTRY_DATABASE '$database'; use up to 63 letters, digits, _ or -"
  exit 2
fi
if [[ ! "$mongodb_url" =~ ^mongodb://127\.0\.0\.1:[0-9]+/?$ ]]; then
  log "HEA_TEST_MONGODB_URL '$mongodb_url' is not a mongodb://127.0.0.1:PORT/ URL; run: export \"\$(bash scripts/start_ferretdb.sh)\""
  exit 1
fi
if [[ ! -x "$venv/bin/heaserver-registry" ]]; then
  log "heaserver-registry not found in $venv; run scripts/install_python_registry.sh first"
  exit 1
fi

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Checks that the pid file names a live process running the launcher, so
# that a pid reused by another program does not count. It matches the file
# name only, so a registry started from another checkout also counts.
registry_alive() {
  local pid
  [[ -s "$pid_file" ]] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(basename "$launcher")"
}

# Succeeds when GET /componentsping returns 200, which also proves that the
# registry reaches its database.
registry_answers() {
  "$venv/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/componentsping", timeout=2) as reply:
        sys.exit(0 if reply.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

if registry_alive && [[ -s "$port_file" ]]; then
  running_port="$(tr -dc '0-9' <"$port_file")"
  if registry_answers "$running_port"; then
    log "the Python registry is already running on 127.0.0.1:$running_port (pid $(cat "$pid_file"))"
    echo "HEA_TEST_PYTHON_REGISTRY_URL=http://127.0.0.1:$running_port"
    exit 0
  fi
  log "the Python registry (pid $(cat "$pid_file")) is running but does not answer; restart it with scripts/stop_python_registry.sh"
  exit 1
fi
rm -f "$pid_file" "$port_file"

if ((port == 0)); then
  port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
elif port_open "$port"; then
  log "port 127.0.0.1:$port is in use by another process; stop it or set HEA_TEST_PYTHON_REGISTRY_PORT"
  exit 1
fi
base_url="http://127.0.0.1:$port"

mkdir -p "$state_root"
# Registry points at the service itself, because heaserver queries the registry
# whether the caller may create an object before every POST. No message
# broker runs for this registry, so publishing is off.
cat >"$config_file" <<INI
[DEFAULT]
Registry = $base_url
MessageBrokerEnabled = false

[MongoDB]
ConnectionString = ${mongodb_url%/}/$database
Name = $database
INI

# The launcher binds the registry to 127.0.0.1 and lets heaserver's queries
# run on FerretDB 1.24; its docstring explains how.
log "starting heaserver-registry on $base_url with database $database (log in $log_file)"
# setsid detaches the registry from the caller's session, so it keeps running
# after the calling shell exits, and $! is the registry's pid.
setsid "$venv/bin/python" "$launcher" \
  --port "$port" \
  --baseurl "$base_url" \
  --configuration "$config_file" \
  --env production \
  </dev/null >>"$log_file" 2>&1 &
echo "$!" >"$pid_file"
echo "$port" >"$port_file"

deadline=$((SECONDS + start_timeout))
until registry_answers "$port"; do
  if ! registry_alive; then
    log "the Python registry exited during startup; last lines of $log_file:"
    tail -n 20 "$log_file" >&2 || true
    rm -f "$pid_file" "$port_file"
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    log "timed out after ${start_timeout}s waiting for $base_url/componentsping; see $log_file"
    exit 1
  fi
  sleep 0.3
done

log "the Python registry is running on $base_url (pid $(cat "$pid_file"))"
echo "HEA_TEST_PYTHON_REGISTRY_URL=$base_url"
