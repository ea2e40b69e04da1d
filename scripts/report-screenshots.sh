#!/usr/bin/env bash
# Remakes docs/report-portfolio.png and docs/report-team.png: the report's browser test
# (clients/report) keeps its screenshots there. Needs a build (scripts/setup.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup-clients.sh"
ATTAIN_BUILD_DIR="$build" ATTAIN_PYTHON_STUBS="${ATTAIN_PYTHON_STUBS:-$build/python}" \
  ATTAIN_SCREENSHOT_DIR="$root/docs" npm test --prefix "$root/clients/report"
