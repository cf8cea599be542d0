#!/usr/bin/env bash
# startup.sh [SERVICES] [POSTCODES]: how soon the server answers after it
# starts, with a directory of SERVICES (default 100,000) in its database.
#
# It imports a synthetic directory (bench/gen-directory.py) into a database,
# starts `firstdays serve` on it, and polls /healthz every 20 ms, printing:
#   - the time from the start to the first answer of any kind (the target:
#     at most 2 s, which the issue sets), and what /urgent-help and an ORUK
#     search answer then (200, and 503 directory_loading while it loads);
#   - the time until /healthz says "ok" (the directory index is built), as a
#     ratio of the time from the start to the first answer: how much of the
#     build the server no longer makes its clients wait for.
# Exits 1 when the first answer takes more than 2 s or /urgent-help is not 200
# while the directory loads. Environment: FIRSTDAYS_BIN, STARTUP_RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-100000}
postcodes=${2:-200000}
B=${B:-build}
bin=${FIRSTDAYS_BIN:-$B/firstdays}
runs=${STARTUP_RUNS:-3}
out=bench/out/startup-$services-$postcodes
mkdir -p "$out"
if [ ! -s "$out/services.ndjson" ] || [ bench/gen-directory.py -nt "$out/services.ndjson" ]; then
  python3 bench/gen-directory.py --services "$services" --postcodes "$postcodes" --out "$out"
fi
db=$out/startup.db
if [ ! -s "$db" ] || [ "$out/services.ndjson" -nt "$db" ]; then
  rm -f "$db" "$db"-*
  "$bin" import postcodes --db "$db" "$out/postcodes.csv" >/dev/null
  "$bin" import oruk --db "$db" "$out/services.ndjson" | tail -1
fi

now_ms() { date +%s%3N; }
status_of() { curl -s -o "$2" -w '%{http_code}' --max-time 2 "$1" || true; } # 000: no answer
fail=0
printf 'run  first answer  urgent-help  ORUK search            directory loaded  loaded/first\n'
for run in $(seq 1 "$runs"); do
  port=$((20000 + RANDOM % 20000))
  t0=$(now_ms)
  "$bin" serve --listen 127.0.0.1:$port --db "$db" --quiet >"$out/serve.out" 2>"$out/serve.err" &
  pid=$!
  first= ; urgent= ; oruk= ; loaded=
  while [ -z "$loaded" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$out/serve.err" >&2; exit 1; }
    code=$(status_of "http://127.0.0.1:$port/healthz" "$out/healthz.json")
    t=$(now_ms)
    if [ "$code" != 000 ] && [ -z "$first" ]; then
      first=$((t - t0))
      urgent=$(status_of "http://127.0.0.1:$port/urgent-help" /dev/null)
      oruk=$(status_of "http://127.0.0.1:$port/openreferral/services?per_page=1" "$out/oruk.json")
      grep -q directory_loading "$out/oruk.json" && oruk="$oruk loading" || true
    fi
    if [ "$code" = 200 ] && grep -q '"status":"\(ok\|degraded\)"' "$out/healthz.json"; then
      loaded=$((t - t0))
    fi
    [ $((t - t0)) -lt 180000 ] || { echo "startup.sh: not loaded after 180 s" >&2; kill "$pid"; exit 1; }
    sleep 0.02
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  awk -v r="$run" -v f="$first" -v u="$urgent" -v o="$oruk" -v l="$loaded" 'BEGIN {
    printf "%-4s %8.2f s    %-11s  %-21s  %10.2f s       %6.1f\n", r, f / 1000, u, o, l / 1000, l / f }'
  [ "$first" -le 2000 ] || fail=1
  [ "$urgent" = 200 ] || fail=1
done
grep -o '"msg":"directory: built[^"]*"' "$out/serve.err" | head -1 || true
[ $fail -eq 0 ] && echo "startup: first answer within 2 s in every run" || echo "startup: FAILED"
exit $fail
