// Metrics of a function: invocations by outcome and duration percentiles over a time range.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get, type FunctionDetail } from '../api';
import { chartable, type Series } from '../metrics-data';
import { AsyncView, Empty, useAsync } from '../ui';

const RANGES = [
  { id: '24h', label: 'Last 24 hours', ms: 86400e3, bucket: '1h' },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3600e3, bucket: '5m' },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86400e3, bucket: '1d' },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86400e3, bucket: '1d' },
];

const COLORS = ['#16a34a', '#dc2626', '#f59e0b', '#7c3aed', '#2563eb', '#0891b2', '#64748b'];

export function Chart({ title, times, series, unit }: { title: string; times: number[]; series: Series[]; unit: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const width = Math.max(el.clientWidth, 280);
    const plot = new uPlot(
      {
        width,
        height: 220,
        series: [{}, ...series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], width: 2, points: { show: times.length < 60 }, value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${+v.toFixed(2)} ${unit}`) }))],
        axes: [{}, { label: unit, size: 56 }],
        scales: { x: { time: true } },
        legend: { live: true },
      },
      [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 280), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [times, series]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title} chart`} />
    </figure>
  );
}

export function MetricsTab({ fn, path }: { fn: FunctionDetail; path: string }) {
  const [range, setRange] = useState(RANGES[0]);
  const metrics = useAsync(() => {
    const to = Date.now();
    const q = new URLSearchParams({ from: new Date(to - range.ms).toISOString(), to: new Date(to).toISOString(), bucket: range.bucket });
    return get<unknown>(`${path}/metrics?${q}`);
  }, [path, range.id]);
  return (
    <section class="card">
      <div class="panel-head">
        <h2>Metrics of {fn.name}</h2>
        <label class="inline-field">
          <span>Range</span>
          <select value={range.id} onChange={(e) => setRange(RANGES.find((r) => r.id === (e.target as HTMLSelectElement).value)!)}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AsyncView value={metrics} label="Loading metrics…">
        {(data) => {
          const c = chartable(data);
          if (!c.times.length) return <Empty title="No invocations in this range">Invoke or test the function and its numbers appear here.</Empty>;
          return (
            <>
              <dl class="stat-row" data-testid="metric-totals">
                {Object.entries(c.totals).map(([k, v]) => (
                  <div key={k} class="stat">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
              <div class="charts">
                {c.counts.length > 0 && <Chart title="Invocations" times={c.times} series={c.counts} unit="" />}
                {c.durations.length > 0 && <Chart title="Duration" times={c.times} series={c.durations} unit="ms" />}
              </div>
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}
