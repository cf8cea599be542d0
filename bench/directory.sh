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
#     bench/run.sh (bench/baseline.c) sending the same bytes (a body of the
#     mean size behind the same header lines) with the same threads, run
#     right after it. wrk sends both servers the same requests
#     from the same script, so the load generator costs the same on each side
#     (the baseline ignores what is asked). Target: at least 0.5.
#
# The server loads the data with `firstdays import` when this build has it,
# else through FIRSTDAYS_DIRECTORY_FILES. Environment: FIRSTDAYS_BIN,
# BENCH_DURATION (seconds per wrk run, default 10), BENCH_CONNECTIONS
# (default 32), BENCH_CLUSTERED (set: every service in 125 dense districts of a
# few square kilometres instead of spread over the country), DIRECTORY_BENCH_DATA (a folder already holding
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
gen_args=()
out=bench/out/directory-$services-$postcodes
if [ -n "${BENCH_CLUSTERED:-}" ]; then
  gen_args=(--clustered)
  out=$out-clustered
fi
data=${DIRECTORY_BENCH_DATA:-$out}
mkdir -p "$out" "$B/bench"
command -v wrk >/dev/null || { echo "directory.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }

# Generated once and kept; made again when the generator changes.
if [ ! -s "$data/services.ndjson" ] || [ ! -s "$data/postcodes.csv" ] ||
  { [ -z "${DIRECTORY_BENCH_DATA:-}" ] && [ bench/gen-directory.py -nt "$data/services.ndjson" ]; }; then
  [ -f bench/gen-directory.py ] || { echo "directory.sh: bench/gen-directory.py is missing" >&2; exit 1; }
  python3 bench/gen-directory.py --services "$services" --postcodes "$postcodes" --out "$data" \
    ${gen_args[@]+"${gen_args[@]}"}
fi

libs=$(pkg-config --libs libmicrohttpd sqlite3 jansson libsodium md4c-html zlib)
cflags="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $(pkg-config --cflags libmicrohttpd)"
cc $cflags -Isrc -I"$B" -o "$B/bench/directory_bench" bench/directory_bench.c "$B/libfirstdays.a" \
  $libs -lpthread -lm
[ "$B/bench/baseline" -nt bench/baseline.c ] || cc $cflags -o "$B/bench/baseline" bench/baseline.c $libs -lpthread

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
echo "server: answering in $(($(date +%s) - start)) s on port $port"
# It builds its directory index after it starts answering (/healthz says
# "starting" until then): measure only the server with its index loaded.
for _ in $(seq 1 3000); do
  curl -s "http://127.0.0.1:$port/healthz" | grep -q '"status":"\(ok\|degraded\)"' && break
  kill -0 "$fd_pid" 2>/dev/null || { cat "$out/serve.err" >&2; exit 1; }
  sleep 0.1
done
curl -s "http://127.0.0.1:$port/healthz" | grep -q '"status":"\(ok\|degraded\)"' ||
  { echo "directory.sh: the directory did not load in 300 s" >&2; exit 1; }
echo "server: directory loaded in $(($(date +%s) - start)) s"
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

echo "== 3. ORUK API throughput (wrk, ${duration} s x 3 rounds, $conns connections, $threads server threads)"
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
# The same header block too: the baseline sends the header lines of a real
# answer (libmicrohttpd writes Date, Content-Length and Connection itself).
pc1=$(head -1 "$out/postcodes.txt")
curl -s -o /dev/null -D "$out/headers.txt" \
  "http://127.0.0.1:$port/openreferral/service_at_locations?postcode=$pc1&proximity=10000&per_page=10"
nhdr=$(grep -c ':' "$out/headers.txt" || true)
echo "response: mean body $mean bytes over 200 postcodes; the baseline sends $mean bytes and the" \
  "same $nhdr header lines ($out/headers.txt)"

# CPU time (user + system) a process has used, in clock ticks: the server CPU
# per request does not depend on what else the machine is doing, unlike
# requests/s.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_hz=$(getconf CLK_TCK)
run_wrk() { # label round pid url [wrk options]: prints "requests/s cpu-us-per-request"
  local label=$1 round=$2 pid=$3 url=$4 c0 c1
  shift 4
  c0=$(cpu_ticks "$pid")
  wrk -t2 -c"$conns" -d"${duration}s" --latency "$@" "$url" >"$out/wrk-$label-$round.txt"
  c1=$(cpu_ticks "$pid")
  if grep -q 'Non-2xx' "$out/wrk-$label-$round.txt"; then
    echo "directory.sh: $label had error responses" >&2
    grep 'Non-2xx' "$out/wrk-$label-$round.txt" >&2
    touch "$out/wrk-errors"
  fi
  awk -v t=$((c1 - c0)) -v hz="$tick_hz" '/Requests\/sec/ { rps = $2 } /requests in/ { n = $1 }
    END { printf "%s %.1f\n", rps, (n > 0 ? t * 1e6 / hz / n : 0) }' "$out/wrk-$label-$round.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

"$B/bench/baseline" 0 "$mean" "$threads" "$out/headers.txt" >"$out/baseline.out" &
base_pid=$!
pids+=("$base_pid")
bport=
for _ in $(seq 1 50); do
  bport=$(awk '/^listening on/ { print $3 }' "$out/baseline.out" 2>/dev/null)
  [ -n "$bport" ] && break
  sleep 0.1
done
: >"$out/rounds.txt"
rm -f "$out/wrk-errors"
for round in 1 2 3; do
  # Alternate which goes first, so a change in the machine's load hits both.
  if ((round % 2)); then
    read -r f fcpu < <(run_wrk firstdays "$round" "$fd_pid" "http://127.0.0.1:$port" -s "$out/rotate.lua")
    read -r b bcpu < <(run_wrk baseline "$round" "$base_pid" "http://127.0.0.1:$bport" -s "$out/rotate.lua")
  else
    read -r b bcpu < <(run_wrk baseline "$round" "$base_pid" "http://127.0.0.1:$bport" -s "$out/rotate.lua")
    read -r f fcpu < <(run_wrk firstdays "$round" "$fd_pid" "http://127.0.0.1:$port" -s "$out/rotate.lua")
  fi
  printf '  round %d: firstdays %7.0f requests/s %5.1f us CPU/request   baseline %7.0f requests/s %5.1f us CPU/request\n' \
    "$round" "$f" "$fcpu" "$b" "$bcpu"
  echo "$f $b $fcpu $bcpu" >>"$out/rounds.txt"
done
ratio=$(awk '{ printf "%.3f\n", $1 / $2 }' "$out/rounds.txt" | median)
cpu_ratio=$(awk '{ printf "%.3f\n", $4 / $3 }' "$out/rounds.txt" | median)
awk -v r="$ratio" -v c="$cpu_ratio" 'BEGIN {
  printf "ratio: firstdays / bare libmicrohttpd, requests/s = %.2f  %s (target at least 0.5; median of 3 rounds)\n",
    r, (r >= 0.5 ? "PASS" : "FAIL")
  printf "ratio: baseline / firstdays, server CPU per request = %.2f (the same comparison, whatever the load)\n", c }'
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' || status=1
[ ! -e "$out/wrk-errors" ] || status=1
# For reference: the same server answering its smallest endpoint, the root
# (no search, 170 bytes), shows what the HTTP layers cost before any search.
read -r rr rcpu < <(run_wrk root 1 "$fd_pid" "http://127.0.0.1:$port/openreferral/")
printf 'reference: GET /openreferral/ %.0f requests/s, %.1f us CPU/request (the cost of the layers around a search)\n' \
  "$rr" "$rcpu"
exit $status
