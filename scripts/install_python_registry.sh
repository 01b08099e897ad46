#!/usr/bin/env bash
# Installs the Python HEA registry service (heaserver-registry from PyPI) into
# a virtualenv outside the repository, for the parity test that compares it
# with examples/registry. Installs nothing when the venv already contains the
# pinned versions. Prints the path of the venv on stdout and all other output
# on stderr.
#
# Reads:
#   HEA_TEST_STATE_DIR  state root (default /tmp/hea-test); the venv is
#                       HEA_TEST_STATE_DIR/venv.
#   PYTHON              Python 3.10 or newer to create the venv with
#                       (default: python3 on PATH).
#
# The three HEA packages are pinned to the versions that the parity test and
# docs/compatibility.md were checked against. heaserver-registry 1.13.2
# requires heaserver ~=1.72.0 and heaobject ~=1.51.1, so pinning the other
# two keeps a later patch release from changing the reference.
# NOTE: the dependencies of these packages (aiohttp, motor...) are resolved by
# pip at install time within the ranges that heaserver declares, not pinned.
set -euo pipefail

readonly REGISTRY_VERSION="1.13.2"
readonly HEASERVER_VERSION="1.72.1"
readonly HEAOBJECT_VERSION="1.51.1"

log() { echo "install_python_registry: $*" >&2; }

state_root="${HEA_TEST_STATE_DIR:-/tmp/hea-test}"
venv="$state_root/venv"
python="${PYTHON:-$(command -v python3 || true)}"

if [[ -z "$python" ]]; then
  log "python3 not found on PATH; install Python 3.10 or newer or set PYTHON"
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  log "$python is $("$python" --version 2>&1); heaserver-registry needs Python 3.10 or newer"
  exit 1
fi
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  log "$python cannot create a virtualenv (no venv or ensurepip module); install python3-venv"
  exit 1
fi

# Prints the installed version of a distribution in the venv, or nothing.
installed_version() {
  "$venv/bin/python" - "$1" <<'PY' 2>/dev/null || true
import sys
from importlib.metadata import PackageNotFoundError, version
try:
    print(version(sys.argv[1]))
except PackageNotFoundError:
    pass
PY
}

pinned_versions_installed() {
  [[ -x "$venv/bin/python" && -x "$venv/bin/heaserver-registry" ]] &&
    [[ "$(installed_version heaserver-registry)" == "$REGISTRY_VERSION" ]] &&
    [[ "$(installed_version heaserver)" == "$HEASERVER_VERSION" ]] &&
    [[ "$(installed_version heaobject)" == "$HEAOBJECT_VERSION" ]]
}

if pinned_versions_installed; then
  log "heaserver-registry $REGISTRY_VERSION already installed in $venv"
  echo "$venv"
  exit 0
fi

mkdir -p "$state_root"
if [[ ! -x "$venv/bin/python" ]]; then
  log "creating a virtualenv at $venv with $("$python" --version 2>&1)"
  "$python" -m venv "$venv"
fi

log "installing heaserver-registry $REGISTRY_VERSION into $venv (takes a minute or two)"
"$venv/bin/python" -m pip install --quiet \
  "heaserver-registry==$REGISTRY_VERSION" \
  "heaserver==$HEASERVER_VERSION" \
  "heaobject==$HEAOBJECT_VERSION" >&2

if ! pinned_versions_installed; then
  log "the install finished but $venv does not hold the pinned versions; see the pip output above"
  exit 1
fi
log "installed heaserver-registry $REGISTRY_VERSION in $venv"
echo "$venv"
