#!/usr/bin/env bash
# Async events benchmark (issue 4): sustained durable ingestion (events/s; single events and
# batches of 100, each answered 202 only after its commit) and publish → delivery latency
# (publish request sent → the function's result arriving at the account's result webhook).
#
#   bench/events.sh BUILD_DIR [--smoke]
#
# Needs wrk and python3. Prints a table and writes BUILD_DIR/bench/out/events.json. Nothing is
# asserted: figures go to docs/performance.md.
set -euo pipefail
build=$(cd "$1" && pwd)
smoke=0; [[ "${2:-}" == "--smoke" ]] && smoke=1
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "wrk is needed" >&2; exit 1; }; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
exec python3 "$(dirname "$0")/events_bench.py" "$build" "$smoke"
