#!/bin/bash
# soak.sh - a long run of `lotse serve` (release build) under mixed load, to
# see whether memory and open files stay flat (docs/benchmarks.md, "Soak"):
#   - lotse-bench-load: paced conversations, in rounds of --round seconds, so
#     every round connects all its sessions anew (reconnects);
#   - soak_churn.py: conversations that drop and resume with their token on a
#     new connection, and a staff publish of a flow every --publish seconds
#     (each one a revision, an atomic file write and a reload);
#   - SIGHUP (a full reload) every --reload seconds.
# Every --sample seconds it writes VmRSS (/proc/PID/status) and the number of
# open files (/proc/PID/fd) to a CSV, and at the end prints start, end and
# maximum and the slope of a least-squares line over the second half (KiB
# per minute, fds per minute).
#
#   bench/soak.sh                          # 30 minutes, build-bench/
#   bench/soak.sh --minutes 5 --build build-bench --csv /tmp/soak.csv
set -u

usage() {
  cat <<'USAGE'
usage: bench/soak.sh [--minutes N] [--build DIR] [options]
  --minutes N       length of the run (default 30)
  --build DIR       build folder with lotse, bench/lotse-bench-load, po/ (default build-bench)
  --sessions N      paced conversations of the load generator (default 300)
  --think MS        their mean think time (default 500)
  --round S         seconds per load round; each round reconnects (default 60)
  --resumers N      concurrent drop-and-resume clients (default 4)
  --publish S       seconds between staff publishes (default 20)
  --reload S        seconds between SIGHUPs (default 45)
  --sample S        seconds between samples (default 5)
  --resume-window S the server's resume_window (default 60: dropped sessions
                    are kept this long, so the steady state comes within the first minutes)
  --csv FILE        where the samples go (default /tmp/lotse-soak-DATE-TIME.csv, kept)
  --keep            keep the temporary folder (config, database, logs)
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/.." && pwd)
minutes=30 build=$source_dir/build-bench sessions=300 think=500 round=60 resumers=4
publish=20 reload=45 sample=5 resume_window=60 csv= keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift ;;
    --build) build=$2; shift ;;
    --sessions) sessions=$2; shift ;;
    --think) think=$2; shift ;;
    --round) round=$2; shift ;;
    --resumers) resumers=$2; shift ;;
    --publish) publish=$2; shift ;;
    --reload) reload=$2; shift ;;
    --sample) sample=$2; shift ;;
    --resume-window) resume_window=$2; shift ;;
    --csv) csv=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
build=$(cd "$build" && pwd) || exit 2
lotse=$build/lotse load=$build/bench/lotse-bench-load mo_dir=$build/po
for b in "$lotse" "$load"; do
  [ -x "$b" ] || { echo "soak.sh: not an executable: $b (cmake --build $build --target lotse catalogues bench)" >&2; exit 2; }
done
[ -d "$mo_dir" ] || { echo "soak.sh: no catalogues in $mo_dir (build the target catalogues)" >&2; exit 2; }
if grep -q 'CMAKE_BUILD_TYPE:STRING=Debug' "$build/CMakeCache.txt" 2>/dev/null ||
   grep -q 'LOTSE_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "soak.sh: warning: $build is a debug or sanitizer build; the figures mean little" >&2
fi

