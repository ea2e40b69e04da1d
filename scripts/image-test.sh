#!/usr/bin/env bash
# Builds the container image (Dockerfile) and runs it, with Debian's tools and no Docker
# daemon or registry:
#   1. debootstrap --variant=minbase bookworm gives the base, imported into podman as
#      localhost/debian:bookworm (once; reused while it exists);
#   2. podman build --isolation=chroot builds the Dockerfile on it;
#   3. podman create + podman export give the image's root filesystem, and attaind starts
#      from it with chroot --userspec as the image's own user (podman run cannot start
#      containers on these machines), on a read-only bind mount of it when the kernel
#      lets this process make one;
#   4. the host's CLI checks health (liveness and readiness) and runs one Simulate.
# Prints the image's size, the build time and attaind's start time. Needs root (apt-get,
# debootstrap, chroot) and the host build (scripts/setup.sh) for the CLI. Slow (minutes:
# the base, the build stage's packages and a compile), so CI does not run it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_BUILD_DIR:-$root/build}"
work="${ATTAIN_IMAGE_WORK:-/var/tmp/attain-image}"
image="localhost/attain:test"
base="localhost/debian:bookworm"
mirror="${ATTAIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
podman=(podman --cgroup-manager=cgroupfs)

bash "$root/scripts/install-packages.sh" podman buildah debootstrap
[[ -x "$build/clients/cli/attain" ]] || bash "$root/scripts/setup.sh"
mkdir -p "$work"

if ! "${podman[@]}" image exists "$base"; then
  echo "image-test: debootstrap bookworm (minbase) from $mirror"
  rm -rf "$work/base"
  debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log"
  tar -C "$work/base" -c . | "${podman[@]}" import - "$base" >/dev/null
fi

echo "image-test: podman build"
start=$(date +%s)
"${podman[@]}" build --isolation=chroot --build-arg DEBIAN_IMAGE="$base" \
  --build-arg REVISION="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  -t "$image" "$root" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
build_seconds=$(($(date +%s) - start))
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
user=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image")
entrypoint=$("${podman[@]}" image inspect --format '{{json .Config.Entrypoint}}' "$image")

rootfs="$work/rootfs"
readonly_root="$work/rootfs-ro"
cleanup() {
  [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  mountpoint -q "$readonly_root" && umount "$readonly_root"
  true
}
trap cleanup EXIT
mountpoint -q "$readonly_root" && umount "$readonly_root"
rm -rf "$rootfs"
mkdir -p "$rootfs" "$readonly_root"
container=$("${podman[@]}" create "$image")
"${podman[@]}" export "$container" | tar -C "$rootfs" -x
"${podman[@]}" rm "$container" >/dev/null
run_root="$rootfs"
if mount --bind "$rootfs" "$readonly_root" 2>/dev/null &&
   mount -o remount,bind,ro "$readonly_root" 2>/dev/null; then
  run_root="$readonly_root"
  root_mode="read-only"
else
  mountpoint -q "$readonly_root" && umount "$readonly_root"
  root_mode="writable (this kernel refused a read-only bind mount)"
fi

port=$((20000 + RANDOM % 20000))
log="$work/attaind.log"
start_ns=$(date +%s%N)
chroot --userspec="$user" "$run_root" /usr/local/bin/attaind \
  --listen="127.0.0.1:$port" --metrics-listen=127.0.0.1:0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 500); do
  grep -q "attaind listening" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.01
done
start_ms=$((($(date +%s%N) - start_ns) / 1000000))
grep -q "attaind listening" "$log" || { echo "attaind did not start"; cat "$log"; exit 1; }
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")

cli="$build/clients/cli/attain"
"$cli" health --server "127.0.0.1:$port"
"$cli" health --service readiness --server "127.0.0.1:$port"
"$cli" simulate "$root/examples/portfolio.json" --paths 20000 --seed 1 \
  --server "127.0.0.1:$port" | head -3

echo "image-test: passed"
echo "  image:       $image, $(awk -v b="$size" 'BEGIN { printf "%.1f MiB", b / 1048576 }')"
echo "  files:       $(find "$rootfs" -type f | wc -l) ($(du -sh "$rootfs" | cut -f1)); shell: $(
  [[ -e "$rootfs/bin/sh" ]] && echo present || echo none)"
echo "  user:        $user (attaind ran as uid $uid), entrypoint $entrypoint"
echo "  root:        $root_mode"
echo "  build:       ${build_seconds} s"
echo "  start:       ${start_ms} ms from exec to listening"
