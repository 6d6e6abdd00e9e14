#!/bin/bash
# smoke.sh ECHO LOAD - ctest bench.smoke: runs the load generator against the
# echo server for 1 second with 10 sessions and checks that turns completed
# with zero errors. No timing thresholds: it only proves the tools work.
set -u
echo_bin=$1 load_bin=$2
out=$(mktemp -d) || exit 1
"$echo_bin" --port 0 >"$out/echo.out" 2>"$out/echo.err" &
echo_pid=$!
cleanup() { kill "$echo_pid" 2>/dev/null; wait "$echo_pid" 2>/dev/null; rm -rf "$out"; }
trap cleanup EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^conversation socket: \(ws:[^ ]*\)$/\1/p' "$out/echo.out")
  [ -n "$url" ] && break
  kill -0 "$echo_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "bench.smoke: the echo server printed no URL"; cat "$out/echo.err"; exit 1
fi
"$load_bin" --mode echo --url "$url" --sessions 10 --duration 1 --warmup 0 \
  --server-pid "$echo_pid" | tee "$out/load.out"
rc=${PIPESTATUS[0]}
result=$(grep '^RESULT ' "$out/load.out")
turns=$(sed -n 's/.* turns=\([0-9]*\) .*/\1/p' <<<"$result")
errors=$(sed -n 's/.* errors=\([0-9]*\) .*/\1/p' <<<"$result")
if [ "$rc" -ne 0 ] || [ -z "$turns" ] || [ "$turns" -eq 0 ] || [ "$errors" != 0 ]; then
  echo "bench.smoke: FAILED (exit $rc, turns=${turns:-?}, errors=${errors:-?})"
  exit 1
fi
echo "bench.smoke: ok ($turns turns, 0 errors)"
