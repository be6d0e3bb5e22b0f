#!/usr/bin/env bash
# Parley against Node.js and workerd (issue 8): see compare.py for what is measured and how.
#
#   bench/compare/run.sh BUILD_DIR [--smoke] [compare.py options]
#
# Installs workerd (the npm package ships a prebuilt binary) into bench/compare/.tools, which is
# gitignored, and uses the machine's Node.js and wrk. Writes BUILD_DIR/bench/out/compare.{json,md}.
# Without network access to the npm registry the comparison runs against Node.js only, and says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd); shift
workerd_version=1.20261117.1
tools="$here/.tools"
workerd="$tools/node_modules/.bin/workerd"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || { echo "wrk is needed" >&2; exit 1; }
if [[ ! -x "$workerd" ]] || [[ "$("$workerd" --version 2>/dev/null)" != "workerd ${workerd_version#1.}"* ]]; then
  mkdir -p "$tools"
  ( cd "$tools" && [[ -f package.json ]] || echo '{"private":true}' > package.json
    npm install --no-audit --no-fund --loglevel=error "workerd@$workerd_version" >/dev/null 2>"$tools/npm.log" ) ||
    echo "could not install workerd@$workerd_version from npm (see $tools/npm.log)" >&2
fi
"$workerd" --version >/dev/null 2>&1 || workerd=""
exec python3 "$here/compare.py" --parley "$build/parley" --workerd "$workerd" --out "$build/bench/out" "$@"
