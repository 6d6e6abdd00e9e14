#!/bin/bash
# run.sh - the Lotse benchmark: `lotse serve` against a bare libwebsockets
# echo server (the limit of the stack), measured with the same WebSocket
# client, with our/baseline ratios and the targets of docs/benchmarks.md.
#
# It builds nothing. Give the binaries (--lotse, --echo, --load) or a build
# folder (--build DIR: DIR/lotse, DIR/bench/lotse-bench-echo, ...).
# Informational, not a test: missed targets are marked, but the exit status
# is non-zero only if something errored (a server did not start, a client
# counted errors or was abandoned).
#
#   bench/run.sh --build build-bench
#   bench/run.sh --build build-bench --sessions 1000 --idle-sessions 10000 --think 1000
set -u

usage() {
  cat <<'USAGE'
usage: bench/run.sh (--build DIR | --lotse BIN --echo BIN --load BIN) [options]
  --source DIR         repository root (flows/, kiosk-ui/; default: this script's ..)
  --mo-dir DIR         compiled catalogues (default: BUILD/po)
  --sessions N         concurrent sessions for throughput and latency (default 1000)
  --idle-sessions N    idle sessions for RSS per session (default 10000)
  --duration S         measuring window per run (default 10)
  --warmup S           unmeasured seconds after the ramp (default 2)
  --think MS           mean think time of the paced latency run (default 1000)
  --rounds N           alternate echo and lotse runs N times, report medians (default 3)
  --echo-evlib ev|uv|poll  event library of the baseline echo server: give the one lotse
                       uses (default: ev, as lotse's default `event_loop: libev`; poll for
                       lws's own poll() loop, to compare with `event_loop: poll`)
  --no-crowd           skip the paced run with --idle-sessions sessions
  --tenant T --lang L  sent in "start" (default: the server's defaults)
  --origin URL         Origin header for the handshake
  --resume-key         give lotse a resume_key_file (sealed resume tokens, docs/scaling.md)
  --keep               keep the temporary folder (logs, config, database)
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/.." && pwd)
build= lotse= echo_bin= load= mo_dir=
sessions=1000 idle_sessions=10000 duration=10 warmup=2 think=1000 rounds=3
tenant= lang= origin= keep=0 echo_evlib=ev crowd=1 resume_key=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift ;;
    --lotse) lotse=$2; shift ;;
    --echo) echo_bin=$2; shift ;;
    --load) load=$2; shift ;;
    --source) source_dir=$2; shift ;;
    --mo-dir) mo_dir=$2; shift ;;
    --sessions) sessions=$2; shift ;;
    --idle-sessions) idle_sessions=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --think) think=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --echo-evlib) echo_evlib=$2; [ "$echo_evlib" = poll ] && echo_evlib=; shift ;;
    --no-crowd) crowd=0 ;;
    --tenant) tenant=$2; shift ;;
    --lang) lang=$2; shift ;;
    --origin) origin=$2; shift ;;
    --keep) keep=1 ;;
    --resume-key) resume_key=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$build" ]; then
  build=$(cd "$build" && pwd) || exit 2
  : "${lotse:=$build/lotse}" "${echo_bin:=$build/bench/lotse-bench-echo}"
  : "${load:=$build/bench/lotse-bench-load}" "${mo_dir:=$build/po}"
fi
for b in "$lotse" "$echo_bin" "$load"; do
  if [ -z "$b" ] || [ ! -x "$b" ]; then
    echo "run.sh: not an executable: '${b}' (give --build or --lotse/--echo/--load)" >&2
    exit 2
  fi
done
[ -n "$mo_dir" ] || { echo "run.sh: give --mo-dir" >&2; exit 2; }
mo_dir=$(cd "$mo_dir" && pwd) || exit 2
source_dir=$(cd "$source_dir" && pwd) || exit 2

