#!/usr/bin/env bash
# Starts a RabbitMQ broker for the integration tests, bound to 127.0.0.1 only,
# and prints one line on stdout:
#   HEA_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:PORT
# If the broker is already running, only prints the line. All other output
# goes to stderr. Needs root and scripts/install_rabbitmq.sh.
#
# Reads:
#   HEA_TEST_STATE_DIR       state root (default /tmp/hea-test). The broker
#                            keeps its data, logs, pid file and config in
#                            HEA_TEST_STATE_DIR/rabbitmq.
#   HEA_TEST_RABBITMQ_PORT   AMQP port (default 5672). Erlang distribution
#                            uses this port + 20000, as RabbitMQ does.
#   HEA_TEST_RABBITMQ_START_TIMEOUT  seconds to wait for startup (default 60).
#
# The node is named rabbit@localhost so that it does not depend on the host
# name resolving. To run rabbitmqctl by hand, export the RABBITMQ_NODENAME
# and RABBITMQ_CTL_ERL_ARGS values set below.
# NOTE: the fixed node name allows one such broker per machine, whatever
# HEA_TEST_STATE_DIR and HEA_TEST_RABBITMQ_PORT are.
set -euo pipefail

log() { echo "start_rabbitmq: $*" >&2; }

state_dir="${HEA_TEST_STATE_DIR:-/tmp/hea-test}/rabbitmq"
port="${HEA_TEST_RABBITMQ_PORT:-5672}"
start_timeout="${HEA_TEST_RABBITMQ_START_TIMEOUT:-60}"

if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 45535)); then
  log "invalid HEA_TEST_RABBITMQ_PORT '$port'; expected a port number from 1 to 45535"
  exit 2
fi
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "rabbitmq-server not found; run scripts/install_rabbitmq.sh first"
  exit 1
fi

# The Debian wrappers in /usr/sbin switch from root to the rabbitmq user with
# su or runuser, which keep these variables for the broker and the CLI tools.
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$port"
export RABBITMQ_DIST_PORT=$((port + 20000))
export RABBITMQ_MNESIA_BASE="$state_dir/mnesia"
export RABBITMQ_LOG_BASE="$state_dir/log"
export RABBITMQ_PID_FILE="$state_dir/rabbitmq.pid"
export RABBITMQ_ADVANCED_CONFIG_FILE="$state_dir/advanced.config"
# Keep epmd, which the first Erlang node starts, and the Erlang distribution
# listeners of the broker and of each CLI tool on loopback. Without
# RABBITMQ_CTL_ERL_ARGS, each rabbitmqctl call listens on 0.0.0.0 while it runs.
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

readonly URL_LINE="HEA_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:$port"

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Runs a RabbitMQ CLI command and kills it after a time limit, in seconds, given
# as the first argument.
run_cli() {
  local limit_seconds="$1"
  shift
  timeout --kill-after=5 "$limit_seconds" "$@"
}

broker_running() {
  port_open && run_cli 30 rabbitmq-diagnostics -q check_running >/dev/null 2>&1
}

if broker_running; then
  log "RabbitMQ already running on 127.0.0.1:$port"
  echo "$URL_LINE"
  exit 0
fi

mkdir -p "$state_dir" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
chown rabbitmq:rabbitmq "$state_dir" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
# The broker runs as the rabbitmq user, which needs to reach the state
# directory through every parent directory.
if ! runuser -u rabbitmq -- test -w "$state_dir"; then
  log "user rabbitmq cannot write to $state_dir; set HEA_TEST_STATE_DIR to a directory outside private home directories"
  exit 1
fi

# Plugins are off in the Debian package. These settings keep the listeners of
# the common ones on loopback if someone enables them, and are ignored otherwise.
cat >"$RABBITMQ_ADVANCED_CONFIG_FILE" <<'CONFIG'
[
  {rabbitmq_management, [{tcp_config, [{ip, "127.0.0.1"}, {port, 15672}]}]},
  {rabbitmq_prometheus, [{tcp_config, [{ip, "127.0.0.1"}, {port, 15692}]}]},
  {rabbitmq_stomp, [{tcp_listeners, [{"127.0.0.1", 61613}]}]},
  {rabbitmq_mqtt, [{tcp_listeners, [{"127.0.0.1", 1883}]}]},
  {rabbitmq_stream, [{tcp_listeners, [{"127.0.0.1", 5552}]}]}
].
CONFIG
chmod 644 "$RABBITMQ_ADVANCED_CONFIG_FILE"

if port_open; then
  log "port 127.0.0.1:$port is open but RabbitMQ does not answer as $RABBITMQ_NODENAME"
fi

# A node whose Erlang VM runs but whose rabbit application is stopped (after
# rabbitmqctl stop_app) only needs start_app. Otherwise start a new node.
if run_cli 30 rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  log "node $RABBITMQ_NODENAME is up with the rabbit application stopped; running start_app"
  run_cli 60 rabbitmqctl -q start_app >&2
else
  log "starting RabbitMQ node $RABBITMQ_NODENAME on 127.0.0.1:$port (log in $RABBITMQ_LOG_BASE)"
  rm -f "$RABBITMQ_PID_FILE"
  rabbitmq-server -detached >&2
fi

deadline=$((SECONDS + start_timeout))
until broker_running; do
  if ((SECONDS >= deadline)); then
    log "timed out after ${start_timeout}s waiting for RabbitMQ on 127.0.0.1:$port; see $RABBITMQ_LOG_BASE"
    exit 1
  fi
  sleep 0.25
done

log "RabbitMQ is running on 127.0.0.1:$port"
echo "$URL_LINE"
