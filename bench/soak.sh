#!/usr/bin/env bash
# soak.sh: the firstdays soak test (bash bench/soak.sh). Starts the real binary
# ($B/firstdays, default build/firstdays) on a loopback port with a fresh database,
# which the server fills with the demo directory, waits for /healthz to say ok, checks
# that every request of the mix answers 2xx once, and then sends SOAK_REQUESTS requests
# (default 1,000,000) with bench/soak_client.c: content pages, Open Referral UK
# searches (by postcode and distance, by page, one NDJSON stream), the timeline API and
# pages, Find support, static files and the questionnaire scoring API, drawn from the
# weighted list in bench/soak-requests.txt. Most come from 32 keep-alive clients at full
# speed; among them are slow clients (16 at once, requests written 1 to 8 bytes at a
# time) and vanishing clients (4 at once: half a request then close, half an answer read
# then close, connect and close). See the head of bench/soak_client.c for each kind.
#
# It reports the answers by status class, socket errors, latency, and the server's
# RSS (VmRSS from /proc/PID/status) and open descriptors sampled every SOAK_SAMPLE
# seconds, as a series and as first / end of warm-up / last / max.
#
# It passes (exit status 0) only when all of these hold:
#   - every request was sent (one that failed counts as sent, and as an error) and every
#     well-formed one (normal and slow clients) was answered 2xx: 0 non-2xx;
#   - 0 socket errors on normal and slow clients: no refused connect, reset, close
#     before the whole answer, write error, malformed answer, or 30 s without progress;
#   - memory is flat: the warm-up is the first SOAK_WARMUP (10%) of the requests; every
#     RSS sample taken after half the requests were done, and the sample at the end, is
#     at most (1 + SOAK_RSS_TOLERANCE) = 1.10 times the RSS sampled when the warm-up
#     ended;
#   - the server's open descriptors fall back, within 5 s of the end, to their count
#     before the run (no connection left open);
#   - the server is still up, answers /healthz with 200, logged no "error" line, and
#     stops cleanly (exit status 0) on SIGTERM.
# The vanishing clients' own resets and the server's warnings about connections closed
# mid-request are expected; the warnings are counted and shown.
#
# Bounded: the client stops at SOAK_REQUESTS, or fails at SOAK_TIMEOUT seconds (default
# 1800), and the whole run is killed 60 s after that. Reproducible: the mix, each kind's share
# and the clients are fixed, and every choice is drawn from one generator with a fixed
# seed (SOAK_SEED); only which request falls to which moment depends on timing. Results are printed and written to bench/out/soak-*.txt (ignored by git).
#
# Settings (environment): B=build SOAK_REQUESTS=1000000 SOAK_CONNECTIONS=32
# SOAK_SLOW_CLIENTS=16 SOAK_VANISH_CLIENTS=4 SOAK_SLOW_SHARE=0.005 (share of the
# requests sent by slow clients) SOAK_HALF_REQUEST_SHARE=0.005
# SOAK_HALF_RESPONSE_SHARE=0.005 SOAK_CONNECT_CLOSE_SHARE=0.005 SOAK_SLOW_GAP_MS=10
# SOAK_SAMPLE=2 SOAK_WARMUP=0.1 SOAK_RSS_TOLERANCE=0.10 SOAK_TIMEOUT=1800 SOAK_SEED=1
# SOAK_MIX=bench/soak-requests.txt SOAK_PORT=0 (0: a free port)
# SOAK_SERVER_ARGS="" (more arguments for `firstdays serve`).
#
# The server keeps its default limits, among them 64 connections per address: all the
# clients share 127.0.0.1, so keep SOAK_CONNECTIONS + SOAK_SLOW_CLIENTS +
# SOAK_VANISH_CLIENTS well under 64 (closing connections count until the server has
# seen them close), or raise per_ip_connections with SOAK_SERVER_ARGS.

