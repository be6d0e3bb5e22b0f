#!/usr/bin/env bash
# Runs the runtime benchmarks and prints a summary table.
#
#   bench/run.sh BUILD_DIR [--smoke]
#
# Full mode (what `make bench` runs, ~1 minute): 5 repetitions of every benchmark (3 for the
# idle-time sweep of cold starts), medians over the repetitions, and the memory measurements at
# N=100 and N=1000. --smoke (the ctest test bench_smoke): one short repetition and N=10, only to
# prove that everything still runs; its figures mean nothing. No timing is checked in either
# mode. The machines are shared and noisy: run it when nothing else is busy, and compare
# figures of the same run (the summary prints some ratios).
#
# Raw results go to BUILD_DIR/bench/out/ (cold.json, cold_idle.json, warm.json,
# instance_memory.jsonl). To run one benchmark by hand, call BUILD_DIR/bench/runtime_bench with
# Google Benchmark's flags (--benchmark_filter=..., --benchmark_min_time=..., ...).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ( $# == 2 && "$2" != "--smoke" ) ]]; then
  echo "usage: $0 BUILD_DIR [--smoke]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
smoke=0
if [[ "${2:-}" == "--smoke" ]]; then smoke=1; fi

bench_bin="$build/bench/runtime_bench"
memory_bin="$build/bench/instance_memory"
for b in "$bench_bin" "$memory_bin"; do
  if [[ ! -x "$b" ]]; then
    echo "missing $b: build the targets runtime_bench and instance_memory first" >&2
    exit 1
  fi
done
out="$build/bench/out"
mkdir -p "$out"

if [[ $smoke == 1 ]]; then
  # Google Benchmark 1.7.1 reads --benchmark_min_time as seconds.
  cold_flags=(--benchmark_min_time=0.01 --benchmark_repetitions=1)
  idle_flags=(--benchmark_min_time=0.01 --benchmark_repetitions=1)
  warm_flags=(--benchmark_min_time=0.01 --benchmark_repetitions=1)
  memory_sizes=(10)
else
  # Cold starts pause ~15 ms between iterations (not timed) so the worker can rebuild its spare
  # sandbox: a shorter minimum keeps that run to a few seconds.
  cold_flags=(--benchmark_min_time=0.05 --benchmark_repetitions=5
              --benchmark_report_aggregates_only=true)
  idle_flags=(--benchmark_min_time=0.03 --benchmark_repetitions=3
              --benchmark_report_aggregates_only=true)
  warm_flags=(--benchmark_min_time=0.1 --benchmark_repetitions=5
              --benchmark_report_aggregates_only=true)
  memory_sizes=(100 1000)
fi

echo "== runtime_bench: cold starts"
"$bench_bin" --benchmark_filter='^BM_ColdStart(Process)?/spare:[01]/pause_ms:(0|15)/' "${cold_flags[@]}" \
  --benchmark_out="$out/cold.json" --benchmark_out_format=json
echo "== runtime_bench: cold starts after other idle times"
"$bench_bin" --benchmark_filter='^BM_ColdStart/spare:[01]/pause_ms:(3|50)/' "${idle_flags[@]}" \
  --benchmark_out="$out/cold_idle.json" --benchmark_out_format=json
echo "== runtime_bench: warm invocations and baselines"
"$bench_bin" --benchmark_filter='^BM_(Warm|ThreadHop)' "${warm_flags[@]}" \
  --benchmark_out="$out/warm.json" --benchmark_out_format=json
echo "== instance_memory ${memory_sizes[*]}, then --spares and --breakdown ${memory_sizes[0]}"
{
  "$memory_bin" "${memory_sizes[@]}"
  "$memory_bin" --spares "${memory_sizes[0]}"
  "$memory_bin" --breakdown "${memory_sizes[0]}"
  # How many instances the runtime's own accounting lets into a 100 MiB budget.
  if [[ $smoke == 0 ]]; then "$memory_bin" --budget-mib=100 300; fi
} | tee "$out/instance_memory.jsonl"

