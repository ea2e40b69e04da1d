#!/usr/bin/env bash
# Renders helm/attain as `helm template` would and checks the manifests
# (helm/test/chart_check.go): Go, sprig and yaml.v3 from Debian, installed here if
# missing. Usage: chart-test.sh [OUT_DIR]  (OUT_DIR receives each scenario's manifests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-packages.sh" \
  golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev
# GOPATH mode over Debian's Go sources: no module downloads.
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS=
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/attain-gocache}"
exec go run "$root/helm/test/chart_check.go" "$root/helm/attain" "$@"
