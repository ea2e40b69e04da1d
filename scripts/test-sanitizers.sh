#!/usr/bin/env bash
# CI's sanitizer stage (.ci/run runs it after scripts/test.sh): the whole suite (every
# ctest test: unit, service, CLI end to end, scale-out, the clients' suites against the
# sanitized attaind, and the fuzz corpora) built and run under AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan; then libFuzzer on every fuzz target for
# ATTAIN_FUZZ_SECONDS each (default 30; scripts/fuzz.sh, in build-fuzz). Any finding
# fails it. Leaks inside Debian's uninstrumented libraries are suppressed, narrowly:
# tests/sanitizers/lsan.supp.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asan="${ATTAIN_ASAN_BUILD_DIR:-$root/build-asan}"

ATTAIN_BUILD_DIR="$asan" \
  ATTAIN_CMAKE_ARGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTAIN_SANITIZERS=address,undefined" \
  bash "$root/scripts/setup.sh"
bash "$root/scripts/setup-clients.sh"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
ctest --test-dir "$asan" --output-on-failure --no-tests=error -j2 --timeout 900

bash "$root/scripts/fuzz.sh" "${ATTAIN_FUZZ_SECONDS:-30}"
