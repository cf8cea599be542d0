#!/usr/bin/env bash
# run-all.sh: the whole suite (make test). Builds, then runs unit tests, the
# end-to-end tests against the real binary, the browser and accessibility tests,
# the unit and end-to-end tests again under ASan+UBSan, and a short fuzzing run.
# Prints one closing line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
log=build/test-logs
mkdir -p "$log"
passed=0
failed=0
failed_steps=()

count_output() { # file: add cmocka and node:test counts
  local f=$1 p=0 q=0
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$f" | awk '{s+=$4} END {print s+0}')
  q=$(grep -Eo '^\[  FAILED  \] [0-9]+' "$f" | awk '{s+=$4} END {print s+0}')
  p=$((p + $(grep -Eo '^# pass [0-9]+' "$f" | awk '{s+=$3} END {print s+0}')))
  q=$((q + $(grep -Eo '^# fail [0-9]+' "$f" | awk '{s+=$3} END {print s+0}')))
  passed=$((passed + p))
  failed=$((failed + q))
}

step() { # name command...
  local name=$1
  shift
  echo "=== $name"
  if "$@" >"$log/$name.log" 2>&1; then
    count_output "$log/$name.log"
    echo "    ok"
  else
    count_output "$log/$name.log"
    failed_steps+=("$name")
    tail -n 60 "$log/$name.log"
    echo "    FAILED (full log: $log/$name.log)"
  fi
}

step build make -j2 all
if [ ${#failed_steps[@]} -eq 0 ]; then
  step unit make -j2 unit
  step e2e make e2e
  step browser make browser
  step asan make -j2 test-asan
  step fuzz make fuzz-smoke
fi
if ((${#failed_steps[@]})); then
  failed=$((failed > 0 ? failed : ${#failed_steps[@]}))
  echo "failed steps: ${failed_steps[*]}"
fi
echo "${passed} passed, ${failed} failed"
[ ${#failed_steps[@]} -eq 0 ]