tmp=$(mktemp -d /tmp/lotse-bench.XXXXXX) || exit 1
failed=0
# Servers: echo and lotse may run side by side (an idle server costs
# nothing), so the rounds can alternate between them.
echo_pid= lotse_pid= ev_pid= echo_url= lotse_url= ev_url= first=
stop_pid() { if [ -n "$1" ]; then kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; fi; }
stop_echo() { stop_pid "$echo_pid"; echo_pid=; }
stop_ev() { stop_pid "$ev_pid"; ev_pid=; }
stop_lotse() { stop_pid "$lotse_pid"; lotse_pid=; }
cleanup() {
  stop_echo
  stop_ev
  stop_lotse
  if [ "$keep" = 1 ]; then echo "run.sh: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)"

note() { printf '%s\n' "$*" >&2; }
# Called in subshells too ($(measure ...)): the mark is a file.
fail() { note "run.sh: $*"; touch "$tmp/failed"; }

# The value of key in a RESULT line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
# Floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# Waits until the server's stdout shows the conversation socket URL.
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

# A free loopback port (for the start-to-first-step run, which must know the
# port before the server is up).
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

client_args=()
[ -n "$tenant" ] && client_args+=(--tenant "$tenant")
[ -n "$lang" ] && client_args+=(--lang "$lang")
[ -n "$origin" ] && client_args+=(--origin "$origin")

# Runs the load generator; prints its RESULT line; logs its output.
measure() {  # log_name load args...
  local name=$1 rc; shift
  "$load" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  rc=$?
  cat "$tmp/$name.out" >&2
  if [ $rc -ne 0 ]; then
    fail "$name: load generator exit $rc"
    head -5 "$tmp/$name.err" >&2
  fi
  grep '^RESULT ' "$tmp/$name.out" | tail -1
}

start_echo() {
  "$echo_bin" --port 0 ${echo_evlib:+--evlib "$echo_evlib"} >"$tmp/echo.stdout" \
    2>"$tmp/echo.stderr" &
  echo_pid=$!
  echo_url=$(wait_url "$tmp/echo.stdout" "$echo_pid") || {
    fail "the echo server did not start"; cat "$tmp/echo.stderr" >&2; return 1; }
}

# A second echo server on libev (epoll): what the stack can do when its
# event loop does not visit every connection on every wakeup.
start_ev() {
  "$echo_bin" --port 0 --evlib ev >"$tmp/echo-ev.stdout" 2>"$tmp/echo-ev.stderr" &
  ev_pid=$!
  ev_url=$(wait_url "$tmp/echo-ev.stdout" "$ev_pid") || {
    fail "the echo server (libev) did not start"; cat "$tmp/echo-ev.stderr" >&2; return 1; }
}

write_config() {  # port db
  [ "$resume_key" = 1 ] && [ ! -s "$tmp/resume.key" ] && head -c 32 /dev/urandom >"$tmp/resume.key"
  cat >"$tmp/lotse.yaml" <<CONFIG
flows: $source_dir/flows
catalogues: $mo_dir
ui: $source_dir/kiosk-ui
database: $2
listen:
  kiosk: 127.0.0.1:0
  socket: 127.0.0.1:$1
  staff: 127.0.0.1:0
log_level: warning
$( [ "$resume_key" = 1 ] && echo "resume_key_file: $tmp/resume.key" )
# every load client connects from 127.0.0.1 (docs/operating.md, "Limits")
limits:
  socket_connections: $(( idle_sessions > sessions ? idle_sessions + 100 : sessions + 100 ))
  socket_per_address: $(( idle_sessions > sessions ? idle_sessions + 100 : sessions + 100 ))
CONFIG
}

# Starts lotse serve on a fixed port and measures exec -> first step served
# (into $first).
start_lotse() {  # name db
  local port t0
  port=$(free_port) || { fail "no free port"; return 1; }
  write_config "$port" "$2"
  t0=$(date +%s%N)
  (cd "$tmp" && exec "$lotse" serve --config "$tmp/lotse.yaml") \
    >"$tmp/lotse-$1.stdout" 2>"$tmp/lotse-$1.stderr" &
  lotse_pid=$!
  first=$(measure "first-step-$1" --mode lotse --first-step --since "$t0" \
          --url "ws://127.0.0.1:$port/" --connect-timeout 30 --server-pid "$lotse_pid" \
          "${client_args[@]}")
  lotse_url=$(wait_url "$tmp/lotse-$1.stdout" "$lotse_pid") || {
    fail "lotse serve did not start"; tail -20 "$tmp/lotse-$1.stderr" >&2; return 1; }
}

run_turns() {  # name mode url pid think [more load options]
  local name=$1 mode=$2 u=$3 pid=$4 th=$5
  shift 5
  measure "$name" --mode "$mode" --url "$u" --sessions "$sessions" --duration "$duration" \
    --warmup "$warmup" --think "$th" --server-pid "$pid" "${client_args[@]}" "$@"
}

# The paced run with the idle-session count: the same turn rate as the
# paced run, spread over many more connections.
crowd_think=$(awk "BEGIN { print $think * $idle_sessions / $sessions }")
run_crowd() {  # name mode url pid
  measure "$1" --mode "$2" --url "$3" --sessions "$idle_sessions" --duration "$duration" \
    --warmup "$(awk "BEGIN { print $warmup + $crowd_think / 1000 }")" --think "$crowd_think" \
    --server-pid "$4" "${client_args[@]}"
}

run_idle() {  # name mode url pid
  measure "$1" --mode "$2" --url "$3" --sessions "$idle_sessions" --idle --duration 0 \
    --server-pid "$4" "${client_args[@]}"
}

# The median over rounds of one field of RESULT lines (one per line).
median() {  # lines key
  local v
  v=$(while IFS= read -r line; do [ -n "$line" ] && field "$line" "$2"; done <<<"$1" | sort -g)
  [ -z "$v" ] && return
  awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2];
                            else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }' <<<"$v"
}

