// One function: header with state and actions, and its tabs (code + test, settings, versions,
// logs, metrics).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post, put, type BuildError, type FunctionDetail, type Validation, type Version } from '../api';
import { CodeEditor, DiffView } from '../editor';
import { navigate } from '../router';
import { useAccountPath } from '../session';
import { AsyncView, Button, confirmThen, errorText, Loading, Modal, StateBadge, Time, toast, useAsync } from '../ui';
import { TestPanel } from './test-panel';
import { FunctionSettings } from './function-settings';
import { VersionsTab } from './versions';
import { LogsTab } from './logs';
import { MetricsTab } from './metrics';

const TABS = [
  ['code', 'Code & test'],
  ['settings', 'Environment & settings'],
  ['versions', 'Versions'],
  ['logs', 'Logs'],
  ['metrics', 'Metrics'],
] as const;

export function buildErrorOf(e: unknown): BuildError | null {
  if (e instanceof ApiError && (e.details.line !== undefined || /Deploy failed/.test(e.message))) {
    return { message: e.message, line: e.details.line as number, column: e.details.column as number };
  }
  return null;
}

export function FunctionPage({ name, tab }: { name: string; tab: string }) {
  const acct = useAccountPath();
  const path = acct(`/functions/${encodeURIComponent(name)}`);
  const fn = useAsync(() => get<FunctionDetail>(path), [path]);
  const [deploying, setDeploying] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const [buildError, setBuildError] = useState<BuildError | null>(null);

  useEffect(() => {
    if (fn.data && draft === null) {
      setDraft(fn.data.code);
      if (fn.data.state === 'Build Error' && fn.data.lastError) setBuildError(fn.data.lastError);
    }
  }, [fn.data]);

  const f = fn.data;
  const dirty = f !== undefined && draft !== null && draft !== f.code;

  const undeploy = () =>
    confirmThen(`Undeploy ${name}?`, 'It stops answering invocations and its schedules pause until it is deployed again.', 'Undeploy', async () => fn.setData(await post<FunctionDetail>(`${path}/undeploy`)), `${name} is undeployed`);
  const remove = () =>
    confirmThen(`Delete ${name}?`, 'The function, its versions and its schedules are deleted. This cannot be undone.', 'Delete function', () => del(path), `${name} was deleted`, () => navigate('/functions'));
  const live = f?.state === 'Productive' || f?.state === 'Modified';

  return (
    <>
      <header class="page-header fn-header">
        <div>
          <p class="crumbs">
            <a href="/functions">Functions</a> /
          </p>
          <h1>
            {name} {f && <StateBadge state={f.state} />}
          </h1>
          {f && (
            <p class="subtitle">
              {f.description || <span class="muted">No description</span>} · <code class="small">{f.eventId}</code> · saved v{f.version}
              {f.deployedVersion !== null ? `, live v${f.deployedVersion}` : ', not deployed'} · updated <Time value={f.updatedAt} /> by {f.updatedBy}
            </p>
          )}
        </div>
        {f && (
          <div class="page-actions">
            {live && <Button onClick={undeploy}>Undeploy</Button>}
            {!live && <Button variant="ghost" class="danger-text" onClick={remove}>Delete</Button>}
            <Button variant="primary" onClick={() => setDeploying(true)}>
              Deploy…
            </Button>
          </div>
        )}
      </header>
      <nav class="tabs" aria-label="Function sections">
        {TABS.map(([id, label]) => (
          <a key={id} href={`/functions/${encodeURIComponent(name)}${id === 'code' ? '' : `/${id}`}`} class={tab === id ? 'active' : ''} aria-current={tab === id ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <AsyncView value={fn} label="Loading the function…">
        {(f) => (
          <>
            {tab === 'code' &&
              (draft === null ? (
                <Loading />
              ) : (
                <CodeTab fn={f} path={path} draft={draft} setDraft={setDraft} buildError={buildError} setBuildError={setBuildError} onSaved={(d) => fn.setData(d)} dirty={dirty} />
              ))}
            {tab === 'settings' && <FunctionSettings fn={f} path={path} onSaved={(d) => fn.setData(d)} />}
            {tab === 'versions' && <VersionsTab fn={f} path={path} onChanged={(d) => fn.setData(d)} />}
            {tab === 'logs' && <LogsTab fn={f} path={path} />}
            {tab === 'metrics' && <MetricsTab fn={f} path={path} />}
            {deploying && (
              <DeployDialog
                fn={f}
                path={path}
                dirty={dirty}
                onClose={() => setDeploying(false)}
                onDeployed={(d) => {
                  fn.setData(d);
                  setBuildError(null);
                  setDeploying(false);
                  toast(`${name} v${d.deployedVersion} is live`);
                }}
                onBuildError={(e) => setBuildError(e)}
              />
            )}
          </>
        )}
      </AsyncView>
    </>
  );
}

function CodeTab({
  fn,
  path,
  draft,
  setDraft,
  buildError,
  setBuildError,
  onSaved,
  dirty,
}: {
  fn: FunctionDetail;
  path: string;
  draft: string;
  setDraft: (c: string) => void;
  buildError: BuildError | null;
  setBuildError: (e: BuildError | null) => void;
  onSaved: (f: FunctionDetail) => void;
  dirty: boolean;
}) {
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const draftRef = { current: draft };

  // Saves the draft (a new version) and then has the server check it as a deploy would.
  const save = async (): Promise<boolean> => {
    const code = draftRef.current;
    setSaving(true);
    setSaveError(null);
    try {
      let saved = fn;
      if (code !== fn.code) {
        saved = await put<FunctionDetail>(path, { code });
        onSaved(saved);
      }
      const v = await post<Validation>(`${path}/validate`, { code });
      setBuildError(v.valid ? null : v.error);
      if (code !== fn.code) toast(v.valid ? `Saved as version ${saved.version}` : `Saved as version ${saved.version}, with a build error`, v.valid ? 'ok' : 'error');
      return true;
    } catch (e) {
      setSaveError(e);
      return false;
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="code-layout">
      <section class="card editor-card">
        <div class="editor-toolbar">
          <span class="muted small">
            {dirty ? (
              <strong class="unsaved" role="status">
                Unsaved changes
              </strong>
            ) : (
              `Version ${fn.version}`
            )}
          </span>
          <span class="spacer" />
          <kbd class="muted small">Ctrl/⌘ S</kbd>
          <Button variant="primary" class="btn-small" busy={saving} onClick={() => void save()}>
            Save
          </Button>
        </div>
        {saveError !== null && (
          <div class="alert alert-error flat" role="alert">
            {errorText(saveError)}
          </div>
        )}
        {buildError && (
          <div class="alert alert-error flat build-error" role="alert">
            <strong>Build error{buildError.line ? ` on line ${buildError.line}` : ''}:</strong> {buildError.message}
          </div>
        )}
        <CodeEditor label={`Code of ${fn.name}`} value={draft} onChange={setDraft} onSave={() => void save()} error={buildError} />
      </section>
      <TestPanel fn={fn} path={path} dirty={dirty} save={save} />
    </div>
  );
}

function DeployDialog({
  fn,
  path,
  dirty,
  onClose,
  onDeployed,
  onBuildError,
}: {
  fn: FunctionDetail;
  path: string;
  dirty: boolean;
  onClose: () => void;
  onDeployed: (f: FunctionDetail) => void;
  onBuildError: (e: BuildError) => void;
}) {
  const versions = useAsync(() => get<Version[]>(`${path}/versions`), [path, fn.version]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const deploy = async () => {
    setBusy(true);
    setError(null);
    try {
      onDeployed(await post<FunctionDetail>(`${path}/deploy`, {}));
    } catch (e) {
      setError(e);
      const b = buildErrorOf(e);
      if (b) onBuildError(b);
    } finally {
      setBusy(false);
    }
  };
  const deployed = versions.data?.find((v) => v.version === fn.deployedVersion);
  return (
    <Modal
      title={`Deploy ${fn.name} v${fn.version}`}
      onClose={onClose}
      wide
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={busy} onClick={deploy} disabled={fn.deployedVersion === fn.version && fn.state === 'Productive'}>
            Deploy v{fn.version}
          </Button>
        </>
      }
    >
      {dirty && (
        <div class="alert alert-warn" role="alert">
          The editor has unsaved changes: they are not part of this deploy. Save first to include them.
        </div>
      )}
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      {fn.deployedVersion === fn.version && fn.state === 'Productive' && <p class="muted">Version {fn.version} is already live.</p>}
      <AsyncView value={versions} label="Loading versions…">
        {() =>
          deployed ? (
            <DiffView before={deployed.code} after={fn.code} beforeLabel={`Live: v${deployed.version}`} afterLabel={`To deploy: v${fn.version}`} />
          ) : (
            <>
              <p class="muted">
                {fn.deployedVersion === null ? 'First deploy: nothing is live yet. The code to deploy:' : `The live version v${fn.deployedVersion} is no longer kept. The code to deploy:`}
              </p>
              <DiffView before="" after={fn.code} beforeLabel="Live: none" afterLabel={`To deploy: v${fn.version}`} />
            </>
          )
        }
      </AsyncView>
    </Modal>
  );
}
