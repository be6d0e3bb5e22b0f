// Versions with a diff against the one before, rollback, and the deployment history.
import { useState } from 'preact/hooks';
import { get, post, type Deployment, type FunctionDetail, type Version } from '../api';
import { DiffView } from '../editor';
import { AsyncView, Badge, Button, confirmAction, Empty, errorText, Table, Time, toast, useAsync } from '../ui';

export function VersionsTab({ fn, path, onChanged }: { fn: FunctionDetail; path: string; onChanged: (f: FunctionDetail) => void }) {
  const versions = useAsync(() => get<Version[]>(`${path}/versions`), [path, fn.version, fn.deployedVersion]);
  const deployments = useAsync(() => get<Deployment[]>(`${path}/deployments`), [path, fn.deployedVersion, fn.state]);
  const [selected, setSelected] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const rollback = async (v: number) => {
    if (!(await confirmAction(`Roll back to version ${v}?`, `Version ${v} becomes the live version of ${fn.name} at once. Invocations in flight finish on the current one.`, `Roll back to v${v}`, false))) return;
    setBusy(v);
    try {
      const f = await post<FunctionDetail>(`${path}/deploy`, { version: v });
      onChanged(f);
      toast(`${fn.name} v${v} is live`);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="stack">
      <AsyncView value={versions} label="Loading versions…">
        {(list) => {
          const sel = list.find((v) => v.version === (selected ?? list[0]?.version));
          const prev = sel ? list.find((v) => v.version < sel.version) : undefined;
          return (
            <div class="versions-layout">
              <section class="card">
                <h2 class="card-title">Versions</h2>
                <ul class="version-list" role="listbox" aria-label="Versions">
                  {list.map((v) => (
                    <li key={v.version} role="option" aria-selected={v.version === sel?.version} class={v.version === sel?.version ? 'selected' : ''}>
                      <button type="button" class="version-pick" onClick={() => setSelected(v.version)}>
                        <strong>v{v.version}</strong>
                        {v.version === fn.deployedVersion && <Badge kind="green">live</Badge>}
                        {v.version === fn.version && <Badge kind="blue">newest</Badge>}
                        <span class="muted small block">
                          <Time value={v.createdAt} /> by {v.createdBy}
                        </span>
                      </button>
                      {v.version !== fn.deployedVersion && (
                        <Button class="btn-small" busy={busy === v.version} onClick={() => void rollback(v.version)} aria-label={`Deploy version ${v.version}`}>
                          {fn.deployedVersion !== null && v.version < fn.deployedVersion ? 'Roll back' : 'Deploy'}
                        </Button>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
              <section class="card">
                {sel ? (
                  <>
                    <h2 class="card-title">
                      Changes in v{sel.version}
                      {prev ? ` since v${prev.version}` : ''}
                    </h2>
                    <DiffView before={prev?.code ?? ''} after={sel.code} beforeLabel={prev ? `v${prev.version}` : 'empty'} afterLabel={`v${sel.version}`} />
                  </>
                ) : (
                  <Empty title="No versions" />
                )}
              </section>
            </div>
          );
        }}
      </AsyncView>
      <section class="card">
        <h2 class="card-title">Deployments</h2>
        <AsyncView value={deployments} label="Loading deployments…">
          {(list) =>
            list.length === 0 ? (
              <p class="muted pad">Never deployed.</p>
            ) : (
              <div class="table-wrap">
                <Table columns={['When', 'Action', 'Version', 'Outcome', 'By']}>
                    {list.map((d) => (
                      <tr key={d.id}>
                        <td>
                          <Time value={d.createdAt} />
                        </td>
                        <td>{d.action}</td>
                        <td>v{d.version}</td>
                        <td>
                          {d.deploymentState === 'successful' ? <Badge kind="green">successful</Badge> : <Badge kind="red">{d.deploymentState}</Badge>}
                          {d.error && <div class="small danger-text">{d.error.message}</div>}
                        </td>
                        <td>{d.createdBy}</td>
                      </tr>
                    ))}
                  </Table>
              </div>
            )
          }
        </AsyncView>
      </section>
    </div>
  );
}