# The summary: medians over repetitions (or the single run in smoke mode). Node is a build
# dependency already (the runtime's JavaScript is bundled with it).
node - "$out/cold.json" "$out/cold_idle.json" "$out/warm.json" "$out/instance_memory.jsonl" \
  "$smoke" <<'EOF'
const fs = require('fs');
const [coldFile, idleFile, warmFile, memFile, smoke] = process.argv.slice(2);
const runs = [coldFile, idleFile, warmFile].flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')).benchmarks);
// The median aggregate of a benchmark, or its only run when there were no repetitions.
function pick(prefix) {
  const mine = runs.filter((b) => (b.run_name || b.name) === prefix || b.name.startsWith(prefix + '/'));
  return mine.find((b) => b.aggregate_name === 'median') ||
         mine.find((b) => b.run_type === 'iteration') || null;
}
const us = (b, field) => (b && typeof b[field] === 'number' ? b[field] : NaN);
const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const rows = [];
const add = (what, value, unit, note = '') => rows.push([what, value, unit, note]);

const coldSpare = pick('BM_ColdStart/spare:1/pause_ms:15/manual_time');
const coldNone = pick('BM_ColdStart/spare:0/pause_ms:15/manual_time');
const coldBack = pick('BM_ColdStart/spare:0/pause_ms:0/manual_time');
const warm = (p) => pick(`BM_WarmInvoke/${p}/real_time`);
const warmV2 = (p) => pick(`BM_WarmInvokeV2Async/${p}/real_time`);
const inflight = (p) => pick(`BM_WarmInvokeInFlight/${p}/k:64/real_time`);
const validate = (p) => pick(`BM_WarmValidateHop/${p}/real_time`);
const hop = (p) => pick(`BM_ThreadHopBaseline/${p}/real_time`);

add('cold start, spare sandbox ready (p50)', fmt(us(coldSpare, 'p50_us')), 'us', 'target <= 1500; paced 15 ms');
add('cold start, no spare (p50)', fmt(us(coldNone, 'p50_us')), 'us', 'target <= 1500; paced 15 ms');
add('cold start, no spare, back to back (p50)', fmt(us(coldBack, 'p50_us')), 'us', 'worker never idle');
add('  first run after load (exec p50), spare', fmt(us(coldSpare, 'exec_p50_us')), 'us', 'part of the cold start');
add('cold start, process isolation, spare (p50)',
    fmt(us(pick('BM_ColdStartProcess/spare:1/pause_ms:15/manual_time'), 'p50_us')), 'us', 'paced 15 ms');
for (const pause of [3, 50]) {
  for (const spare of [1, 0]) {
    add(`cold start, ${spare ? 'spare' : 'no spare'}, after ${pause} ms idle (p50)`,
        fmt(us(pick(`BM_ColdStart/spare:${spare}/pause_ms:${pause}/manual_time`), 'p50_us')), 'us',
        smoke === '1' ? '' : '3 repetitions');
  }
}
for (const p of ['any', 'same_cpu', 'cross_cpu']) {
  add(`warm invoke V1, invokeSync, ${p} (p50)`, fmt(us(warm(p), 'p50_us'), 2), 'us', 'target <= 5');
}
add('  of which on the worker (exec p50)', fmt(us(warm('same_cpu'), 'exec_p50_us'), 2), 'us', 'InvocationResult::durationUs, 1 us resolution');
add('warm invoke V1, invokeSync, process isolation (p50)',
    fmt(us(pick('BM_WarmInvokeProcess/real_time'), 'p50_us'), 2), 'us');
