#!/usr/bin/env bash
# import-directory.sh [SERVICES] [POSTCODES]: time `firstdays import` on a
# synthetic national-scale directory (bench/gen-directory.py), with peak memory,
# each beside a baseline measured in the same run: the sqlite3 shell loading
# the same bytes into a bare table (the least a SQLite import can do).
# Defaults: 100,000 services and 2,700,000 ONSPD-shaped postcode rows.
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-100000}
postcodes=${2:-2700000}
bin=${FIRSTDAYS_BIN:-build/firstdays}
out=bench/out/directory-$services-$postcodes
mkdir -p "$out"
if [ ! -s "$out/services.ndjson" ] || [ ! -s "$out/postcodes.csv" ]; then
  python3 bench/gen-directory.py --services "$services" --postcodes "$postcodes" --out "$out"
fi
db=$out/bench.db
base=$out/baseline.db

measure() { # label command...: prints "label: S s, M MB peak"
  local label=$1
  shift
  /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" ||
    { cat "$out/stderr.txt" >&2; return 1; }
  read -r secs kb <"$out/time.txt"
  printf '%-44s %8.1f s %8.0f MB peak\n' "$label" "$secs" "$((kb / 1024))"
  echo "$secs" >"$out/last.txt"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "    ratio to baseline: %.2f\n", (b > 0 ? a / b : 0) }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) processors"
rm -f "$db" "$db"-* "$base" "$base"-*
measure "baseline: sqlite3 .import services.ndjson" \
  sqlite3 "$base" "CREATE TABLE s(json TEXT)" ".mode ascii" '.separator "\037" "\n"' \
  ".import $out/services.ndjson s"
b=$(cat "$out/last.txt")
measure "firstdays import oruk ($services services)" "$bin" import oruk --db "$db" "$out/services.ndjson"
ratio "$(cat "$out/last.txt")" "$b"
measure "baseline: sqlite3 .import postcodes.csv" \
  sqlite3 "$base" ".import --csv $out/postcodes.csv p"
b=$(cat "$out/last.txt")
measure "firstdays import postcodes ($postcodes rows)" "$bin" import postcodes --db "$db" "$out/postcodes.csv"
ratio "$(cat "$out/last.txt")" "$b"
measure "firstdays export oruk" "$bin" export oruk --db "$db" --output "$out/export.ndjson"
rm -f "$base" "$base"-*
