#!/usr/bin/env bash
# CI's sanitizer stage (.ci/run runs it after scripts/test.sh), each in its own folder:
# 1. the whole suite (every ctest test: unit, service, CLI end to end, scale-out, the
#    clients' suites against the sanitized attaind, and the fuzz corpora) under
#    AddressSanitizer and UndefinedBehaviorSanitizer, in build-asan;
# 2. the concurrency tests (worker pool, block runner and offload, engine, scheduler,
#    service, team service, scale-out) under ThreadSanitizer, in build-tsan;
# 3. libFuzzer on every fuzz target for ATTAIN_FUZZ_SECONDS each (default 30;
#    scripts/fuzz.sh, in build-fuzz).
# Any finding fails it. What Debian's uninstrumented libraries do is suppressed, and each
# file says what that leaves unchecked: tests/sanitizers/lsan.supp (a leak in c-ares) and
# tests/sanitizers/tsan.supp (gRPC's, protobuf's and absl's unseen synchronization).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asan="${ATTAIN_ASAN_BUILD_DIR:-$root/build-asan}"
tsan="${ATTAIN_TSAN_BUILD_DIR:-$root/build-tsan}"

ATTAIN_BUILD_DIR="$asan" \
  ATTAIN_CMAKE_ARGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTAIN_SANITIZERS=address,undefined" \
  bash "$root/scripts/setup.sh"
bash "$root/scripts/setup-clients.sh"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
ctest --test-dir "$asan" --output-on-failure --no-tests=error -j2 --timeout 900

ATTAIN_BUILD_DIR="$tsan" ATTAIN_BUILD_TARGET=concurrency_tests \
  ATTAIN_CMAKE_ARGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTAIN_SANITIZERS=thread" \
  bash "$root/scripts/setup.sh"
# A report fails the test that made it (exit code 66), after the test has run to its end.
export TSAN_OPTIONS="suppressions=$root/tests/sanitizers/tsan.supp exitcode=66"
for test in worker_pool_test block_runner_test block_offload_test engine_test \
  scheduler_test service_test team_service_test scale_out_test; do
  echo "attain: $test under ThreadSanitizer"
  "$tsan/tests/$test" --gtest_brief=1
done

bash "$root/scripts/fuzz.sh" "${ATTAIN_FUZZ_SECONDS:-30}"
