#!/usr/bin/env bash
# run-unit.sh BUILD_DIR: run every cmocka unit test binary; fail if any fails.
# The store tests run on PostgreSQL too: a throwaway one is started for them
# (tests/pg/with-pg.sh; they say they skipped when none can start).
set -u
if [ -z "${FIRSTDAYS_TEST_PG:-}" ] && [ -z "${FIRSTDAYS_PG_STARTED:-}" ]; then
  export FIRSTDAYS_PG_STARTED=1
  exec bash "$(dirname "$0")/pg/with-pg.sh" bash "$0" "$@"
fi
dir=${1:-build}
status=0
for t in "$dir"/tests/test_*; do
  [ -x "$t" ] || continue
  echo "== $t"
  if ! "$t"; then status=1; fi
done
exit $status
