#!/usr/bin/env bash
# run-unit.sh BUILD_DIR: run every cmocka unit test binary; fail if any fails.
set -u
dir=${1:-build}
status=0
for t in "$dir"/tests/test_*; do
  [ -x "$t" ] || continue
  echo "== $t"
  if ! "$t"; then status=1; fi
done
exit $status
