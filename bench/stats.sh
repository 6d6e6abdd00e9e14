#!/bin/bash
# stats.sh - what the anonymous statistics (docs/privacy.md) cost: the same
# `lotse serve` binary twice side by side, once with `stats.enabled: true`
# (flushing every --flush seconds, so writes fall into every window) and once
# with `stats.enabled: false`, each on its own new database, driven in
# alternating closed-loop rounds by the same load generator (bench/load.c).
# Prints the median turns per second and server CPU per turn of each, and
# the ratio on/off (the issue wants a drop below 5 %). Informational, not a
# test: the exit status is non-zero only if something errored.
#
#   bench/stats.sh --build build-bench
#   bench/stats.sh --build build-bench --sessions 200 --duration 10 --rounds 5
set -u

usage() {
  cat <<'USAGE'
usage: bench/stats.sh --build DIR [options]
  --source DIR     repository root (flows/; default: this script's ..)
  --sessions N     concurrent sessions, closed loop (default 200)
  --duration S     measuring window per run (default 10)
  --warmup S       unmeasured seconds after the ramp (default 2)
  --rounds N       alternate off and on N times, report medians (default 5)
  --flush S        stats.flush_seconds of the server with statistics (default 2)
  --keep           keep the temporary folder (logs, configs, databases)
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/.." && pwd)
build= sessions=200 duration=10 warmup=2 rounds=5 flush=2 keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --source) source_dir=$2; shift ;;
    --sessions) sessions=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --flush) flush=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "stats.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ -n "$build" ] || { usage >&2; exit 2; }
build=$(cd "$build" && pwd) || exit 2
lotse=$build/lotse load=$build/bench/lotse-bench-load mo_dir=$build/po
for b in "$lotse" "$load"; do
  [ -x "$b" ] || { echo "stats.sh: not an executable: $b" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/lotse-bench-stats.XXXXXX) || exit 1
failed=0
pid_on= pid_off= url_on= url_off=
stop_pid() { if [ -n "$1" ]; then kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; fi; }
cleanup() {
  stop_pid "$pid_on"
  stop_pid "$pid_off"
  if [ "$keep" = 1 ]; then echo "stats.sh: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)"

note() { printf '%s\n' "$*" >&2; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

wait_url() {  # out_file pid
  local url
  for _ in $(seq 400); do
    url=$(sed -n 's/^conversation socket: \(ws:[^ ]*\)$/\1/p' "$1")
    if [ -n "$url" ]; then echo "$url"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.025
  done
  return 1
}

start() {  # name enabled -> sets pid_<name>, url_<name>
  local name=$1 enabled=$2 pid url
  mkdir -p "$tmp/$name"
  cat >"$tmp/$name/lotse.yaml" <<CONFIG
flows: $source_dir/flows
catalogues: $mo_dir
ui: $source_dir/kiosk-ui
database: $tmp/$name/lotse.db
listen:
  kiosk: 127.0.0.1:0
  socket: 127.0.0.1:0
  staff: 127.0.0.1:0
log_level: warning
stats:
  enabled: $enabled
  flush_seconds: $flush
limits:
  socket_connections: $(( sessions + 100 ))
  socket_per_address: $(( sessions + 100 ))
CONFIG
  (cd "$tmp/$name" && exec "$lotse" serve --config "$tmp/$name/lotse.yaml") \
    >"$tmp/$name/stdout" 2>"$tmp/$name/stderr" &
  pid=$!
  url=$(wait_url "$tmp/$name/stdout" "$pid") || {
    note "stats.sh: lotse ($name) did not start"; tail -20 "$tmp/$name/stderr" >&2; exit 1; }
  printf -v "pid_$name" '%s' "$pid"
  printf -v "url_$name" '%s' "$url"
}

measure() {  # name url pid
  local out=$tmp/$1.$r.out rc
  "$load" --mode lotse --url "$2" --sessions "$sessions" --duration "$duration" \
    --warmup "$warmup" --think 0 --server-pid "$3" >"$out" 2>"$tmp/$1.$r.err"
  rc=$?
  if [ $rc -ne 0 ]; then note "stats.sh: $1: load generator exit $rc"; failed=1; fi
  grep '^RESULT ' "$out" | tail -1
}

median() {  # lines key
  local v
  v=$(while IFS= read -r line; do [ -n "$line" ] && field "$line" "$2"; done <<<"$1" | sort -g)
  [ -z "$v" ] && return
  awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2];
                            else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }' <<<"$v"
}

cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
note "== machine: $(nproc) cores, $cpu_model, load average $(cut -d' ' -f1-3 /proc/loadavg)"
note "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  sessions=$sessions duration=${duration}s" \
     "warmup=${warmup}s rounds=$rounds flush=${flush}s, closed loop"
start off false
start on true
R_off= R_on=
for r in $(seq "$rounds"); do
  # alternate which goes first, so a trend in the machine's load hits both alike
  if [ $((r % 2)) = 1 ]; then
    R_off+=$(measure off "$url_off" "$pid_off")$'\n'
    R_on+=$(measure on "$url_on" "$pid_on")$'\n'
  else
    R_on+=$(measure on "$url_on" "$pid_on")$'\n'
    R_off+=$(measure off "$url_off" "$pid_off")$'\n'
  fi
  note "round $r: off $(field "$(tail -2 <<<"$R_off" | head -1)" turns_per_s)/s," \
       "on $(field "$(tail -2 <<<"$R_on" | head -1)" turns_per_s)/s"
done
stop_pid "$pid_on"; pid_on=   # the last counters are written at the stop
stop_pid "$pid_off"; pid_off=

t_off=$(median "$R_off" turns_per_s) t_on=$(median "$R_on" turns_per_s)
c_off=$(median "$R_off" server_cpu) c_on=$(median "$R_on" server_cpu)
p_off=$(median "$R_off" p99_us) p_on=$(median "$R_on" p99_us)
rows=$(/usr/bin/python3 -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("SELECT count(*), coalesce(sum(n), 0) FROM stats_counts").fetchone())' \
  "$tmp/on/lotse.db" 2>/dev/null)
printf '\n%-28s %14s %14s\n' "" "stats off" "stats on"
printf '%-28s %14s %14s\n' "turns/s (median)" "$t_off" "$t_on"
printf '%-28s %14s %14s\n' "server CPU (cores)" "$c_off" "$c_on"
printf '%-28s %14s %14s\n' "server CPU per turn (us)" \
  "$(calc "1e6 * $c_off / $t_off")" "$(calc "1e6 * $c_on / $t_on")"
printf '%-28s %14s %14s\n' "p99 latency (us)" "$p_off" "$p_on"
printf '\nratio on/off: %s (turn rate %s %%)\n' "$(calc "$t_on / $t_off" 3)" \
  "$(calc "100 * ($t_on - $t_off) / $t_off" 1)"
printf 'rows written by the server with statistics (rows, sum of n): %s\n' "$rows"
exit $failed