lws_version=$(dpkg-query -W -f '${Version}' libwebsockets17 2>/dev/null || echo '?')
cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
note "== machine: $(nproc) cores, $cpu_model, $(uname -r), libwebsockets $lws_version," \
     "load average $load_before"
if awk "BEGIN { exit !(${load_before%% *} > 0.5) }"; then
  note "== warning: the machine is busy (load average $load_before): other processes share" \
       "the cores, so the figures (tail latencies above all) will be noisy"
fi
note "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  sessions=$sessions idle=$idle_sessions" \
     "duration=${duration}s warmup=${warmup}s think=${think}ms rounds=$rounds" \
     "echo-evlib=${echo_evlib:-poll}"

# 1. lotse's start on a new database, stopped at once; then a start on that
#    (nearly empty) database for the runs, with the echo servers next to it.
#    The rounds alternate between lotse and echo so that noise from other
#    processes on the machine hits both alike; the table shows the median of
#    the rounds.
first_cold= first_warm= first_loaded=
E_closed= E_big= E_paced= V_paced= L_closed= L_paced= E_idle= L_idle=
E_crowd= V_crowd= L_crowd=
if start_lotse cold "$tmp/lotse.db"; then first_cold=$first; fi
stop_lotse
if start_lotse warm "$tmp/lotse.db"; then first_warm=$first; fi
start_echo
start_ev
if [ -n "$echo_url" ] && [ -n "$lotse_url" ] && [ -n "$ev_url" ]; then
  for r in $(seq "$rounds"); do
    note "== round $r of $rounds"
    E_closed+=$(run_turns "echo-closed-$r" echo "$echo_url" "$echo_pid" 0)$'\n'
    L_closed+=$(run_turns "lotse-closed-$r" lotse "$lotse_url" "$lotse_pid" 0)$'\n'
    E_big+=$(run_turns "echo-big-closed-$r" echo "$echo_url" "$echo_pid" 0 \
             --message-size 500)$'\n'
    E_paced+=$(run_turns "echo-paced-$r" echo "$echo_url" "$echo_pid" "$think")$'\n'
    L_paced+=$(run_turns "lotse-paced-$r" lotse "$lotse_url" "$lotse_pid" "$think")$'\n'
    V_paced+=$(run_turns "echo-ev-paced-$r" echo "$ev_url" "$ev_pid" "$think")$'\n'
  done
  if [ "$crowd" = 1 ]; then
    note "== $idle_sessions sessions, think $crowd_think ms"
    E_crowd=$(run_crowd echo-crowd echo "$echo_url" "$echo_pid")
    L_crowd=$(run_crowd lotse-crowd lotse "$lotse_url" "$lotse_pid")
    V_crowd=$(run_crowd echo-ev-crowd echo "$ev_url" "$ev_pid")
  fi
