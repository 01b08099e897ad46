#!/usr/bin/env bash
# Stops the RabbitMQ broker that scripts/start_rabbitmq.sh started, and waits
# until its Erlang VM has exited and the AMQP port is closed. Does nothing if
# the broker is not running, so it is safe to call repeatedly. Needs root.
#
# Reads:
#   HEA_TEST_STATE_DIR      state root (default /tmp/hea-test); the pid file
#                           is HEA_TEST_STATE_DIR/rabbitmq/rabbitmq.pid.
#   HEA_TEST_RABBITMQ_PORT  AMQP port (default 5672).
#   HEA_TEST_RABBITMQ_STOP_TIMEOUT  seconds to wait for a clean stop before
#                           the VM is killed (default 30).
set -euo pipefail

log() { echo "stop_rabbitmq: $*" >&2; }

state_dir="${HEA_TEST_STATE_DIR:-/tmp/hea-test}/rabbitmq"
port="${HEA_TEST_RABBITMQ_PORT:-5672}"
stop_timeout="${HEA_TEST_RABBITMQ_STOP_TIMEOUT:-30}"
pid_file="$state_dir/rabbitmq.pid"

# The CLI tools must use the node name and loopback settings of
# start_rabbitmq.sh to reach the node.
export RABBITMQ_NODENAME=rabbit@localhost
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

pid=""
if [[ -s "$pid_file" ]]; then
  pid="$(tr -dc '0-9' <"$pid_file")"
fi
pid_alive() {
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

if ! pid_alive && ! port_open; then
  log "RabbitMQ is not running"
  rm -f "$pid_file"
  exit 0
fi

log "stopping RabbitMQ node $RABBITMQ_NODENAME"
# With the pid file, rabbitmqctl stop waits until that OS process has exited.
stop_args=(stop --idempotent)
if pid_alive; then
  stop_args+=("$pid_file")
fi
if ! timeout --kill-after=5 "$stop_timeout" rabbitmqctl -q "${stop_args[@]}" >&2; then
  log "rabbitmqctl stop failed or timed out after ${stop_timeout}s"
fi

# Kill the VM only if rabbitmqctl could not stop it, and only by the pid that
# start_rabbitmq.sh recorded.
if pid_alive; then
  log "RabbitMQ (pid $pid) still running; sending SIGTERM"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 10); do
    pid_alive || break
    sleep 1
  done
  if pid_alive; then
    log "RabbitMQ (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi

deadline=$((SECONDS + 10))
while port_open; do
  if ((SECONDS >= deadline)); then
    log "port 127.0.0.1:$port is still open after the broker stopped; another process may be listening on it"
    exit 1
  fi
  sleep 0.2
done

rm -f "$pid_file"
log "RabbitMQ stopped"
