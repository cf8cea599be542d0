#!/usr/bin/env bash
# run.sh: the firstdays benchmark (make bench). Serves a content page with
# firstdays and the same number of bytes with bench/baseline.c (the least a
# libmicrohttpd server can do, same threading mode), drives both with wrk on
# loopback in one run, and prints requests/s of each and their ratio (goal:
# firstdays >= 0.5 of the baseline). Then times page rendering in process.
# Results are printed and written to bench/out/ (ignored by git).
#
# Settings (environment): PAGE=/ DURATION=10 (seconds per measurement)
# THREADS=2 CONNECTIONS=32 (wrk) ROUNDS=1 (interleaved rounds) ITER=20000.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
PAGE=${PAGE:-/}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-1}
ITER=${ITER:-20000}
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
status=$(curl -s -o "$tmp/page.html" -w '%{http_code}' "$fd_url")
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

# Requests/s from one wrk run; fails on socket errors or non-2xx answers.
measure() { # url label round
  local log="$tmp/wrk-$2-$3.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$log" 2>&1
  cp "$log" "$out/wrk-$2-$3.txt"
  if grep -q 'Non-2xx' "$log"; then
    echo "bench: $2 answered errors:" >&2
    cat "$log" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' "$log"
}
latency() { # label round: the 99th percentile
  awk '$1 == "99%" {print $2}' "$tmp/wrk-$1-$2.txt"
}

echo "bench: $PAGE is $bytes bytes; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s), $(nproc) CPUs"
# Warm both up (caches, page faults, TCP) before measuring.
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$fd_url" >/dev/null 2>&1
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "$base_url" >/dev/null 2>&1

fd_total=0
base_total=0
for r in $(seq "$ROUNDS"); do
  b=$(measure "$base_url" baseline "$r")
  f=$(measure "$fd_url" firstdays "$r")
  printf '  round %d: baseline %10.0f req/s (p99 %s)   firstdays %10.0f req/s (p99 %s)\n' \
    "$r" "$b" "$(latency baseline "$r")" "$f" "$(latency firstdays "$r")"
  fd_total=$(awk -v a="$fd_total" -v b="$f" 'BEGIN {print a + b}')
  base_total=$(awk -v a="$base_total" -v b="$b" 'BEGIN {print a + b}')
done
fd_rps=$(awk -v t="$fd_total" -v n="$ROUNDS" 'BEGIN {printf "%.0f", t / n}')
base_rps=$(awk -v t="$base_total" -v n="$ROUNDS" 'BEGIN {printf "%.0f", t / n}')
ratio=$(awk -v f="$fd_rps" -v b="$base_rps" 'BEGIN {printf "%.3f", f / b}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "meets the goal of 0.5" : "BELOW the goal of 0.5"}')

render=$("$B/bench/render" "$ITER" "$PAGE")
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
report="$out/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "firstdays benchmark, $stamp, $(uname -sr), $(nproc) CPUs"
  echo "page $PAGE, $bytes bytes per response, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on loopback"
  printf 'baseline (libmicrohttpd, fixed buffer)  %10s req/s\n' "$base_rps"
  printf 'firstdays                               %10s req/s\n' "$fd_rps"
  echo "ratio firstdays/baseline                 $ratio ($verdict)"
  echo
  echo "$render"
} | tee "$report"
cp "$report" "$out/latest.txt"
echo "bench: written to $report and $out/latest.txt"
