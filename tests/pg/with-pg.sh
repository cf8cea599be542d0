#!/usr/bin/env bash
# with-pg.sh CMD ARGS...: run CMD with FIRSTDAYS_TEST_PG set to the URL of a throwaway
# PostgreSQL (tests/pg/start.sh), stopped after; when none can start, say so and run
# CMD without it (its PostgreSQL tests then report that they skipped). When
# FIRSTDAYS_TEST_PG is set already, that server is used as it is.
set -u
here=$(dirname "$0")
if [ -n "${FIRSTDAYS_TEST_PG:-}" ]; then exec "$@"; fi
pgdir=$(mktemp -d /tmp/firstdays-pg-XXXXXX)
if url=$(bash "$here/start.sh" "$pgdir"); then
  export FIRSTDAYS_TEST_PG=$url
  "$@"
  status=$?
else
  echo "PostgreSQL: could not start one (above); the PostgreSQL tests skip" >&2
  "$@"
  status=$?
fi
bash "$here/stop.sh" "$pgdir"
exit $status