for (const p of ['any', 'same_cpu']) {
  add(`warm invoke V2 async, invokeSync, ${p} (p50)`, fmt(us(warmV2(p), 'p50_us'), 2), 'us');
}
for (const p of ['any', 'cross_cpu']) {
  add(`64 in flight, ${p}: throughput`, fmt(us(inflight(p), 'items_per_second'), 0), 'inv/s');
  add(`64 in flight, ${p}: per invocation`, fmt(us(inflight(p), 'us_per_inv'), 2), 'us', 'amortised');
}
const inflightProcess = pick('BM_WarmInvokeInFlightProcess/k:64/real_time');
add('64 in flight, process isolation: throughput', fmt(us(inflightProcess, 'items_per_second'), 0), 'inv/s');
add('64 in flight, process isolation: per invocation', fmt(us(inflightProcess, 'us_per_inv'), 2), 'us', 'amortised');
for (const p of ['any', 'same_cpu', 'cross_cpu']) {
  add(`validate of a warm version, ${p} (mean)`, fmt(us(validate(p), 'real_time'), 2), 'us', 'hop through the worker queue, no JS');
}
for (const p of ['any', 'same_cpu', 'cross_cpu']) {
  add(`thread hop baseline, ${p} (mean)`, fmt(us(hop(p), 'real_time'), 2), 'us', 'replica queue, empty task');
}
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(1) + 'x' : 'n/a');
add('ratio cold (spare) / warm (same_cpu)', ratio(us(coldSpare, 'p50_us'), us(warm('same_cpu'), 'p50_us')), '');
add('ratio cold (no spare) / cold (spare)', ratio(us(coldNone, 'p50_us'), us(coldSpare, 'p50_us')), '');
add('ratio warm invoke / hop baseline, same_cpu', ratio(us(warm('same_cpu'), 'real_time'), us(hop('same_cpu'), 'real_time')), '');
add('ratio warm invoke / hop baseline, cross_cpu', ratio(us(warm('cross_cpu'), 'real_time'), us(hop('cross_cpu'), 'real_time')), '');
for (const line of fs.readFileSync(memFile, 'utf8').split('\n').filter(Boolean)) {
  const m = JSON.parse(line);
  if (m.spares) {
    add(`  spare sandbox, no function loaded, N=${m.n}`, fmt(m.bytes_per_spare / 1024, 0), 'KiB',
        'RSS delta / N: isolate + context + prelude');
  } else if (m.breakdown) {
    add(`  V8 alone: bare isolate, N=${m.n}`, fmt(m.isolate_bytes / 1024, 0), 'KiB', 'RSS delta / N');
    add(`  V8 alone: + empty context, N=${m.n}`, fmt(m.context_bytes / 1024, 0), 'KiB', 'RSS delta / N');
    add(`  V8 alone: + compile and run a tiny script`, fmt(m.script_bytes / 1024, 0), 'KiB', 'RSS delta / N');
    add(`  V8 alone: + CreateCodeCache of that script`, fmt(m.create_code_cache_bytes / 1024, 0), 'KiB',
        `RSS delta / N (the cache itself: ${m.code_cache_length} bytes)`);
    add(`  V8 alone: heap total_physical_size`, fmt(m.heap_total_physical_bytes / 1024, 0), 'KiB',
        "V8's own figure per isolate + context");
  } else if (m.budget_bytes > 0) {
    add(`runtime accounting: instances kept in ${m.budget_bytes / 1048576} MiB`, String(m.warm_instances), '',
        `i.e. ${fmt(m.budget_bytes / m.warm_instances / 1024, 0)} KiB counted per instance`);
  } else {
    add(`memory per idle warm instance, N=${m.n}`, fmt(m.bytes_per_instance / 1024, 0), 'KiB',
        'RSS delta / N; target <= 1024');
  }
}

const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log('\n== summary' + (smoke === '1' ? ' (smoke run: figures are meaningless)' : ' (medians over 5 repetitions)'));
for (const r of rows) {
  console.log(`${r[0].padEnd(w[0])}  ${String(r[1]).padStart(w[1])} ${r[2].padEnd(w[2])}  ${r[3]}`);
}
EOF