fi
stop_echo
stop_ev
stop_lotse

# 2. Idle sessions, each on a freshly started server. lotse now starts on the
#    database the runs above left: it saved the conversations that were open
#    (up to max_sessions) to be resumed, and restores them while starting.
if start_echo; then E_idle=$(run_idle echo-idle echo "$echo_url" "$echo_pid"); fi
stop_echo
if start_lotse loaded "$tmp/lotse.db"; then
  first_loaded=$first
  L_idle=$(run_idle lotse-idle lotse "$lotse_url" "$lotse_pid")
fi
stop_lotse

# ---- the table ---------------------------------------------------------------
val() { local v; v=$(field "$1" "$2"); echo "${v:--}"; }
us_ms() { if [ -n "$1" ]; then calc "$1 / 1000" 3; else echo "-"; fi; }
ratio() { if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then calc "$1 / $2" 2; else echo "-"; fi; }
mark() { case $1 in 1) echo PASS ;; 0) echo MISS ;; *) echo "?" ;; esac; }
# 1 if a <= b, 0 if not, ? if either is not a number.
le() {
  if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]]; then awk "BEGIN { print ($1 <= $2) ? 1 : 0 }"
  else echo "?"; fi
}
kib() { if [ -n "$1" ]; then calc "$1 / 1024" 2; else echo "-"; fi; }

l_rate=$(median "$L_closed" turns_per_s) e_rate=$(median "$E_closed" turns_per_s)
b_rate=$(median "$E_big" turns_per_s)
rate_ratio=$(ratio "$l_rate" "$e_rate")
l_p99=$(us_ms "$(median "$L_paced" p99_us)")
l_idle_b=$(field "$L_idle" rss_per_session_b) e_idle_b=$(field "$E_idle" rss_per_session_b)
l_idle_kib=$(kib "$l_idle_b") e_idle_kib=$(kib "$e_idle_b")
fc=$(field "$first_cold" first_step_ms) fw=$(field "$first_warm" first_step_ms)
fl=$(field "$first_loaded" first_step_ms)
# The total, then where the time went: socket accepting, its first frame.
first_row() {  # label result
  local t c h
  t=$(field "$2" first_step_ms) c=$(field "$2" connect_ms) h=$(field "$2" hello_ms)
  row "$1" "${t:--}" "" ""
  if [ -n "$c" ]; then
    row "  socket accepting after" "$c" "" ""
    row "  socket's first frame after" "$h" "" ""
  fi
}

row() { printf '| %-46s | %10s | %10s | %6s |\n' "$@"; }
echo
echo "Lotse benchmark $(date -u +%Y-%m-%d), $(nproc) cores ($cpu_model); load average" \
     "$load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after; median of $rounds rounds"
echo
row "figure" "lotse" "echo (${echo_evlib:-poll})" "ratio"
row "----" "---:" "---:" "---:"
row "turns/s, $sessions sessions, closed loop" "${l_rate:--}" "${e_rate:--}" "$rate_ratio"
for q in p50 p99 p999; do
  lv=$(median "$L_closed" ${q}_us) ev=$(median "$E_closed" ${q}_us)
  row "  latency $q ms, closed loop" "$(us_ms "$lv")" "$(us_ms "$ev")" "$(ratio "$lv" "$ev")"
done
row "  turns/s, echo of 500-byte messages" "" "${b_rate:--}" "$(ratio "$l_rate" "$b_rate")"
row "turns/s, $sessions sessions, think ${think} ms" "$(median "$L_paced" turns_per_s)" \
    "$(median "$E_paced" turns_per_s)" ""
