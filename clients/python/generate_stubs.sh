#!/usr/bin/env bash
# Generates the API's Python stubs into OUT_DIR: attain/v1/*_pb2.py and *_pb2_grpc.py, and
# google/rpc/status_pb2.py and error_details_pb2.py (to read BadRequest field violations).
# The build runs it into <build>/python; the stubs are never checked in.
#
# Debian's protoc and grpc_python_plugin (protobuf-compiler, protobuf-compiler-grpc):
# Debian's python3-grpc-tools is too old for proto3 `optional`. Debian packages no Python
# google.rpc messages, so their .proto files come from golang-github-gogo-googleapis-dev
# (its go_package options mean nothing to the Python generator).
#
# Usage: generate_stubs.sh OUT_DIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: generate_stubs.sh OUT_DIR" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
googleapis=/usr/share/gocode/src/github.com/gogo/googleapis
plugin=/usr/bin/grpc_python_plugin
for needed in /usr/bin/protoc "$plugin" "$googleapis/google/rpc/error_details.proto"; do
  if [[ ! -e "$needed" ]]; then
    echo "generate_stubs.sh: $needed is missing: install protobuf-compiler," \
      "protobuf-compiler-grpc and golang-github-gogo-googleapis-dev" >&2
    exit 1
  fi
done
mkdir -p "$1"
out="$(cd "$1" && pwd)"

/usr/bin/protoc -I "$root/proto" \
  --python_out="$out" --grpc_python_out="$out" --plugin=protoc-gen-grpc_python="$plugin" \
  "$root"/proto/attain/v1/*.proto
/usr/bin/protoc -I "$googleapis" --python_out="$out" \
  "$googleapis/google/rpc/status.proto" "$googleapis/google/rpc/error_details.proto"
