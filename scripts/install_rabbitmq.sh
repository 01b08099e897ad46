#!/usr/bin/env bash
# Installs RabbitMQ from Debian's rabbitmq-server package when the
# rabbitmq-server command is missing. Runs apt-get update only when apt has no
# candidate for the package or the install fails on stale package lists.
# Keeps the package from starting its own broker, which would listen on all
# interfaces: start_rabbitmq.sh starts one bound to 127.0.0.1. Needs root.
# Reads no variables.
set -euo pipefail

log() { echo "install_rabbitmq: $*" >&2; }

if command -v rabbitmq-server >/dev/null 2>&1 || [[ -x /usr/sbin/rabbitmq-server ]]; then
  log "rabbitmq-server already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# invoke-rc.d runs /usr/sbin/policy-rc.d before a package starts its service,
# and exit code 101 forbids the start. Docker's Debian images ship such a file,
# so add one only if it is missing, and remove it after the install.
readonly POLICY_FILE=/usr/sbin/policy-rc.d
if [[ ! -e "$POLICY_FILE" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY_FILE"
  chmod 755 "$POLICY_FILE"
  trap 'rm -f "$POLICY_FILE"' EXIT
fi

candidate="$(apt-cache policy rabbitmq-server 2>/dev/null | awk '/Candidate:/ { print $2 }')"
if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
  log "no install candidate for rabbitmq-server; running apt-get update"
  apt-get update >&2
fi

log "installing rabbitmq-server"
if ! apt-get install -y --no-install-recommends rabbitmq-server >&2; then
  log "apt-get install failed; running apt-get update and trying once more"
  apt-get update >&2
  apt-get install -y --no-install-recommends rabbitmq-server >&2
fi
log "installed $(dpkg-query -W -f='${Package} ${Version}' rabbitmq-server)"
