#!/bin/bash
# haproxy.sh - turns per second through HAProxy with one, two and three `lotse serve` instances
# (docs/scaling.md, docs/benchmarks.md), against the same load sent to one instance directly
# (the baseline of the same run). Informational, not a test: it prints ratios, and exits non-zero
# only if something errored (a server or HAProxy did not start, the client counted errors).
#
#   bench/haproxy.sh --build build-bench [--sessions 300] [--duration 10] [--rounds 3]
#
# The instances share one resume key file and the repository's flows/; HAProxy runs
# docs/examples/haproxy-lotse.cfg with the addresses filled in. On a machine with fewer cores than
# instances + HAProxy + the load generator, more instances cannot add throughput: the figures
# then show HAProxy's cost, not the scaling (say the core count with the figures).
set -u
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/.." && pwd)
build= sessions=300 duration=10 warmup=2 rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --sessions) sessions=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "haproxy.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$build" ] || { echo "haproxy.sh: give --build DIR" >&2; exit 2; }
build=$(cd "$build" && pwd) || exit 2
lotse=$build/lotse load=$build/bench/lotse-bench-load
for b in "$lotse" "$load" /usr/sbin/haproxy; do
  [ -x "$b" ] || { echo "haproxy.sh: missing $b" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/lotse-haproxy.XXXXXX) || exit 1
pids=() failed=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)"
head -c 32 /dev/urandom >"$tmp/resume.key"

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_instance N: a lotse serve on free ports; sets url_N, staff_N, kiosk_N
start_instance() {
  local n=$1 d=$tmp/i$1
  mkdir -p "$d"
  cat >"$d/lotse.yaml" <<EOF
{"flows": "$source_dir/flows", "catalogues": "$build/po", "ui": "$source_dir/kiosk-ui",
 "database": "$d/lotse.db", "resume_key_file": "$tmp/resume.key", "log_level": "warning",
 "max_sessions": 100000,
 "limits": {"socket_connections": 60000, "socket_per_address": 60000},
 "listen": {"kiosk": "127.0.0.1:0", "socket": "127.0.0.1:0", "staff": "127.0.0.1:0"}}
EOF
  "$lotse" serve --config "$d/lotse.yaml" >"$d/out" 2>"$d/err" &
  pids+=($!)
  for _ in $(seq 400); do
    if grep -q '^staff/ops:' "$d/out"; then
      eval "url_$n=$(sed -n 's/^conversation socket: \(ws:[^ ]*\)$/\1/p' "$d/out")"
      eval "staff_$n=$(sed -n 's#^staff/ops: http://127.0.0.1:\([0-9]*\)/$#\1#p' "$d/out")"
      eval "kiosk_$n=$(sed -n 's#^kiosk page: http://127.0.0.1:\([0-9]*\)/$#\1#p' "$d/out")"
      return 0
    fi
    sleep 0.025
  done
  echo "haproxy.sh: instance $n did not start:" >&2; cat "$d/err" >&2
  exit 1
}

# start_haproxy K: HAProxy over instances 1..K; sets proxy_url, proxy_pid
start_haproxy() {
  local k=$1 port sock="" page=""
  port=$(free_port)
  for i in $(seq 1 "$k"); do
    local u=url_$i s=staff_$i p=kiosk_$i
    local sp=${!u##*:}; sp=${sp%/}
    sock+="    server i$i 127.0.0.1:$sp check port ${!s} inter 1000"$'\n'
    page+="    server i$i 127.0.0.1:${!p} check inter 1000"$'\n'
  done
  python3 - "$source_dir/docs/examples/haproxy-lotse.cfg" "$tmp/haproxy-$k.cfg" "127.0.0.1:$port" \
    "$sock" "$page" <<'PY'
import sys
src, dst, bind, sock, page = sys.argv[1:]
cfg = open(src).read().replace("@BIND@", bind).replace("@SOCKET_SERVERS@", sock.rstrip("\n"))
open(dst, "w").write(cfg.replace("@PAGE_SERVERS@", page.rstrip("\n")))
PY
  /usr/sbin/haproxy -db -f "$tmp/haproxy-$k.cfg" >"$tmp/haproxy-$k.log" 2>&1 &
  proxy_pid=$!
  pids+=($proxy_pid)
  for _ in $(seq 400); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { proxy_url="ws://127.0.0.1:$port/socket"; return 0; }
    sleep 0.025
  done
  echo "haproxy.sh: HAProxy did not start:" >&2; cat "$tmp/haproxy-$k.log" >&2
  exit 1
}

# measure URL: prints turns/s (closed loop, random walk through the conversations)
measure() {
  local out
  out=$("$load" --url "$1" --sessions "$sessions" --duration "$duration" --warmup "$warmup" 2>"$tmp/load.err")
  local rc=$?
  local line
  line=$(grep '^RESULT ' <<<"$out" | tail -1)
  local errors
  errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<" $line")
  if [ $rc -ne 0 ] || [ -z "$line" ] || [ "${errors:-1}" != 0 ]; then
    echo "haproxy.sh: load run on $1 failed (exit $rc): $line" >&2
    cat "$tmp/load.err" >&2
    failed=1
    echo 0
    return
  fi
  sed -n 's/.* turns_per_s=\([0-9.]*\).*/\1/p' <<<" $line"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for i in 1 2 3; do start_instance $i; done
declare -A res
for k in 1 2 3; do
  start_haproxy "$k"
  eval "proxy_$k=\$proxy_url"
  eval "ppid_$k=\$proxy_pid"
done
sleep 1   # HAProxy's first health checks
for r in $(seq 1 "$rounds"); do
  res[direct]+=" $(measure "$url_1")"
  for k in 1 2 3; do
    u=proxy_$k
    res[h$k]+=" $(measure "${!u}")"
  done
done
direct=$(median <<<"${res[direct]}")
printf '\nturns/s, %s sessions, closed loop, median of %s rounds of %s s (%s cores)\n' \
  "$sessions" "$rounds" "$duration" "$(nproc)"
printf '%-34s %10s %8s\n' "" "turns/s" "ratio"
printf '%-34s %10.0f %8s\n' "one instance, direct (baseline)" "$direct" "1.00"
for k in 1 2 3; do
  v=$(median <<<"${res[h$k]}")
  printf '%-34s %10.0f %8s\n' "HAProxy, $k instance(s)" "$v" "$(awk "BEGIN { printf \"%.2f\", $v / $direct }")"
done
exit $failed
