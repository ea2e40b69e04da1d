#!/usr/bin/env bash
# Installs what the clients' tests need, then their npm packages from the lockfiles:
# Node.js and npm (Debian's nodejs and npm, only when no node is on PATH), Chromium for
# the report's browser test, pytest for the planning tool's tests; then `npm ci` in
# clients/crm-node and clients/report. Idempotent; scripts/test.sh runs it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(chromium python3-pytest)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
bash "$root/scripts/install-packages.sh" "${packages[@]}"

for package in clients/crm-node clients/report; do
  dir="$root/$package"
  # npm ci empties node_modules first: skip it while the lockfile is what was installed.
  if [[ -f "$dir/node_modules/.package-lock.json" &&
        "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]]; then
    continue
  fi
  echo "attain: npm ci in $package"
  log="$(mktemp)"
  if ! npm ci --prefix "$dir" --no-audit --no-fund --no-update-notifier >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "attain: npm ci failed in $package" >&2
    exit 1
  fi
  rm -f "$log"
done
