#!/usr/bin/env bash
# Fails when a tracked file of the build, the tests, the benchmarks, the scripts or CI
# refers to a path outside the repository (a user's clone has nothing beside it), and
# when the checked-in reference workloads are not their generator's output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Climbing out of the source tree, the workplace's shared folder, absolute home paths.
pattern='(SOURCE_DIR\}/\.\.|\.\./shared|/work/|/home/|/root/)'
if hits="$(git grep -nE "$pattern" -- CMakeLists.txt cmake proto simulator service clients \
             tests bench scripts examples .ci ':!scripts/check-self-contained.sh')"; then
  echo "attain: these lines refer to paths outside the repository:" >&2
  echo "$hits" >&2
  exit 1
fi
/usr/bin/python3 bench/workloads/generate.py --check
echo "attain: self-contained; bench/workloads are generate.py's output"