# The whole script is one block, read before any of it runs, so that editing this file
# cannot change a run in progress.
{
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
SOAK_REQUESTS=${SOAK_REQUESTS:-1000000}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-32}
SOAK_SLOW_CLIENTS=${SOAK_SLOW_CLIENTS:-16}
SOAK_VANISH_CLIENTS=${SOAK_VANISH_CLIENTS:-4}
SOAK_SLOW_SHARE=${SOAK_SLOW_SHARE:-0.005}
SOAK_HALF_REQUEST_SHARE=${SOAK_HALF_REQUEST_SHARE:-0.005}
SOAK_HALF_RESPONSE_SHARE=${SOAK_HALF_RESPONSE_SHARE:-0.005}
SOAK_CONNECT_CLOSE_SHARE=${SOAK_CONNECT_CLOSE_SHARE:-0.005}
SOAK_SLOW_GAP_MS=${SOAK_SLOW_GAP_MS:-10}
SOAK_SAMPLE=${SOAK_SAMPLE:-2}
SOAK_WARMUP=${SOAK_WARMUP:-0.1}
SOAK_RSS_TOLERANCE=${SOAK_RSS_TOLERANCE:-0.10}
SOAK_TIMEOUT=${SOAK_TIMEOUT:-1800}
SOAK_SEED=${SOAK_SEED:-1}
SOAK_MIX=${SOAK_MIX:-bench/soak-requests.txt}
SOAK_PORT=${SOAK_PORT:-0}
SOAK_SERVER_ARGS=${SOAK_SERVER_ARGS:-}
out=bench/out
mkdir -p "$out"

[ -x "$B/firstdays" ] || { echo "soak: $B/firstdays is missing; build it first (make, or make B=$B $B/firstdays)" >&2; exit 1; }
command -v curl >/dev/null || { echo "soak: curl is missing" >&2; exit 1; }
[ -f "$SOAK_MIX" ] || { echo "soak: $SOAK_MIX is missing" >&2; exit 1; }
slots=$((SOAK_CONNECTIONS + SOAK_SLOW_CLIENTS + SOAK_VANISH_CLIENTS))
if [ "$slots" -gt 56 ] && [[ "$SOAK_SERVER_ARGS" != *per_ip_connections* ]]; then
  echo "soak: warning: $slots clients at once from one address, near the server's 64 per address" >&2
fi

# The client: built here with the system compiler, no Makefile rule needed.
client="$B/bench/soak-client"
if [ ! -x "$client" ] || [ bench/soak_client.c -nt "$client" ]; then
  mkdir -p "$B/bench"
  ${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Wshadow -Werror -o "$client" bench/soak_client.c
fi

tmp=$(mktemp -d)
fd_pid=
cleanup() {
  if [ -n "$fd_pid" ] && kill -0 "$fd_pid" 2>/dev/null; then
    kill "$fd_pid" 2>/dev/null || true
    wait "$fd_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck disable=SC2086 # SOAK_SERVER_ARGS is a list of words
"$B/firstdays" serve --db "$tmp/x.db" --listen "127.0.0.1:$SOAK_PORT" --quiet $SOAK_SERVER_ARGS \
  >"$tmp/fd.out" 2>"$tmp/fd.err" &
fd_pid=$!
port=
for _ in $(seq 200); do
  port=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$tmp/fd.out" 2>/dev/null | head -n1 | grep -Eo '[0-9]+$' || true)
  [ -n "$port" ] && break
  kill -0 "$fd_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "soak: the server did not start:" >&2
  cat "$tmp/fd.out" "$tmp/fd.err" >&2
  exit 1
fi
base="http://127.0.0.1:$port"
# The server answers at once and builds its directory index after: searches answer 503
# until /healthz says ok.
for _ in $(seq 600); do
  curl -s "$base/healthz" 2>/dev/null | grep -q '"status":"ok"' && break
  sleep 0.1
done
curl -s "$base/healthz" | grep -q '"status":"ok"' || { echo "soak: /healthz is not ok after 60 s" >&2; exit 1; }

# Every request of the mix must answer 2xx before the run means anything.
bad=0
while read -r weight method target body; do
  case "$weight" in '' | '#'*) continue ;; esac
  args=(-s -o /dev/null -w '%{http_code}' -X "$method")
  [ "$method" = HEAD ] && args=(-s -o /dev/null -w '%{http_code}' -I)
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  code=$(curl "${args[@]}" "$base$target" || true)
  if [[ "$code" != 2?? ]]; then
    echo "soak: $method $target answered $code before the run; fix $SOAK_MIX" >&2
    bad=1
  fi
done <"$SOAK_MIX"
[ "$bad" = 0 ] || exit 1

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
report="$out/soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "firstdays soak, $stamp, $(uname -sr), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
  echo "server $B/firstdays (pid $fd_pid) on $base; mix $SOAK_MIX, seed $SOAK_SEED"
  echo "clients: $SOAK_CONNECTIONS normal, $SOAK_SLOW_CLIENTS slow, $SOAK_VANISH_CLIENTS vanishing at once; $SOAK_REQUESTS requests"
} | tee "$report"

