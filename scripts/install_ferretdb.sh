#!/usr/bin/env bash
# Installs FerretDB v1.24.2 from source with the Go toolchain and links it at
# /usr/local/bin/ferretdb. Builds nothing when a working ferretdb binary is
# already on PATH or in "$(go env GOPATH)/bin", and only makes the link. Prints
# the path of the link on stdout and all other output on stderr.
#
# Reads:
#   GO  Go binary to use (default: go on PATH, else /usr/local/go/bin/go).
#
# Needs only the Go module proxy, because FerretDB is a pure Go program and no
# prebuilt binary is downloaded.
set -euo pipefail

readonly FERRETDB_MODULE="github.com/FerretDB/FerretDB"
readonly FERRETDB_VERSION="v1.24.2"
readonly LINK_PATH="/usr/local/bin/ferretdb"

log() { echo "install_ferretdb: $*" >&2; }

GO="${GO:-$(command -v go || true)}"
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then
  GO=/usr/local/go/bin/go
fi
if [[ -z "$GO" ]]; then
  log "Go not found on PATH or at /usr/local/go/bin/go; install Go or set GO"
  exit 1
fi
# Build with the installed Go, which must be at least the go 1.24 that
# FerretDB's go.mod requires, and never try to download another toolchain.
export GOTOOLCHAIN=local

gobin="$("$GO" env GOBIN)"
if [[ -z "$gobin" ]]; then
  gobin="$("$GO" env GOPATH)/bin"
fi
readonly BINARY_PATH="$gobin/ferretdb"

binary_works() {
  "$1" --version >/dev/null 2>&1
}

link_binary() {
  local binary
  binary="$(readlink -f "$1")"
  if [[ "$binary" != "$LINK_PATH" ]]; then
    ln -sfn "$binary" "$LINK_PATH"
  fi
  log "$("$LINK_PATH" --version 2>&1 | head -n 1)"
  echo "$LINK_PATH"
}

candidates=("$BINARY_PATH")
on_path="$(command -v ferretdb || true)"
if [[ -n "$on_path" && "$on_path" != "$BINARY_PATH" ]]; then
  candidates=("$on_path" "$BINARY_PATH")
fi
for candidate in "${candidates[@]}"; do
  if [[ -x "$candidate" ]]; then
    if binary_works "$candidate"; then
      log "ferretdb already installed at $candidate"
      link_binary "$candidate"
      exit 0
    fi
    log "ignoring $candidate because 'ferretdb --version' fails"
  fi
done

# 'go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2' succeeds, but
# the binary panics at startup: FerretDB embeds build/version/version.txt, a
# file that its release build generates and the module does not contain.
# Building it as a dependency of another module panics too with Go 1.24 and
# later, which record FerretDB as the main module either way. So build a
# writable copy of the module source with that file added.
log "building FerretDB $FERRETDB_VERSION from its module source"
scratch="$(mktemp -d /tmp/ferretdb-build.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

module_dir="$(cd "$scratch" && "$GO" mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ ! -d "$module_dir" ]]; then
  log "go mod download did not return the source directory of $FERRETDB_MODULE@$FERRETDB_VERSION"
  exit 1
fi

cp -r "$module_dir" "$scratch/src"
chmod -R u+w "$scratch/src"
echo "$FERRETDB_VERSION" >"$scratch/src/build/version/version.txt"
mkdir -p "$gobin"
(
  cd "$scratch/src"
  "$GO" build -buildvcs=false -trimpath -o "$BINARY_PATH.tmp" ./cmd/ferretdb
) >&2
mv -f "$BINARY_PATH.tmp" "$BINARY_PATH"

if ! binary_works "$BINARY_PATH"; then
  log "built $BINARY_PATH, but 'ferretdb --version' fails:"
  "$BINARY_PATH" --version >&2 || true
  exit 1
fi
link_binary "$BINARY_PATH"