for q in p50 p99 p999; do
  lv=$(median "$L_paced" ${q}_us) ev=$(median "$E_paced" ${q}_us)
  row "  latency $q ms, think ${think} ms" "$(us_ms "$lv")" "$(us_ms "$ev")" "$(ratio "$lv" "$ev")"
done
row "  latency p50 ms, think ${think} ms, echo on libev" "" \
    "$(us_ms "$(median "$V_paced" p50_us)")" ""
row "  latency p99 ms, think ${think} ms, echo on libev" "" \
    "$(us_ms "$(median "$V_paced" p99_us)")" ""
row "  server CPU (cores), think ${think} ms" "$(median "$L_paced" server_cpu)" \
    "$(median "$E_paced" server_cpu)" ""
row "  server CPU (cores), think ${think} ms, libev" "" "$(median "$V_paced" server_cpu)" ""
if [ "$crowd" = 1 ]; then
  row "turns/s, $idle_sessions sessions, think ${crowd_think} ms" \
      "$(val "$L_crowd" turns_per_s)" "$(val "$E_crowd" turns_per_s)" ""
  for q in p50 p99 p999; do
    lv=$(field "$L_crowd" ${q}_us) ev=$(field "$E_crowd" ${q}_us)
    row "  latency $q ms, $idle_sessions sessions" "$(us_ms "$lv")" "$(us_ms "$ev")" \
        "$(ratio "$lv" "$ev")"
  done
  row "  latency p99 ms, $idle_sessions sessions, echo on libev" "" \
      "$(us_ms "$(field "$V_crowd" p99_us)")" ""
  row "  server CPU (cores), $idle_sessions sessions" "$(val "$L_crowd" server_cpu)" \
      "$(val "$E_crowd" server_cpu)" ""
  row "  server CPU (cores), $idle_sessions sessions, libev" "" "$(val "$V_crowd" server_cpu)" ""
fi
row "server CPU (cores), closed loop" "$(median "$L_closed" server_cpu)" \
    "$(median "$E_closed" server_cpu)" ""
row "client CPU (cores), closed loop" "$(median "$L_closed" client_cpu)" \
    "$(median "$E_closed" client_cpu)" ""
row "RSS KiB per idle session, $idle_sessions sessions" "$l_idle_kib" "$e_idle_kib" \
    "$(ratio "$l_idle_b" "$e_idle_b")"
first_row "start to first step ms, new database" "$first_cold"
first_row "start to first step ms, existing database" "$first_warm"
first_row "start to first step ms, after the load runs" "$first_loaded"
echo
echo "targets (informational):"
printf '  %-62s %s\n' \
  "turns/s >= 50% of echo: ratio ${rate_ratio}" "$(mark "$(le 0.5 "${rate_ratio}")")" \
  "p99 < 2 ms at $sessions sessions (think ${think} ms): ${l_p99} ms" \
      "$(mark "$(le "${l_p99}" 1.9999)")" \
  "<= 16 KiB RSS per idle session at $idle_sessions: ${l_idle_kib} KiB" \
      "$(mark "$(le "${l_idle_kib}" 16)")" \
  "< 200 ms start to first step (new database): ${fc:--} ms" \
      "$(mark "$(le "${fc:--}" 199.999)")" \
  "< 200 ms start to first step (existing database): ${fw:--} ms" \
      "$(mark "$(le "${fw:--}" 199.999)")" \
  "< 200 ms start to first step (after the load runs): ${fl:--} ms" \
      "$(mark "$(le "${fl:--}" 199.999)")"
runs=("$E_closed" "$E_big" "$E_paced" "$V_paced" "$E_idle" "$L_closed" "$L_paced" "$L_idle"
      "$first_cold" "$first_warm" "$first_loaded")
[ "$crowd" = 1 ] && runs+=("$E_crowd" "$L_crowd" "$V_crowd")
for r in "${runs[@]}"; do
  [ -z "${r//$'\n'/}" ] && failed=1
done
[ -e "$tmp/failed" ] && failed=1
if [ "$failed" != 0 ]; then
  echo "run.sh: something failed (see above); the figures are incomplete" >&2
  exit 1
fi
exit 0
