#!/usr/bin/env bash
# Lints the API protos (proto/attain/v1/*.proto) with `buf lint` and the STANDARD rules
# of proto/buf.yaml, and generates stubs with clients/buf.gen.yaml; exits non-zero on any
# finding or failure. ctest runs this as the buf_lint test.
#
# buf comes from the npm registry (@bufbuild/buf, which ships the native binary in an
# optional dependency) and is installed once into <repo>/build/tools; node and npm come
# from Debian (nodejs, npm) if missing.
#
#   scripts/buf-lint.sh
#   ATTAIN_TOOLS_DIR=DIR scripts/buf-lint.sh    # install buf elsewhere
set -euo pipefail

buf_version=1.75.0  # the version this repo's protos were checked with

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${ATTAIN_TOOLS_DIR:-$root/build/tools}"
buf="$tools/node_modules/.bin/buf"

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "attain: need root (or sudo) to run: $*" >&2
    exit 1
  fi
}

installed_version() {
  [[ -x "$buf" ]] && "$buf" --version 2>/dev/null || true
}

if [[ "$(installed_version)" != "$buf_version" ]]; then
  mkdir -p "$tools"
  # One installer at a time (e.g. two build trees testing at once).
  exec 9>"$tools/.install.lock"
  flock 9
  if [[ "$(installed_version)" != "$buf_version" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "attain: installing nodejs and npm (for buf)"
      apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0)
      as_root "${apt_get[@]}" update
      as_root "${apt_get[@]}" install -y --no-install-recommends nodejs npm >/dev/null
    fi
    echo "attain: installing buf $buf_version into $tools"
    log="$tools/npm-install.log"
    if ! npm install --prefix "$tools" --no-audit --no-fund --no-update-notifier \
        "@bufbuild/buf@$buf_version" >"$log" 2>&1; then
      cat "$log" >&2
      echo "attain: installing buf failed (log: $log)" >&2
      exit 1
    fi
    if [[ "$(installed_version)" != "$buf_version" ]]; then
      echo "attain: buf $buf_version does not run after install (got: $(installed_version))" >&2
      exit 1
    fi
  fi
  exec 9>&-
fi

cd "$root/proto"
export BUF_CACHE_DIR="$tools/buf-cache"
if "$buf" lint; then
  echo "attain: buf lint ok"
else
  status=$?
  echo "attain: buf lint found problems (rules: proto/buf.yaml; exit $status)" >&2
  exit 1
fi
# The stub template clients/buf.gen.yaml documents for other languages still generates.
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
if ! "$buf" generate --template ../clients/buf.gen.yaml -o "$generated"; then
  echo "attain: buf generate with clients/buf.gen.yaml failed" >&2
  exit 1
fi
echo "attain: buf generate ok ($(find "$generated" -type f | wc -l) files)"

