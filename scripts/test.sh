#!/usr/bin/env bash
# Runs every test suite against an already-built tree (make test builds first).
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs=$(nproc)
echo "== JS bundles (node --test)"
node --test js/test/
echo "== ctest"
(cd "$build" && ctest --output-on-failure -j "$jobs")
echo "== web console (Playwright driving Chromium against the real server)"
case "$build" in /*) binary="$build/parley" ;; *) binary="$root/$build/parley" ;; esac
PARLEY_BINARY="$binary" node --test console/test/*.test.mjs
