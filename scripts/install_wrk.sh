#!/usr/bin/env bash
# Installs wrk, the HTTP load generator of the benchmarks, from Debian's packages when it is
# missing. Prints the path of wrk on stdout.
set -euo pipefail

if ! command -v wrk >/dev/null 2>&1; then
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]]; then
    apt-get update >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2
fi
command -v wrk
