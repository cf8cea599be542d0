#!/usr/bin/env bash
# directory.sh [SERVICES] [POSTCODES]: benchmarks of the service directory
# search on a national-scale synthetic directory (bench/gen-directory.py;
# default 100,000 services and 2,700,000 ONSPD-shaped postcode rows), each
# printed as a ratio against a baseline measured in the same run:
#
#  1. in-process (bench/directory_bench.c, linked with build/libfirstdays.a):
#     postcode search, 10 km, first page of 10: p50/p90/p99, against a scan of
#     every place without the index, and against the 1 ms budget;
#  2. the server: RSS with the directory loaded, against the 300 MB budget;
#  3. the ORUK API over HTTP: /openreferral/service_at_locations?postcode=...
#     &proximity=10000&per_page=10 for 1,000 different postcodes, with wrk on
#     loopback for a bounded time, against the bare libmicrohttpd server of
#     bench/run.sh (bench/baseline.c) sending as many bytes with the same
#     threads, run right after it. Target: at least 0.5.
#
# The server loads the data with `firstdays import` when this build has it,
# else through FIRSTDAYS_DIRECTORY_FILES. Environment: FIRSTDAYS_BIN,
# BENCH_DURATION (seconds per wrk run, default 10), BENCH_CONNECTIONS
# (default 32), DIRECTORY_BENCH_DATA (a folder already holding
# services.ndjson and postcodes.csv, instead of generating one).
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-100000}
postcodes=${2:-2700000}
B=${B:-build}
bin=${FIRSTDAYS_BIN:-$B/firstdays}
duration=${BENCH_DURATION:-10}
conns=${BENCH_CONNECTIONS:-32}
threads=$(nproc)
out=bench/out/directory-$services-$postcodes
data=${DIRECTORY_BENCH_DATA:-$out}
mkdir -p "$out" "$B/bench"
command -v wrk >/dev/null || { echo "directory.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }

if [ ! -s "$data/services.ndjson" ] || [ ! -s "$data/postcodes.csv" ]; then
  [ -f bench/gen-directory.py ] || { echo "directory.sh: bench/gen-directory.py is missing" >&2; exit 1; }
  python3 bench/gen-directory.py --services "$services" --postcodes "$postcodes" --out "$data"
fi

libs=$(pkg-config --libs libmicrohttpd sqlite3 jansson libsodium md4c-html zlib)
cflags="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $(pkg-config --cflags libmicrohttpd)"
cc $cflags -Isrc -I"$B" -o "$B/bench/directory_bench" bench/directory_bench.c "$B/libfirstdays.a" \
  $libs -lpthread -lm
[ -x "$B/bench/baseline" ] || cc $cflags -o "$B/bench/baseline" bench/baseline.c $libs -lpthread

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $threads processors"
echo "== 1. in-process search ($data)"
status=0
"$B/bench/directory_bench" "$data" 20000 "$out/postcodes.txt" || status=1

echo "== 2. server memory"
db=$out/search.db
serve_env=()
if "$bin" import oruk --help >/dev/null 2>&1; then
  # Imported once per data set; the marker says the import finished.
  if [ ! -f "$db.imported" ] || [ "$data/services.ndjson" -nt "$db.imported" ]; then
    rm -f "$db" "$db"-* "$db.imported"
    "$bin" import oruk --db "$db" "$data/services.ndjson"
    "$bin" import postcodes --db "$db" "$data/postcodes.csv"
    touch "$db.imported"
  fi
  echo "data: imported into $db"
else
  rm -f "$db" "$db"-* "$db.imported"
  serve_env=(FIRSTDAYS_DIRECTORY_FILES="$data")
  echo "data: read by the server from $data (this build has no import command)"
fi
start=$(date +%s)
env "${serve_env[@]}" "$bin" serve --listen 127.0.0.1:0 --db "$db" --quiet --threads "$threads" \
  >"$out/serve.out" 2>"$out/serve.err" &
fd_pid=$!
pids+=("$fd_pid")
port=
for _ in $(seq 1 1200); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$out/serve.out" 2>/dev/null | grep -o '[0-9]*/$' | tr -d / || true)
  [ -n "$port" ] && break
  kill -0 "$fd_pid" 2>/dev/null || { cat "$out/serve.err" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "directory.sh: the server did not start" >&2; exit 1; }
echo "server: ready in $(($(date +%s) - start)) s on port $port"
grep -o '"msg":"directory: built[^"]*"' "$out/serve.err" | head -1 || true

cat >"$out/rotate.lua" <<LUA
-- Each request asks about the next of 1,000 postcodes.
local pcs = {}
for line in io.lines("$out/postcodes.txt") do pcs[#pcs + 1] = line end
local i = 0
request = function()
  i = i % #pcs + 1
  return wrk.format("GET", "/openreferral/service_at_locations?postcode=" .. pcs[i] ..
    "&proximity=10000&per_page=10")
end
LUA

# Warm up, then read the resident memory.
wrk -t2 -c"$conns" -d2s -s "$out/rotate.lua" "http://127.0.0.1:$port" >/dev/null
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$fd_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$fd_pid/status")
awk -v r="$rss_kb" -v h="$hwm_kb" 'BEGIN {
  printf "server RSS %.1f MB (peak %.1f MB); ratio to the 300 MB budget: %.2f  %s\n",
    r / 1024, h / 1024, r / 1024 / 300, (r / 1024 <= 300 ? "PASS" : "FAIL") }'
awk -v r="$rss_kb" 'BEGIN { exit !(r / 1024 <= 300) }' || status=1

echo "== 3. ORUK API throughput (wrk, ${duration} s, $conns connections, $threads server threads)"
# Responses for the first 200 postcodes: the baseline sends their mean size.
sizes=$out/sizes.txt
: >"$sizes"
head -200 "$out/postcodes.txt" | while read -r pc; do
  url="http://127.0.0.1:$port/openreferral/service_at_locations?postcode=$pc&proximity=10000&per_page=10"
  echo "$(curl -s -o /dev/null -w '%{size_download} %{http_code}' "$url") $pc"
done >"$sizes"
if awk '$2 != 200' "$sizes" | grep -q .; then
  echo "directory.sh: some searches did not answer 200:" >&2
  awk '$2 != 200' "$sizes" | head -3 >&2
  exit 1
fi
mean=$(awk '{ s += $1 } END { printf "%d", s / NR }' "$sizes")
echo "response body: mean $mean bytes over 200 postcodes; the baseline sends $mean bytes"

run_wrk() { # label url script...
  local label=$1 url=$2
  shift 2
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$@" "$url" >"$out/wrk-$label.txt"
  if grep -q 'Non-2xx' "$out/wrk-$label.txt"; then
    echo "directory.sh: $label had error responses" >&2
    grep 'Non-2xx' "$out/wrk-$label.txt" >&2
    status=1
  fi
  awk -v l="$label" '/Requests\/sec/ { rps = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 }
    END { printf "%-34s %10.0f requests/s   latency p50 %s p99 %s\n", l, rps, p50, p99 }' \
    "$out/wrk-$label.txt"
}
run_wrk firstdays "http://127.0.0.1:$port" -s "$out/rotate.lua"
kill "$fd_pid"
wait "$fd_pid" 2>/dev/null || true

"$B/bench/baseline" 0 "$mean" "$threads" >"$out/baseline.out" &
pids+=("$!")
bport=
for _ in $(seq 1 50); do
  bport=$(awk '/^listening on/ { print $3 }' "$out/baseline.out" 2>/dev/null)
  [ -n "$bport" ] && break
  sleep 0.1
done
run_wrk baseline-libmicrohttpd "http://127.0.0.1:$bport/"
fd=$(awk '/Requests\/sec/ { print $2 }' "$out/wrk-firstdays.txt")
base=$(awk '/Requests\/sec/ { print $2 }' "$out/wrk-baseline-libmicrohttpd.txt")
awk -v a="$fd" -v b="$base" 'BEGIN {
  printf "ratio: firstdays / bare libmicrohttpd = %.2f  %s (target at least 0.5)\n",
    a / b, (a / b >= 0.5 ? "PASS" : "FAIL") }'
awk -v a="$fd" -v b="$base" 'BEGIN { exit !(a / b >= 0.5) }' || status=1
exit $status
