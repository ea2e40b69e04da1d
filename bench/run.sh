#!/usr/bin/env bash
# Engine vs NumPy throughput on the reference workloads, one process per workload so
# each peak RSS is that workload's own. Prints a table (bench/report.py).
#
#   bench/run.sh [extra engine_bench flags, e.g. --benchmark_repetitions=3]
#
#   ATTAIN_WORKLOADS  workload dir            (default: <repo>/bench/workloads)
#   ATTAIN_BENCH_SKIP regex of stems to skip  (e.g. 'w4' or '^w4-|^w1-')
#   ATTAIN_BENCH_NUMPY=0  skip the NumPy baseline
#   ATTAIN_BENCH_OUT  keep raw JSON/logs here (default: a temp dir, removed)
#   ATTAIN_BUILD_DIR  build dir               (default: <repo>/build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_BUILD_DIR:-$root/build}"
workloads="${ATTAIN_WORKLOADS:-$root/bench/workloads}"
skip="${ATTAIN_BENCH_SKIP:-}"
numpy="${ATTAIN_BENCH_NUMPY:-1}"
py=/usr/bin/python3

ATTAIN_BUILD_TARGET=engine_bench bash "$root/scripts/setup.sh"

if [[ -n "${ATTAIN_BENCH_OUT:-}" ]]; then
  out="$ATTAIN_BENCH_OUT"
  mkdir -p "$out"
else
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi

# Same as kDefaultPaths in bench/engine_bench.cc (used only if the engine run produced
# no paths to copy; normally NumPy runs with the engine's own path count).
default_paths() {
  case "$1" in
    w1-200x12) echo 100000 ;;
    w2-50x4) echo 20000 ;;
    w3-20x4) echo 10000 ;;
    w4-2000x12) echo 10000 ;;
    *) echo 10000 ;;
  esac
}

shopt -s nullglob
files=("$workloads"/*.json)
if ((${#files[@]} == 0)); then
  echo "attain: no workloads in $workloads" >&2
  exit 1
fi

failed=0
stems=()
for file in "${files[@]}"; do
  stem="$(basename "$file" .json)"
  if [[ -n "$skip" && "$stem" =~ $skip ]]; then
    echo "attain: skipping $stem"
    continue
  fi
  stems+=("$stem")

  echo "attain: bench $stem (engine)"
  if ! "$build/bench/engine_bench" --workloads="$workloads" --benchmark_filter="^$stem/" \
      --benchmark_format=json "$@" >"$out/$stem.engine.json" 2>"$out/$stem.engine.log"; then
    cat "$out/$stem.engine.log" >&2
    echo "attain: engine_bench failed on $stem" >&2
    failed=1
  fi

  if [[ "$numpy" != 0 ]]; then
    paths="$("$py" "$root/bench/report.py" --paths-of "$out/$stem.engine.json" 2>/dev/null)" ||
      paths="$(default_paths "$stem")"
    echo "attain: bench $stem (numpy, $paths paths)"
    if ! "$py" "$root/bench/numpy_model.py" "$file" --paths "$paths" --seed 1 \
        >"$out/$stem.numpy.json" 2>"$out/$stem.numpy.log"; then
      cat "$out/$stem.numpy.log" >&2
      echo "attain: numpy_model.py failed on $stem" >&2
      failed=1
    fi
  fi
done

echo
"$py" "$root/bench/report.py" "$out" "${stems[@]}"
exit "$failed"
