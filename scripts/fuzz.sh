#!/usr/bin/env bash
# Fuzzes with libFuzzer: builds the fuzz targets (fuzz/) with clang-14, the whole project
# instrumented for coverage under AddressSanitizer and UndefinedBehaviorSanitizer (in
# build-fuzz), then runs each target for SECONDS on a copy of its seed corpus
# (fuzz/corpus/<target>) and prints its executions per second, coverage and corpus size.
# A crash, leak or broken invariant stops that target and fails the script; its input is
# kept in build-fuzz/findings/<target>/ (make it a regression test: add it to the corpus).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default 60 s, every target
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(request_fuzzer portfolio_json_fuzzer plan_json_fuzzer
  portfolio_csv_fuzzer history_csv_fuzzer exercise_id_fuzzer token_file_fuzzer)

bash "$root/scripts/install-packages.sh" clang-14 libclang-rt-14-dev
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTAIN_SANITIZERS=address,undefined
  -DATTAIN_FUZZ=libfuzzer -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link)
CC=clang-14 CXX=clang++-14 ATTAIN_BUILD_DIR="$build" ATTAIN_CMAKE_ARGS="${cmake_args[*]}" \
  ATTAIN_BUILD_TARGET=fuzz_targets bash "$root/scripts/setup.sh"

export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp"
failed=()
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  findings="$build/findings/$target"
  mkdir -p "$corpus" "$findings"
  cp -n "$root/fuzz/corpus/$target"/* "$corpus/" 2>/dev/null || true
  log="$build/findings/$target.log"
  if "$build/fuzz/$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
      -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    outcome=ok
  else
    outcome=FAILED
    failed+=("$target")
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)"
  echo "$target: $outcome, ${seconds} s, ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-no coverage line}," \
    "corpus $(ls "$corpus" | wc -l) (log: $log)"
done
if ((${#failed[@]})); then
  echo "attain: fuzzing found problems in: ${failed[*]} (inputs in $build/findings)" >&2
  exit 1
fi
