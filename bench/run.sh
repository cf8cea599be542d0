#!/usr/bin/env bash
# run.sh: the firstdays benchmark (make bench). Serves a content page with
# firstdays and the same number of bytes with bench/baseline.c (the least a
# libmicrohttpd server can do, same threading mode), drives both with wrk on
# loopback in one run, and prints requests/s of each and their ratio (goal:
# firstdays >= 0.5 of the baseline). Then times page rendering in process.
# Results are printed and written to bench/out/ (ignored by git).
#
# Settings (environment): PAGE=/ DURATION=10 (seconds per measurement)
# THREADS=2 CONNECTIONS=32 (wrk) ROUNDS=3 (interleaved rounds; the medians
# are reported) ITER=20000 (in-process renders) GZIP=0 (1: wrk asks firstdays
# for gzip, as browsers do, and the baseline sends as many bytes as that).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
PAGE=${PAGE:-/}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-3}
ITER=${ITER:-20000}
GZIP=${GZIP:-0}
fd_hdr=()
[ "$GZIP" = 1 ] && fd_hdr=(-H 'Accept-Encoding: gzip')
out=bench/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk, or make deps)" >&2; exit 1; }
for f in "$B/firstdays" "$B/bench/baseline" "$B/bench/render"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench'" >&2; exit 1; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Start a server in the background; wait for its port on stdout.
wait_port() { # file regex
  for _ in $(seq 100); do
    if grep -Eq "$2" "$1" 2>/dev/null; then
      grep -Eo "$2" "$1" | head -n1 | grep -Eo '[0-9]+$'
      return 0
    fi
    sleep 0.1
  done
  echo "bench: server did not start:" >&2
  cat "$1" >&2
  return 1
}

"$B/firstdays" serve --listen 127.0.0.1:0 --db "$tmp/bench.db" --quiet >"$tmp/fd.out" 2>"$tmp/fd.err" &
pids+=($!)
fd_port=$(wait_port "$tmp/fd.out" 'http://127\.0\.0\.1:[0-9]+')
fd_url="http://127.0.0.1:$fd_port$PAGE"

# The body firstdays sends for the page (wrk asks without Accept-Encoding).
status=$(curl -s "${fd_hdr[@]}" -o "$tmp/page.html" -w '%{http_code}' "$fd_url")
if [ "$status" != 200 ]; then
  echo "bench: $fd_url answered $status; choose a page that exists with PAGE=/..." >&2
  exit 1
fi
bytes=$(stat -c %s "$tmp/page.html")

"$B/bench/baseline" 0 "$bytes" >"$tmp/base.out" 2>"$tmp/base.err" &
pids+=($!)
base_port=$(wait_port "$tmp/base.out" 'listening on [0-9]+')
base_url="http://127.0.0.1:$base_port/"
base_bytes=$(curl -s "$base_url" | wc -c)
[ "$base_bytes" = "$bytes" ] || { echo "bench: baseline sent $base_bytes bytes, not $bytes" >&2; exit 1; }

# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_hz=$(getconf CLK_TCK)

# One wrk run: prints "requests/s cpu-us-per-request"; fails on socket errors
# or non-2xx answers. The CPU time the server used per request does not depend
# on what else the machine is doing, unlike requests/s.
measure() { # url label round pid [wrk options]
  local log="$tmp/wrk-$2-$3.txt" c0 c1
  c0=$(cpu_ticks "$4")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${@:5}" "$1" >"$log" 2>&1
  c1=$(cpu_ticks "$4")
  cp "$log" "$out/wrk-$2-$3.txt"
  if grep -q 'Non-2xx' "$log"; then
    echo "bench: $2 answered errors:" >&2
    cat "$log" >&2
    exit 1
  fi
  local rps reqs
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
  reqs=$(awk '/requests in/ {print $1}' "$log")
  awk -v r="$rps" -v n="$reqs" -v t=$((c1 - c0)) -v hz="$tick_hz" \
    'BEGIN {printf "%s %.1f\n", r, (n > 0 ? t * 1e6 / hz / n : 0)}'
}
latency() { # label round: the 99th percentile
  awk '$1 == "99%" {print $2}' "$tmp/wrk-$1-$2.txt"
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

fd_pid=${pids[0]}
base_pid=${pids[1]}
echo "bench: $PAGE is $bytes bytes$([ "$GZIP" = 1 ] && echo ' gzipped'); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
# Warm both up (caches, page faults, TCP) before measuring.
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "${fd_hdr[@]}" "$fd_url" >/dev/null 2>&1
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$base_url" >/dev/null 2>&1

: >"$tmp/rounds"
for r in $(seq "$ROUNDS"); do
  # Alternate which goes first, so a change in the machine's load hits both.
  if ((r % 2)); then
    read -r b bcpu < <(measure "$base_url" baseline "$r" "$base_pid")
    read -r f fcpu < <(measure "$fd_url" firstdays "$r" "$fd_pid" "${fd_hdr[@]}")
  else
    read -r f fcpu < <(measure "$fd_url" firstdays "$r" "$fd_pid" "${fd_hdr[@]}")
    read -r b bcpu < <(measure "$base_url" baseline "$r" "$base_pid")
  fi
  printf '  round %d: baseline %8.0f req/s %6.1f us CPU/req (p99 %s)   firstdays %8.0f req/s %6.1f us CPU/req (p99 %s)\n' \
    "$r" "$b" "$bcpu" "$(latency baseline "$r")" "$f" "$fcpu" "$(latency firstdays "$r")"
  echo "$b $f $bcpu $fcpu" >>"$tmp/rounds"
done
base_rps=$(awk '{print $1}' "$tmp/rounds" | median)
fd_rps=$(awk '{print $2}' "$tmp/rounds" | median)
ratio=$(awk '{printf "%.3f\n", $2 / $1}' "$tmp/rounds" | median)
base_cpu=$(awk '{print $3}' "$tmp/rounds" | median)
fd_cpu=$(awk '{print $4}' "$tmp/rounds" | median)
cpu_ratio=$(awk -v b="$base_cpu" -v f="$fd_cpu" 'BEGIN {printf "%.3f", (f > 0 ? b / f : 0)}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "meets the goal of 0.5" : "BELOW the goal of 0.5"}')

render=$("$B/bench/render" "$ITER" "$PAGE")
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
report="$out/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "firstdays benchmark, $stamp, $(uname -sr), $(nproc) CPUs"
  echo "page $PAGE, $bytes bytes per response$([ "$GZIP" = 1 ] && echo ' (gzip)'), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on loopback"
  echo "medians of $ROUNDS round(s); machine load average at the end $(cut -d' ' -f1 /proc/loadavg)"
  printf 'baseline (libmicrohttpd, fixed buffer)  %10.0f req/s  %6.1f us server CPU per request\n' "$base_rps" "$base_cpu"
  printf 'firstdays                               %10.0f req/s  %6.1f us server CPU per request\n' "$fd_rps" "$fd_cpu"
  echo "ratio firstdays/baseline, requests/s   $ratio ($verdict)"
  echo "ratio baseline/firstdays, CPU/request  $cpu_ratio (the same comparison, independent of other load)"
  echo
  echo "$render"
} | tee "$report"
cp "$report" "$out/latest.txt"
echo "bench: written to $report and $out/latest.txt"

# The service directory: in-process search, server memory and the ORUK API
# against the same baseline (bench/directory.sh; 100,000 services by default).
bash bench/directory.sh
