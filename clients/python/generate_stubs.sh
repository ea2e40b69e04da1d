#!/usr/bin/env bash
# Generates the Python stubs of the API into OUT_DIR with Debian's protoc and
# grpc_python_plugin (Debian's python3-grpc-tools is too old for proto3 `optional`):
# attain/v1/*_pb2.py and *_pb2_grpc.py, and google.rpc's Status and error details (for BadRequest field violations). The build runs it into
# <build>/python. Usage: generate_stubs.sh OUT_DIR
set -euo pipefail
out="${1:?usage: generate_stubs.sh OUT_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
googleapis=/usr/share/gocode/src/github.com/gogo/googleapis  # golang-github-gogo-googleapis-dev
plugin=/usr/bin/grpc_python_plugin                             # protobuf-compiler-grpc

mkdir -p "$out"
cd "$root/proto"
protoc -I . -I "$googleapis" \
  --python_out="$out" --grpc_python_out="$out" --plugin=protoc-gen-grpc_python="$plugin" \
  attain/v1/*.proto
protoc -I "$googleapis" --python_out="$out" google/rpc/status.proto google/rpc/error_details.proto
