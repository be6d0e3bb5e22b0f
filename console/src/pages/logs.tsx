// The logs viewer: filters (time range, level, text, invocation), grouping by invocation, CSV
// export and live tail over Server-Sent Events.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, listOf, type FunctionDetail, type LogEntry } from '../api';
import { AsyncView, Empty, formatTime, Table, useAsync } from '../ui';

const LEVELS = ['Debug', 'Info', 'Warn', 'Error'];
const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3600e3 },
  { id: '24h', label: 'Last 24 hours', ms: 86400e3 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86400e3 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86400e3 },
];

function LogTable({ logs, showInvocation }: { logs: LogEntry[]; showInvocation: boolean }) {
  return (
    <div class="table-wrap">
      <Table class="log-table" columns={['Time', 'Level', 'Message', ...(showInvocation ? ['Invocation'] : [])]}>
          {logs.map((l, i) => (
            <tr key={i} class={`log-${l.level.toLowerCase()}`}>
              <td class="nowrap small">{formatTime(l.timestamp)}</td>
              <td>
                <span class="log-level">{l.level}</span>
              </td>
              <td class="mono small log-msg">
                {l.message}
                {l.extras && l.extras.length > 0 && <span class="log-extras"> {l.extras.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}</span>}
              </td>
              {showInvocation && <td class="mono small">{l.invocationId?.slice(0, 8)}</td>}
            </tr>
          ))}
        </Table>
    </div>
  );
}

export function LogsTab({ fn, path }: { fn: FunctionDetail; path: string }) {
  const [range, setRange] = useState(RANGES[1]);
  const [levels, setLevels] = useState<string[]>(['Info', 'Warn', 'Error']);
  const [text, setText] = useState('');
  const [invocation, setInvocation] = useState('');
  const [group, setGroup] = useState(false);
  const [tail, setTail] = useState(false);
  const [tailed, setTailed] = useState<LogEntry[]>([]);
  const [tailState, setTailState] = useState<'idle' | 'connecting' | 'open' | 'error'>('idle');

  const query = useMemo(() => {
    const to = Date.now();
    const q = new URLSearchParams({ from: new Date(to - range.ms).toISOString(), to: new Date(to).toISOString() });
    if (levels.length && levels.length < LEVELS.length) q.set('level', levels.join(','));
    if (text) q.set('q', text);
    if (invocation) q.set('invocationId', invocation);
    return q.toString();
  }, [range.id, levels.join(), text, invocation]);
  const logs = useAsync(() => get<unknown>(`${path}/logs?${query}`).then((d) => listOf<LogEntry>(d, 'logs')), [path, query]);

  useEffect(() => {
    if (!tail) return;
    setTailState('connecting');
    setTailed([]);
    const es = new EventSource(`/api/v1${path}/logs/stream${levels.length < LEVELS.length ? `?level=${levels.join(',')}` : ''}`);
    es.onopen = () => setTailState('open');
    es.onerror = () => setTailState(es.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    // The server sends each line as an event named 'log' (data: the line as in /logs).
    const onLine = (m: MessageEvent<string>) => {
      try {
        const entry = JSON.parse(m.data) as LogEntry;
        setTailed((all) => [...all.slice(-499), entry]);
      } catch {
        /* not a log line */
      }
    };
    es.addEventListener('log', onLine);
    es.onmessage = onLine;
    return () => es.close();
  }, [tail, path]);

  const toggleLevel = (l: string) => setLevels(levels.includes(l) ? levels.filter((x) => x !== l) : [...levels, l]);
  const byInvocation = (list: LogEntry[]) => {
    const m = new Map<string, LogEntry[]>();
    for (const l of list) m.set(l.invocationId ?? '—', [...(m.get(l.invocationId ?? '—') ?? []), l]);
    return [...m.entries()];
  };

  return (
    <section class="card">
      <div class="filters logs-filters" role="search">
        <label class="inline-field">
          <span>Range</span>
          <select value={range.id} onChange={(e) => setRange(RANGES.find((r) => r.id === (e.target as HTMLSelectElement).value)!)} disabled={tail}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="level-filter">
          <legend class="sr-only">Levels</legend>
          {LEVELS.map((l) => (
            <label key={l} class="check">
              <input type="checkbox" checked={levels.includes(l)} onChange={() => toggleLevel(l)} /> {l}
            </label>
          ))}
        </fieldset>
        <input type="search" aria-label="Search messages" placeholder="Search messages" value={text} onChange={(e) => setText((e.target as HTMLInputElement).value)} />
        <input aria-label="Invocation id" placeholder="Invocation id" class="mono" value={invocation} onChange={(e) => setInvocation((e.target as HTMLInputElement).value.trim())} />
        <label class="check">
          <input type="checkbox" checked={group} onChange={() => setGroup(!group)} /> Group by invocation
        </label>
        <span class="spacer" />
        <label class="check">
          <input type="checkbox" checked={tail} onChange={() => setTail(!tail)} /> Live tail
        </label>
        <a class="btn btn-small" href={`/api/v1${path}/logs/export?${query}`} download={`${fn.name}-logs.csv`}>
          Export CSV
        </a>
      </div>
      {tail ? (
        <div aria-live="polite">
          <p class="muted small pad">
            {tailState === 'open' ? 'Live: new log entries appear as they are written.' : tailState === 'connecting' ? 'Connecting…' : 'The live stream is not available.'}
          </p>
          {tailed.length === 0 ? <Empty title="Waiting for log entries" /> : <LogTable logs={tailed} showInvocation />}
        </div>
      ) : (
        <AsyncView value={logs} label="Loading logs…">
          {(list) =>
            list.length === 0 ? (
              <Empty title="No log entries">Nothing matches these filters in this range. Debug entries are kept for test invocations only.</Empty>
            ) : group ? (
              <div class="stack">
                {byInvocation(list).map(([id, entries]) => (
                  <details key={id} class="invocation-group" open>
                    <summary>
                      <span class="mono small">{id}</span> · {entries.length} entries · {formatTime(entries[0].timestamp)}
                    </summary>
                    <LogTable logs={entries} showInvocation={false} />
                  </details>
                ))}
              </div>
            ) : (
              <LogTable logs={list} showInvocation />
            )
          }
        </AsyncView>
      )}
    </section>
  );
}