tmp=$(mktemp -d /tmp/lotse-soak.XXXXXX) || exit 1
[ -n "$csv" ] || csv=/tmp/lotse-soak-$(date +%Y%m%d-%H%M%S).csv
lotse_pid= churn_pid= load_pid=
cleanup() {
  for p in $load_pid $churn_pid $lotse_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  if [ "$keep" = 1 ]; then echo "soak.sh: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)"

# The content is a copy: the publishes write into it.
cp -r "$source_dir/flows" "$tmp/flows"
cp -r "$source_dir/po" "$tmp/po"
cp -r "$mo_dir" "$tmp/catalogues"
cat >"$tmp/lotse.yaml" <<CONFIG
flows: $tmp/flows
catalogues: $tmp/catalogues
po: $tmp/po
ui: $source_dir/kiosk-ui
database: $tmp/lotse.db
listen:
  kiosk: 127.0.0.1:0
  socket: 127.0.0.1:0
  staff: 127.0.0.1:0
log_level: warning
resume_window: $resume_window
# every client connects from 127.0.0.1 (docs/operating.md, "Limits")
limits:
  socket_connections: $(( sessions + 1000 ))
  socket_per_address: $(( sessions + 1000 ))
CONFIG
password=soak-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
printf '%s\n' "$password" | "$lotse" staff add soak --role editor --office '*' --config "$tmp/lotse.yaml" \
  >/dev/null 2>"$tmp/staff-add.err" || { cat "$tmp/staff-add.err" >&2; exit 1; }

(cd "$tmp" && exec "$lotse" serve --config "$tmp/lotse.yaml") >"$tmp/lotse.stdout" 2>"$tmp/lotse.stderr" &
lotse_pid=$!
url() { sed -n "s/^$1: \(.*\)$/\1/p" "$tmp/lotse.stdout"; }
for _ in $(seq 400); do
  [ -n "$(url 'staff\/ops')" ] && break
  kill -0 "$lotse_pid" 2>/dev/null || break
  sleep 0.05
done
socket_url=$(url 'conversation socket') staff_url=$(url 'staff\/ops')
[ -n "$socket_url" ] && [ -n "$staff_url" ] || {
  echo "soak.sh: lotse serve did not start" >&2; tail -20 "$tmp/lotse.stderr" >&2; exit 1; }

seconds=$(( minutes * 60 ))
t0=$(date +%s)
end=$(( t0 + seconds ))
echo "soak.sh: lotse pid $lotse_pid, $minutes min, $sessions paced sessions (think $think ms," \
     "rounds of $round s), $resumers resumers, publish every $publish s, SIGHUP every $reload s;" \
     "samples in $csv" >&2

/usr/bin/python3 "$here/soak_churn.py" --socket "$socket_url" --staff "$staff_url" \
  --seconds "$seconds" --publish-every "$publish" --resumers "$resumers" \
  --password "$password" >"$tmp/churn.out" 2>"$tmp/churn.err" &
churn_pid=$!

# Load rounds, one after the other, in the background; the last one ends
# after the sampling, so the samples never see the load stop.
(
  r=0 child=
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM
  while :; do
    left=$(( end + 15 - $(date +%s) ))
    [ "$left" -gt 5 ] || break
    d=$(( left < round ? left - 2 : round - 2 ))
    [ "$d" -ge 1 ] || break
    r=$(( r + 1 ))
    "$load" --url "$socket_url" --sessions "$sessions" --think "$think" --duration "$d" \
      --warmup 1 --seed "$r" >"$tmp/load-$r.out" 2>"$tmp/load-$r.err" &
    child=$!
    wait "$child" || echo "round $r: exit $?" >>"$tmp/load-failed"
    child=
  done
) &
load_pid=$!

# One metric from /metrics (bash's /dev/tcp: no HTTP client needed).
staff_hostport=${staff_url#http://}; staff_hostport=${staff_hostport%/}
scrape() {  # metric name
  local line
  exec 3<>"/dev/tcp/${staff_hostport%:*}/${staff_hostport##*:}" || return 1
  printf 'GET /metrics HTTP/1.0\r\nHost: %s\r\n\r\n' "$staff_hostport" >&3
  while IFS= read -r line <&3; do
    case $line in "$1 "*) echo "${line##* }" ;; esac
  done
  exec 3<&-
}

# fds counts every open file; connections is what the listeners count at
# about the same moment, so fds - connections is the server's own files
# (listeners, database, content, pipes), which must stay flat.
echo "seconds,rss_kib,fds,connections,sessions" >"$csv"
next_reload=$(( t0 + reload ))
while :; do
  now=$(date +%s)
  [ "$now" -lt "$end" ] || break
  kill -0 "$lotse_pid" 2>/dev/null || { echo "soak.sh: lotse serve died" >&2; tail -20 "$tmp/lotse.stderr" >&2; exit 1; }
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$lotse_pid/status")
  fds=$(ls "/proc/$lotse_pid/fd" | wc -l)
  conns=$(( $(scrape 'lotse_listener_connections{listener="socket"}') + 0 ))
  sess=$(( $(scrape lotse_sessions_open) + 0 ))
  echo "$(( now - t0 )),$rss,$fds,$conns,$sess" >>"$csv"
  if [ "$now" -ge "$next_reload" ]; then
    kill -HUP "$lotse_pid"
    next_reload=$(( next_reload + reload ))
  fi
  sleep "$sample"
done

wait "$load_pid"; load_pid=
wait "$churn_pid"; churn_rc=$?; churn_pid=
metrics=$(/usr/bin/python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "metrics", timeout=30).read().decode())' "$staff_url")
kill -TERM "$lotse_pid"; wait "$lotse_pid"; lotse_rc=$?; lotse_pid=

