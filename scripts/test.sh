#!/usr/bin/env bash
# Builds (scripts/setup.sh) and runs the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
ctest --test-dir "${ATTAIN_BUILD_DIR:-$root/build}" --output-on-failure --no-tests=error -j2
