#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and run Parley.
# Idempotent: on a ready machine it only checks and returns in seconds.
#
#   scripts/bootstrap.sh            build + test dependencies
#   PARLEY_BOOTSTRAP_BROWSER=1 ...  also Chromium (console tests; `make test` sets it)
#
# V8 comes from Debian's libnode108 / libnode-dev (V8 10.2). Those packages conflict with the
# Node.js 20 package some machines carry, so they are never installed: they are downloaded and
# unpacked into .deps/libnode, and the build links libnode.so.108 from there with an rpath. That
# works the same on machines with and without that Node.js.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
deps="$root/.deps"
mkdir -p "$deps"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libboost1.81-dev libsodium-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libhowardhinnant-date-dev tzdata
  libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev
  # server benchmark and TLS tests
  wrk openssl curl python3
  # runtime dependencies of libnode108 (unpacked by hand below, so apt does not pull them)
  libbrotli1 libc-ares2 libicu72 libnghttp2-14 libuv1 zlib1g
)
if [ "${PARLEY_BOOTSTRAP_BROWSER:-0}" = 1 ]; then packages+=(chromium); fi

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    echo "bootstrap: apt-get update" >&2
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

missing=()
for p in "${packages[@]}"; do
  case "$p" in \#*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js + npm build the bundled JS packages. Any Node.js >= 18 will do; Debian's is fine.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  apt_update_once
  echo "bootstrap: installing ${missing[*]}" >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- V8 from Debian's libnode -------------------------------------------------------------
libnode_version="18.20.4+dfsg-1~deb12u3"
libnode_dir="$deps/libnode"
stamp="$libnode_dir/.parley-stamp"
if [ ! -f "$stamp" ]; then
  want=$(apt-cache policy libnode108 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$want" ] || [ "$want" = "(none)" ]; then apt_update_once; fi
  tmp=$(mktemp -d)
  echo "bootstrap: fetching libnode108 + libnode-dev (V8) into .deps/libnode" >&2
  (cd "$tmp" && apt-get download -qq libnode108 libnode-dev 2>/dev/null) || {
    apt_update_once
    (cd "$tmp" && apt-get download -qq libnode108 libnode-dev)
  }
  rm -rf "$libnode_dir.partial"
  mkdir -p "$libnode_dir.partial"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$libnode_dir.partial"; done
  rm -rf "$tmp" "$libnode_dir"
  mv "$libnode_dir.partial" "$libnode_dir"
  ls "$libnode_dir"/usr/lib/*/libnode.so.108 >/dev/null
  echo "$libnode_version" > "$stamp"
fi

# --- npm packages, from the committed lock files ---------------------------------------------
# `npm ci` runs again only when the lock file changed (a stamp named by its hash).
npm_ci_once() {
  local dir="$1"
  [ -f "$dir/package-lock.json" ] || return 0
  local lock_hash
  lock_hash=$(sha256sum "$dir/package-lock.json" | cut -c1-16)
  if [ ! -f "$dir/node_modules/.parley-$lock_hash" ]; then
    echo "bootstrap: npm ci in ${dir#"$root"/}/" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$dir/node_modules/.parley-$lock_hash"
  fi
}
# Pinned JS packages functions may import (lodash, luxon, ...); bundled at build time.
npm_ci_once "$root/js"
# The web console: Vite, TypeScript, Preact, CodeMirror, uPlot; playwright-core for its tests.
npm_ci_once "$root/console"