rounds=$(ls "$tmp"/load-*.out 2>/dev/null | wc -l)
turns=$(cat "$tmp"/load-*.out 2>/dev/null | sed -n 's/^RESULT .* turns=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
load_errors=$(cat "$tmp"/load-*.out 2>/dev/null | sed -n 's/^RESULT .* errors=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
metric() { sed -n "s/^$1 //p" <<<"$metrics"; }
log_errors=$(grep -c ': error: ' "$tmp/lotse.stderr")
echo "load: $rounds rounds, $turns turns, $load_errors errors$( [ -f "$tmp/load-failed" ] && echo ", failed: $(tr '\n' ' ' <"$tmp/load-failed")")"
echo "churn: $(sed -n 's/^CHURN //p' "$tmp/churn.out") (exit $churn_rc)"
sed -n 's/^/churn: /p' "$tmp/churn.err" | head -5
echo "server: exit $lotse_rc, $log_errors error lines in its log; reloads ok $(metric 'lotse_reloads_total{result="ok"}')," \
     "failed $(metric 'lotse_reloads_total{result="failed"}'); content generation $(metric lotse_content_generation)"
grep ': error: ' "$tmp/lotse.stderr" | head -5

# start/end/max, and the least-squares slope over the second half, per minute
awk -F, -v half=$(( seconds / 2 )) '
  NR == 1 { next }
  { t = $1; r = $2; f = $3; o = $3 - $4
    if (n == 0) { r0 = r; f0 = f; o0 = o }
    n++; r1 = r; f1 = f; o1 = o
    if (r > rmax) rmax = r
    if (f > fmax) fmax = f
    if (n == 1 || o > omax) omax = o
    if (t >= half) { m++; st += t; sr += r; sf += f; so += o; stt += t * t; str += t * r
                     stf += t * f; sto += t * o } }
  END {
    d = m * stt - st * st
    rs = d > 0 ? (m * str - st * sr) / d * 60 : 0
    fs = d > 0 ? (m * stf - st * sf) / d * 60 : 0
    os = d > 0 ? (m * sto - st * so) / d * 60 : 0
    printf "samples: %d (second half: %d)\n", n, m
    printf "rss_kib: start %d end %d max %d slope(second half) %+.1f KiB/min\n", r0, r1, rmax, rs
    printf "fds: start %d end %d max %d slope(second half) %+.2f fds/min\n", f0, f1, fmax, fs
    printf "fds without connections: start %d end %d max %d slope(second half) %+.2f fds/min\n", o0, o1, omax, os
  }' "$csv"
status=0
[ "$churn_rc" = 0 ] && [ "$lotse_rc" = 0 ] && [ ! -f "$tmp/load-failed" ] || status=1
exit $status
