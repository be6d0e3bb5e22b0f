// Turns a metrics answer into chart series. The API (SPEC §10, §14) answers buckets of counts
// by outcome, duration percentiles and cold starts; this reads any list of buckets with a time
// and numeric fields (nested one level: {counts: {SUCCEEDED: 3}} → "SUCCEEDED").
import { listOf } from './api';

export interface Series {
  name: string;
  values: (number | null)[];
}
export interface Chartable {
  times: number[]; // seconds since the epoch (uPlot's unit)
  counts: Series[];
  durations: Series[];
  totals: Record<string, number>;
}

const TIME_KEYS = ['start', 'bucketStart', 'timestamp', 'time', 't', 'from', 'bucket'];

function toSeconds(v: unknown): number | null {
  if (typeof v === 'number') return v > 1e11 ? v / 1000 : v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : ms / 1000;
  }
  return null;
}

function flatten(o: Record<string, unknown>, out: Record<string, number>, prefix = '') {
  for (const [k, v] of Object.entries(o)) {
    if (TIME_KEYS.includes(k) && !prefix) continue;
    if (typeof v === 'number') out[prefix ? `${prefix}${k}` : k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v) && !prefix) flatten(v as Record<string, unknown>, out, k === 'counts' || k === 'outcomes' ? '' : `${k}.`);
  }
}

export function chartable(data: unknown): Chartable {
  const points = listOf<Record<string, unknown>>(data, 'buckets', 'points', 'series', 'metrics');
  const rows: { t: number; v: Record<string, number> }[] = [];
  for (const p of points) {
    const key = TIME_KEYS.find((k) => p[k] !== undefined);
    const t = key ? toSeconds(p[key]) : null;
    if (t === null) continue;
    const v: Record<string, number> = {};
    flatten(p, v);
    rows.push({ t, v });
  }
  rows.sort((a, b) => a.t - b.t);
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.v)))];
  const isDuration = (n: string) => /p\d+|duration|latency|ms$/i.test(n);
  const series = (n: string): Series => ({ name: n, values: rows.map((r) => r.v[n] ?? null) });
  const totals: Record<string, number> = {};
  for (const n of names) if (!isDuration(n)) totals[n] = rows.reduce((s, r) => s + (r.v[n] ?? 0), 0);
  return {
    times: rows.map((r) => r.t),
    counts: names.filter((n) => !isDuration(n)).map(series),
    durations: names.filter(isDuration).map(series),
    totals,
  };
}

// The number of invocations in an answer: an explicit total, else the sum of its buckets'
// invocation counts (or of their outcome counts).
export function invocationTotal(data: unknown): number | null {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    for (const k of ['invocations', 'total', 'count']) if (typeof d[k] === 'number') return d[k] as number;
    const month = d.invocationsThisMonth as Record<string, unknown> | number | undefined;
    if (typeof month === 'number') return month;
    if (month && typeof month.total === 'number') return month.total;
    const totals = d.totals as Record<string, unknown> | undefined;
    if (totals && typeof totals.total === 'number') return totals.total;
  }
  const c = chartable(data);
  if (!c.times.length) return null;
  const direct = c.totals.invocations ?? c.totals.count ?? c.totals.total;
  if (direct !== undefined) return direct;
  return ['SUCCEEDED', 'CODING_FAILURE', 'PLATFORM_FAILURE', 'TIMEOUT'].reduce((s, k) => s + (c.totals[k] ?? 0), 0);
}
