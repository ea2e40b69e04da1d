#!/usr/bin/env bash
# Renders helm/attain as `helm template` would and checks the manifests
# (helm/test/chart_check.go): Go, sprig and yaml.v3 from Debian, installed here if
# missing. Usage: chart-test.sh [OUT_DIR]  (OUT_DIR receives each scenario's manifests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages=(golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev)
missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  as_root=()
  ((EUID == 0)) || as_root=(sudo)
  echo "attain: installing ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 \
    install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
# GOPATH mode over Debian's Go sources: no module downloads.
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS=
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/attain-gocache}"
exec go run "$root/helm/test/chart_check.go" "$root/helm/attain" "$@"
