#!/usr/bin/env bash
# start.sh DIR: start a throwaway PostgreSQL 15 cluster (Debian's postgresql-15) for
# the tests, with its data, socket and log under DIR, on a free loopback port, with
# fsync off (the data is thrown away). Prints the URL to reach it, a superuser
# "firstdays" with trust authentication on loopback and the socket, for example
#   postgres://firstdays@127.0.0.1:54321/postgres
# and exits 0; or prints why not on stderr and exits 2 (callers then skip their
# PostgreSQL tests and say so). Run as root, the cluster runs as the user postgres
# (PostgreSQL refuses root). Stop it with tests/pg/stop.sh DIR.
set -u
dir=${1:?usage: start.sh DIR}
bin=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bin=$d; break; fi
done
if [ -z "$bin" ]; then
  echo "start.sh: no PostgreSQL server here (initdb, pg_ctl); install postgresql (mk/deps.sh does)" >&2
  exit 2
fi
mkdir -p "$dir" || exit 2
dir=$(cd "$dir" >/dev/null && pwd)
as=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "start.sh: running as root and there is no user postgres to run the cluster as" >&2
    exit 2
  fi
  chown postgres: "$dir" && chmod 700 "$dir" || exit 2
  as=(runuser -u postgres --)
  if ! "${as[@]}" test -w "$dir"; then
    echo "start.sh: the user postgres cannot reach $dir (a folder above it is private); give a DIR it can" >&2
    exit 2
  fi
fi
# A free loopback port: ask the kernel for one, then give it to the server.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null)
[ -n "$port" ] || port=$((20000 + RANDOM % 20000))
if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U firstdays -A trust -E UTF8 --locale=C.UTF-8 \
     --no-sync >"$dir/initdb.log" 2>&1; then
  echo "start.sh: initdb failed; see $dir/initdb.log:" >&2
  tail -5 "$dir/initdb.log" >&2
  exit 2
fi
# In the cluster's own configuration, so that a test may stop and start it again.
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1; then
  echo "start.sh: PostgreSQL did not start; see $dir/server.log:" >&2
  tail -5 "$dir/server.log" >&2
  exit 2
fi
echo "$bin" >"$dir/bin"
echo "postgres://firstdays@127.0.0.1:$port/postgres" | tee "$dir/url"
