#!/usr/bin/env bash
# Server benchmark (issue 3): wrk against warm invocation of a trivial function with auth on,
# next to a same-run baseline (GET /healthz: the HTTP path without auth, store or runtime), and
# deploy → first result latency.
#
#   bench/server.sh BUILD_DIR [--smoke]
#
# Needs wrk (Debian's package; installed here if missing). Prints a table and writes
# BUILD_DIR/bench/out/server.json. Nothing is asserted: figures go to docs/performance.md.
set -euo pipefail
build=$(cd "$1" && pwd)
smoke=0; [[ "${2:-}" == "--smoke" ]] && smoke=1
duration=10s; connections=32; deploys=20
if [[ $smoke == 1 ]]; then duration=1s; connections=4; deploys=2; fi
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "wrk is needed" >&2; exit 1; }; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }

data=$(mktemp -d /tmp/parley-bench-XXXXXX)
out="$build/bench/out"; mkdir -p "$out"
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

# The server on core 0 (its runtime worker processes inherit that affinity unless more cores
# exist), wrk on the other core when there is one.
cores=$(nproc)
server_cpus="0"; client_cpus="0"
if (( cores >= 2 )); then server_cpus="0-$((cores - 2))"; client_cpus="$((cores - 1))"; fi
PARLEY_ADMIN_PASSWORD=bench-password taskset -c "$server_cpus" "$build/parley" server \
  --listen 127.0.0.1:0 --data-dir "$data" --max-concurrent-invocations 100000 --max-invocations-per-second 100000000 > "$data/log" 2>&1 &
pid=$!
for _ in $(seq 300); do [[ -f "$data/server.json" ]] && break; sleep 0.05; done
url=$(python3 -c "import json,sys; print(json.load(open('$data/server.json'))['url'])")

api() {  # api METHOD PATH [JSON]
  curl -sf -X "$1" "$url$2" -H "Authorization: Bearer ${token:-}" -H 'Content-Type: application/json' \
    ${3:+-d "$3"}
}
token=$(curl -sf "$url/api/v1/auth/login" -d '{"username":"admin","password":"bench-password"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
fns=/api/v1/accounts/default/functions
api POST $fns '{"name":"trivial","code":"async function lambda(input) { return { ok: true, n: input.payload.n }; }"}' >/dev/null
api POST $fns/trivial/deploy >/dev/null
api POST $fns/trivial/invoke '{"payload":{"n":1}}' >/dev/null  # warm

cat > "$data/invoke.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"headers":[],"payload":{"n":41}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
run_wrk() {  # run_wrk NAME URL [SCRIPT]
  taskset -c "$client_cpus" wrk -t1 -c"$connections" -d"$duration" --latency ${3:+-s "$3"} "$2" > "$data/$1.txt"
  python3 - "$data/$1.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def lat(p):
    m = re.search(r'^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$' % p, text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v * {'us': 1, 'ms': 1000, 's': 1e6}[u]
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1))
errors = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
print('%.0f %.0f %.0f %s' % (rps, lat(50), lat(99), errors.group(1) if errors else 0))
PY
}
read -r h_rps h_p50 h_p99 h_err < <(run_wrk healthz "$url/healthz")
read -r i_rps i_p50 i_p99 i_err < <(run_wrk invoke "$url$fns/trivial/invoke" "$data/invoke.lua")

# Deploy → first result: a new version each time, then the first invocation of it.
python3 - "$url" "$token" "$deploys" > "$data/deploy.txt" <<'PY'
import json, sys, time, urllib.request
url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req) as r:
        return r.read()
fns = '/api/v1/accounts/default/functions'
samples = []
for i in range(n):
    call('PUT', fns + '/trivial', {'code': 'async function lambda(i) { return %d; }' % i})
    t0 = time.perf_counter()
    call('POST', fns + '/trivial/deploy')
    assert call('POST', fns + '/trivial/invoke', {'payload': {}}) == str(i).encode()
    samples.append((time.perf_counter() - t0) * 1000)
samples.sort()
print('%.2f %.2f' % (samples[len(samples) // 2], samples[-1]))
PY
read -r d_p50 d_max < "$data/deploy.txt"

cat > "$out/server.json" <<JSON
{"healthz":{"rps":$h_rps,"p50_us":$h_p50,"p99_us":$h_p99,"non2xx":$h_err},
 "invoke":{"rps":$i_rps,"p50_us":$i_p50,"p99_us":$i_p99,"non2xx":$i_err},
 "deploy_to_first_result_ms":{"p50":$d_p50,"max":$d_max},
 "wrk":{"connections":$connections,"duration":"$duration"},"cores":$cores}
JSON
printf '\n== server (wrk -c%s -d%s, server on CPU %s, wrk on CPU %s)\n' "$connections" "$duration" "$server_cpus" "$client_cpus"
printf '%-34s %10s %10s %10s %8s\n' "" "req/s" "p50 µs" "p99 µs" "non-2xx"
printf '%-34s %10s %10s %10s %8s\n' "GET /healthz (baseline)" "$h_rps" "$h_p50" "$h_p99" "$h_err"
printf '%-34s %10s %10s %10s %8s\n' "POST …/invoke, bearer auth" "$i_rps" "$i_p50" "$i_p99" "$i_err"
python3 -c "print('%-34s %10.2f' % ('invoke / healthz throughput', $i_rps / $h_rps))"
printf '%-34s %10s ms (max %s ms over %s deploys)\n' "deploy → first result, median" "$d_p50" "$d_max" "$deploys"
