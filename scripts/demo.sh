#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh), starts attaind on a free local port, runs
# `attain simulate`, `attain compare`, `attain recommend` and `attain coach` on the
# example portfolio, `attain calibrate` on the example CRM history and `attain simulate`
# on the portfolio it writes (plain, then with its standard errors drawn per path),
# `attain simulate` on the guide's quarterly example (docs/guide.md), `attain team` on the
# example team of four managers, `attain report` and `attain-plan` (the HTML reports, into
# <build>/demo), and stops the server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTAIN_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"

log="$(mktemp)"
"$build/service/attaind" --listen=127.0.0.1:0 --metrics-listen= --drain-delay=0 2>"$log" &
server=$!
calibrated="$(mktemp --suffix=.json)"
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log" "$calibrated"' EXIT

port=""
for _ in $(seq 100); do
  port="$(sed -n 's/.*attaind listening grpc_port=\([0-9]*\).*/\1/p' "$log")"
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "attain: attaind did not start" >&2; cat "$log" >&2; exit 1; }

attain=("$build/clients/cli/attain")
echo
echo "\$ attain simulate examples/portfolio.json --seed 7"
"${attain[@]}" simulate "$root/examples/portfolio.json" --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain compare examples/portfolio.json examples/plan-invest-cobalt.json --seed 7"
"${attain[@]}" compare "$root/examples/portfolio.json" "$root/examples/plan-invest-cobalt.json" \
  --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain recommend examples/portfolio.json --seed 7"
"${attain[@]}" recommend "$root/examples/portfolio.json" --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain coach examples/portfolio.json examples/plan-invest-cobalt.json --seed 7"
"${attain[@]}" coach "$root/examples/portfolio.json" "$root/examples/plan-invest-cobalt.json" \
  --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain calibrate examples/history.csv --portfolio examples/portfolio.json --out calibrated.json"
"${attain[@]}" calibrate "$root/examples/history.csv" --portfolio "$root/examples/portfolio.json" \
  --out "$calibrated" --server "127.0.0.1:$port"
echo
echo "\$ attain simulate calibrated.json --seed 7"
"${attain[@]}" simulate "$calibrated" --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain simulate calibrated.json --seed 7 --parameter-uncertainty"
"${attain[@]}" simulate "$calibrated" --seed 7 --parameter-uncertainty --server "127.0.0.1:$port"
echo
echo "\$ attain simulate examples/guide/partners.csv --portfolio-json examples/guide/portfolio-meta.json --seed 7"
"${attain[@]}" simulate "$root/examples/guide/partners.csv" \
  --portfolio-json "$root/examples/guide/portfolio-meta.json" --seed 7 --server "127.0.0.1:$port"
echo
echo "\$ attain team examples/team.json --seed 7"
"${attain[@]}" team "$root/examples/team.json" --seed 7 --server "127.0.0.1:$port"

mkdir -p "$build/demo"
echo
echo "\$ attain report examples/portfolio.json --seed 7 --out $build/demo/report.html"
"${attain[@]}" report "$root/examples/portfolio.json" --seed 7 --out "$build/demo/report.html" \
  --server "127.0.0.1:$port"

echo
echo "\$ clients/python/attain-plan examples/team.json --seed 7 --out $build/demo/team"
ATTAIN_PYTHON_STUBS="$build/python" "$root/clients/python/attain-plan" "$root/examples/team.json" \
  --seed 7 --out "$build/demo/team" --address "127.0.0.1:$port"
echo
echo "Open $build/demo/report.html and $build/demo/team/report.html in a browser."