set +e
timeout $((${SOAK_TIMEOUT%.*} + 60)) "$client" port="$port" pid="$fd_pid" file="$SOAK_MIX" \
  requests="$SOAK_REQUESTS" seed="$SOAK_SEED" conns="$SOAK_CONNECTIONS" \
  slow_conns="$SOAK_SLOW_CLIENTS" vanish_conns="$SOAK_VANISH_CLIENTS" \
  slow_share="$SOAK_SLOW_SHARE" half_request_share="$SOAK_HALF_REQUEST_SHARE" \
  half_response_share="$SOAK_HALF_RESPONSE_SHARE" connect_close_share="$SOAK_CONNECT_CLOSE_SHARE" \
  slow_gap_ms="$SOAK_SLOW_GAP_MS" sample_s="$SOAK_SAMPLE" warmup="$SOAK_WARMUP" \
  rss_tolerance="$SOAK_RSS_TOLERANCE" timeout_s="$SOAK_TIMEOUT" >"$tmp/client.out" \
  2> >(tee "$tmp/client.err" >&2)
client_rc=$?
set -e
sleep 0.2 # the tee above finishes
tee -a "$report" <"$tmp/client.out"
if grep -qv '^soak: *[0-9.]* s ' "$tmp/client.err"; then
  echo "first failures seen by the client:" | tee -a "$report"
  grep -v '^soak: *[0-9.]* s ' "$tmp/client.err" | head -n 20 | sed 's/^/  /' | tee -a "$report"
fi

fail=0
[ "$client_rc" = 0 ] || fail=1
# After the run: the server is up and healthy, logged no error, and stops cleanly.
if kill -0 "$fd_pid" 2>/dev/null; then
  health=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)
  cpu=$(awk '{printf "%.1f", ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$fd_pid/stat")
else
  health="none (the server is gone)"
  cpu=?
fi
[ "$health" = 200 ] || fail=1
kill -TERM "$fd_pid" 2>/dev/null || true
stop_rc=
for _ in $(seq 300); do
  if ! kill -0 "$fd_pid" 2>/dev/null; then
    set +e
    wait "$fd_pid"
    stop_rc=$?
    set -e
    break
  fi
  sleep 0.1
done
if [ -z "$stop_rc" ]; then
  stop_rc="none: still running 30 s after SIGTERM, killed"
  kill -KILL "$fd_pid" 2>/dev/null || true
fi
fd_pid=
[ "$stop_rc" = 0 ] || fail=1
errors=$(grep -c '"level":"error"' "$tmp/fd.err" || true)
[ "$errors" = 0 ] || fail=1
{
  echo "server     /healthz after the run: $health; CPU time ${cpu} s; exit status on SIGTERM: $stop_rc"
  echo "server log: $errors error line(s); warnings by message:"
  # (grep finds nothing in a clean run: not a failure of the report)
  { grep '"level":"warn"' "$tmp/fd.err" || true; } | sed 's/.*"msg":"//; s/"}$//' | sort | uniq -c | sort -rn | head -n 10 | sed 's/^/  /'
  { grep '"level":"error"' "$tmp/fd.err" || true; } | head -n 5 | sed 's/^/  /'
  if [ "$fail" = 0 ]; then echo "soak: PASS"; else echo "soak: FAIL"; fi
} | tee -a "$report"
cp "$report" "$out/soak-latest.txt"
echo "soak: written to $report and $out/soak-latest.txt"
exit "$fail"
}
