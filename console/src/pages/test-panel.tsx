// The test panel: payload prefilled from the event's sample, editable headers, and the result,
// logs and duration of a test invocation (POST …/test runs the newest saved code in any state).
import { useEffect, useState } from 'preact/hooks';
import { get, post, type EventType, type FunctionDetail, type LogEntry, type TestResult } from '../api';
import { Button, errorText, pretty } from '../ui';

interface Header {
  key: string;
  value: string;
}

export function LogLines({ logs }: { logs: LogEntry[] }) {
  if (!logs.length) return <p class="muted small">No logs.</p>;
  return (
    <ol class="log-lines">
      {logs.map((l, i) => (
        <li key={i} class={`log log-${l.level.toLowerCase()}`}>
          <span class="log-level">{l.level}</span>
          <span class="log-msg">
            {l.message}
            {l.extras && l.extras.length > 0 && <span class="log-extras"> {l.extras.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function TestPanel({ fn, path, dirty, save }: { fn: FunctionDetail; path: string; dirty: boolean; save: () => Promise<boolean> }) {
  const [payload, setPayload] = useState<string | null>(null);
  const [headers, setHeaders] = useState<Header[]>([]);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const loadSample = async () => {
    try {
      const ev = await get<EventType>(`/events/${encodeURIComponent(fn.eventId)}`);
      setPayload(pretty(ev.samplePayload ?? {}));
      setSampleError(null);
    } catch (e) {
      setPayload('{}');
      setSampleError(`No sample payload for ${fn.eventId}: ${errorText(e)}`);
    }
  };
  useEffect(() => {
    void loadSample();
  }, [fn.eventId]);

  let payloadError: string | null = null;
  let parsed: unknown = null;
  try {
    parsed = payload === null || payload.trim() === '' ? null : JSON.parse(payload);
  } catch (e) {
    payloadError = `Payload is not valid JSON: ${(e as Error).message}`;
  }

  const run = async () => {
    if (payloadError) return;
    setBusy(true);
    setError(null);
    try {
      if (dirty && !(await save())) return;
      const r = await post<TestResult>(`${path}/test`, { headers: headers.filter((h) => h.key), payload: parsed });
      setResult(r);
    } catch (e) {
      setError(e);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card test-panel" aria-labelledby="test-title">
      <div class="panel-head">
        <h2 id="test-title">Test</h2>
        <Button variant="primary" class="btn-small" busy={busy} disabled={Boolean(payloadError) || payload === null} onClick={run}>
          {dirty ? 'Save & run test' : 'Run test'}
        </Button>
      </div>
      <div class="field">
        <div class="label-row">
          <label for="test-payload">Payload</label>
          <button type="button" class="link-btn small" onClick={() => void loadSample()}>
            Reset to the event's sample
          </button>
        </div>
        <textarea id="test-payload" class="mono" rows={10} spellcheck={false} value={payload ?? ''} onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)} aria-invalid={Boolean(payloadError)} />
        {(payloadError || sampleError) && <div class={payloadError ? 'field-error' : 'field-hint'}>{payloadError ?? sampleError}</div>}
      </div>
      <fieldset class="headers-editor">
        <legend>Headers</legend>
        {headers.map((h, i) => (
          <div class="kv-row" key={i}>
            <input aria-label={`Header ${i + 1} name`} placeholder="Name" value={h.key} onInput={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, key: (e.target as HTMLInputElement).value } : x)))} />
            <input aria-label={`Header ${i + 1} value`} placeholder="Value" value={h.value} onInput={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: (e.target as HTMLInputElement).value } : x)))} />
            <button type="button" class="icon-btn" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" class="link-btn small" onClick={() => setHeaders([...headers, { key: '', value: '' }])}>
          + Add header
        </button>
      </fieldset>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      {result && (
        <div class="test-result" aria-live="polite">
          <div class="result-meta">
            {result.error ? <span class="badge badge-red">Failed</span> : <span class="badge badge-green">Succeeded</span>}
            <span class="muted small" data-testid="test-duration">
              {result.durationMs.toFixed(1)} ms · v{result.version}
            </span>
          </div>
          {result.error ? (
            <>
              <h3>Error</h3>
              <pre class="output output-error" data-testid="test-error">
                {result.error.code}
                {'\n'}
                {result.error.message}
                {result.error.stack ? `\n\n${result.error.stack}` : ''}
              </pre>
            </>
          ) : (
            <>
              <h3>Result</h3>
              <pre class="output" data-testid="test-result">
                {pretty(result.result) || 'undefined'}
              </pre>
            </>
          )}
          <h3>Logs</h3>
          <LogLines logs={result.logs} />
        </div>
      )}
    </section>
  );
}
