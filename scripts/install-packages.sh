#!/usr/bin/env bash
# Installs those of the given Debian packages that are missing (apt-get, as root or
# through sudo). Usage: install-packages.sh PACKAGE...
set -euo pipefail
missing=()
for pkg in "$@"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0
echo "attain: installing ${#missing[@]} packages (${missing[*]})"
as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "attain: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
apt_get=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0)
"${apt_get[@]}" update
"${apt_get[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
