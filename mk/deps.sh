#!/usr/bin/env bash
# deps.sh: install what firstdays needs on Debian 12, if it is missing.
# Debian packages through apt-get (when run as root, else it prints the command),
# npm packages into ./node_modules from package-lock.json, among them the Node.js that
# runs the tests (node_modules/.bin/node; see the Makefile's NODE). Debian's own Node.js
# and npm are only the npm client that installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(build-essential pkg-config clang libclang-rt-14-dev llvm
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libmd4c-dev libmd4c-html0-dev
  zlib1g-dev libcmocka-dev sqlite3 default-jre-headless
  chromium fonts-liberation2 python3 python3-icalendar python3-jsonschema wrk curl nginx postgresql libpq-dev
  libcurl4-openssl-dev libcjose-dev liboath-dev python3-aiosmtpd)

missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js may come from Debian or another packager; only ask Debian for it when absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    echo "deps: installing Debian packages with sudo: ${missing[*]}"
    sudo apt-get update -q
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "deps: these Debian packages are missing; install them as root:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
  # The tests start nginx and PostgreSQL themselves, on their own ports and
  # folders: a service the packages just started (nginx's default site on
  # port 80, Debian's own cluster) is stopped and not started at boot.
  for svc in nginx postgresql; do
    if printf '%s\n' "${missing[@]}" | grep -qx "$svc" && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now "$svc" >/dev/null 2>&1 || true
    fi
  done
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
   [ ! -x node_modules/.bin/node ]; then
  echo "deps: installing npm packages with npm $(npm --version) on Node.js $(node --version)"
  # Engine warnings name the Node.js that runs npm, not the one the tests run on.
  npm ci --ignore-scripts --no-audit --no-fund
fi
# The Node.js package is for x86-64 only: npm 9 (Debian 12's) deletes the binary of the
# installed one when a second one, for another machine, shares its bin name "node".
if test_node=$(node_modules/.bin/node --version 2>/dev/null); then
  echo "deps: all present (the tests run on Node.js $test_node from node_modules)"
else
  echo "deps: all present for make run; package.json has no Node.js for $(uname -m), so the" >&2
  echo "  end-to-end and browser tests need a Node.js 20 or later at node_modules/.bin/node" >&2
fi
