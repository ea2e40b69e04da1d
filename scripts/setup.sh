#!/usr/bin/env bash
# Installs the Debian bookworm build dependencies that are missing, then configures
# (once) and builds the project. Idempotent; prints one line per phase it runs.
#
#   scripts/setup.sh            # build into <repo>/build
#   ATTAIN_BUILD_DIR=DIR scripts/setup.sh
#   ATTAIN_CMAKE_ARGS="-D..."   # extra configure arguments (first configure only)
#   ATTAIN_BUILD_TARGET=T       # build only target T (default: all)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_BUILD_DIR:-$root/build}"
read -r -a cmake_args <<<"${ATTAIN_CMAKE_ARGS:-}"
target=()
[[ -n "${ATTAIN_BUILD_TARGET:-}" ]] && target=(--target "$ATTAIN_BUILD_TARGET")

packages=(
  build-essential cmake pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-random-dev prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3-numpy golang-github-gogo-googleapis-dev libabsl-dev openssl
  python3-grpcio python3-protobuf  # attain-plan (clients/python)
)

bash "$root/scripts/install-packages.sh" "${packages[@]}"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  echo "attain: configuring $build"
  mkdir -p "$build"
  if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]}" \
      >"$build/configure.log" 2>&1; then
    cat "$build/configure.log" >&2
    rm -f "$build/CMakeCache.txt"  # so the next run configures again
    echo "attain: configure failed (log: $build/configure.log)" >&2
    exit 1
  fi
fi

echo "attain: building${ATTAIN_BUILD_TARGET:+ $ATTAIN_BUILD_TARGET} in $build"
# Keep compiler output and progress, drop the per-target "Built target" noise.
cmake --build "$build" -j"$(nproc)" "${target[@]}" |
  { grep --line-buffered -v -E '^\[ *[0-9]+%\] Built target ' || true; }
