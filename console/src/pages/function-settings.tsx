// Environment variables, limits, description and skills of a function (each save of environment
// or settings makes a new version).
import { useState } from 'preact/hooks';
import { put, type FunctionDetail } from '../api';
import { Button, ErrorAlert, Field, toast, useAction } from '../ui';

export function FunctionSettings({ fn, path, onSaved }: { fn: FunctionDetail; path: string; onSaved: (f: FunctionDetail) => void }) {
  const [env, setEnv] = useState(Object.entries(fn.environment).map(([key, value]) => ({ key, value })));
  const [timeout, setTimeoutS] = useState(String(fn.settings.timeoutSeconds));
  const [memory, setMemory] = useState(String(fn.settings.memoryMb));
  const [description, setDescription] = useState(fn.description);
  const [skills, setSkills] = useState(fn.skills.join(', '));
  const envErrors = env.map((e) => (e.key && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key) ? 'Use letters, digits and underscores, not starting with a digit.' : null));
  const dupes = new Set(env.map((e) => e.key).filter((k, i, all) => k && all.indexOf(k) !== i));

  const { busy, error, run } = useAction(async () => {
    const environment = Object.fromEntries(env.filter((x) => x.key).map((x) => [x.key, x.value]));
      const saved = await put<FunctionDetail>(path, {
        description,
        skills: skills.split(',').map((s) => s.trim()).filter(Boolean),
        environment,
        settings: { timeoutSeconds: Number(timeout), memoryMb: Number(memory) },
      });
    onSaved(saved);
    toast(`Settings saved (version ${saved.version})`);
  });
  const save = (e: Event) => {
    e.preventDefault();
    if (!envErrors.some(Boolean) && !dupes.size) void run();
  };
  return (
    <form class="card form-card" onSubmit={save}>
      <ErrorAlert error={error} />
      <h2>General</h2>
      <Field label="Description" id="set-desc" hint={`${description.length}/200`}>
        <textarea id="set-desc" rows={2} maxLength={200} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
      </Field>
      <Field label="Skills (comma separated)" id="set-skills" hint="Only for events that support skills; cannot change while deployed.">
        <input id="set-skills" value={skills} onInput={(e) => setSkills((e.target as HTMLInputElement).value)} />
      </Field>
      <div class="grid-2">
        <Field label="Timeout (seconds)" id="set-timeout">
          <input id="set-timeout" type="number" min={1} value={timeout} onInput={(e) => setTimeoutS((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Memory (MiB)" id="set-memory">
          <input id="set-memory" type="number" min={16} value={memory} onInput={(e) => setMemory((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      <h2>Environment variables</h2>
      <p class="muted small">
        Read with <code>process.env.NAME</code>. Put credentials in <a href="/secrets">secrets</a>, not here.
      </p>
      {env.length === 0 && <p class="muted">No variables.</p>}
      {env.map((v, i) => (
        <div key={i}>
          <div class="kv-row">
            <input aria-label={`Variable ${i + 1} name`} class="mono" placeholder="NAME" value={v.key} onInput={(e) => setEnv(env.map((x, j) => (j === i ? { ...x, key: (e.target as HTMLInputElement).value } : x)))} aria-invalid={Boolean(envErrors[i]) || dupes.has(v.key)} />
            <input aria-label={`Variable ${i + 1} value`} class="mono" placeholder="value" value={v.value} onInput={(e) => setEnv(env.map((x, j) => (j === i ? { ...x, value: (e.target as HTMLInputElement).value } : x)))} />
            <button type="button" class="icon-btn" aria-label={`Remove variable ${v.key || i + 1}`} onClick={() => setEnv(env.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
          {(envErrors[i] || dupes.has(v.key)) && <div class="field-error">{envErrors[i] ?? `${v.key} is set twice.`}</div>}
        </div>
      ))}
      <button type="button" class="link-btn" onClick={() => setEnv([...env, { key: '', value: '' }])}>
        + Add variable
      </button>
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
