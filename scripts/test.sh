#!/usr/bin/env bash
# The README's test command: builds (scripts/setup.sh), installs the clients' test needs
# (scripts/setup-clients.sh: Chromium, pytest, npm ci) and runs the whole suite, the
# clients' suites and the fuzz corpora among them. CI then runs the sanitizer stage,
# scripts/test-sanitizers.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/setup-clients.sh"
ctest --test-dir "${ATTAIN_BUILD_DIR:-$root/build}" --output-on-failure --no-tests=error -j2
