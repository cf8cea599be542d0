#!/usr/bin/env bash
# run.sh: every benchmark (make bench). Each script prints its figures as
# ratios against a baseline measured in the same run; add a line per script.
set -u
cd "$(dirname "$0")/.."
status=0
for script in bench/directory.sh; do
  echo "=== $script"
  bash "$script" || status=1
done
exit $status
