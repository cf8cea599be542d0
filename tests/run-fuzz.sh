#!/usr/bin/env bash
# run-fuzz.sh SECONDS_TOTAL: run every libFuzzer target in build-fuzz/ for its
# share of SECONDS_TOTAL, starting from the seed corpus in
# tests/fuzz/corpus/<target>/. New inputs go to tests/fuzz/corpus-out/<target>/
# (ignored by git), crash reproducers to build-fuzz/artifacts/. Fails when any
# target finds a crash, a leak or a timeout. Build the targets first with
# `make fuzz` or `make fuzz-smoke`, which call this script.
set -u
cd "$(dirname "$0")/.."
total=${1:-60}
targets=()
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  if [ ! -x "build-fuzz/$name" ]; then
    echo "run-fuzz: build-fuzz/$name is missing; run 'make fuzz-smoke' to build the targets" >&2
    exit 2
  fi
  targets+=("$name")
done
if ((${#targets[@]} == 0)); then
  echo "run-fuzz: no targets in tests/fuzz/" >&2
  exit 2
fi
share=$((total / ${#targets[@]}))
((share < 1)) && share=1
mkdir -p build-fuzz/artifacts build-fuzz/logs
passed=0
failed=0
for name in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$name
  work=tests/fuzz/corpus-out/$name
  mkdir -p "$seeds" "$work"
  max_len=4096
  [ "$name" = fuzz_markdown ] && max_len=16384
  log=build-fuzz/logs/$name.log
  # Sanitizer reports must end the run with a failure, never just a warning.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/$name" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$name-" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo '?')
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok   $name: ${share}s, $runs runs, coverage $cov"
  else
    failed=$((failed + 1))
    echo "FAIL $name (exit $rc); reproducer in build-fuzz/artifacts/, log $log:"
    grep -E 'ERROR|SUMMARY|artifact|==[0-9]+==' "$log" | head -n 20
  fi
done
# Counted by tests/run-all.sh like the other suites.
echo "# pass $passed"
echo "# fail $failed"
[ $failed -eq 0 ]
