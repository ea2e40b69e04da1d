#!/usr/bin/env bash
# Builds (scripts/setup.sh), installs the clients' test needs (scripts/setup-clients.sh:
# Chromium, pytest, npm ci) and runs the test suite, the clients' suites among them, then
# the domain library's tests again under AddressSanitizer and UndefinedBehaviorSanitizer
# (in build-asan).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/setup-clients.sh"
ctest --test-dir "${ATTAIN_BUILD_DIR:-$root/build}" --output-on-failure --no-tests=error -j2

asan="${ATTAIN_ASAN_BUILD_DIR:-$root/build-asan}"
ATTAIN_BUILD_DIR="$asan" ATTAIN_BUILD_TARGET=domain_tests \
  ATTAIN_CMAKE_ARGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTAIN_SANITIZERS=address,undefined" \
  bash "$root/scripts/setup.sh"
ctest --test-dir "$asan" -L domain --output-on-failure --no-tests=error -j2
