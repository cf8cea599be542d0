#!/usr/bin/env bash
# stop.sh DIR: stop the cluster tests/pg/start.sh DIR started, and remove DIR.
set -u
dir=${1:?usage: stop.sh DIR}
[ -d "$dir" ] || exit 0
if [ -f "$dir/bin" ] && [ -d "$dir/data" ]; then
  as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
fi
rm -rf "$dir"
