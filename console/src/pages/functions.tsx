import { useMemo, useState } from 'preact/hooks';
import { get, type FunctionSummary } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Empty, PageHeader, StateBadge, Table, Time, useAsync } from '../ui';

const STATES = ['Draft', 'Productive', 'Modified', 'Undeployed', 'Build Error', 'Deploy Error'];

export function FunctionsPage() {
  const acct = useAccountPath();
  const fns = useAsync(() => get<FunctionSummary[]>(acct('/functions')), [acct('')]);
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const [eventId, setEventId] = useState('');
  const events = useMemo(() => [...new Set((fns.data ?? []).map((f) => f.eventId))].sort(), [fns.data]);
  const shown = (fns.data ?? []).filter(
    (f) =>
      (!q || `${f.name} ${f.description}`.toLowerCase().includes(q.toLowerCase())) &&
      (!state || f.state === state) &&
      (!eventId || f.eventId === eventId),
  );
  return (
    <>
      <PageHeader
        title="Functions"
        subtitle="Code that runs on conversation events, on a schedule or over HTTP."
        actions={
          <a class="btn btn-primary" href="/functions/new">
            New function
          </a>
        }
      />
      <AsyncView value={fns} label="Loading functions…">
        {(list) =>
          list.length === 0 ? (
            <Empty
              title="No functions yet"
              action={
                <a class="btn btn-primary" href="/functions/new">
                  Create your first function
                </a>
              }
            >
              Start from a template for the event you want to react to.
            </Empty>
          ) : (
            <section class="card">
              <div class="filters" role="search">
                <label class="sr-only" for="fn-filter">
                  Filter by name
                </label>
                <input id="fn-filter" type="search" placeholder="Filter by name or description" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
                <label class="sr-only" for="fn-state">
                  State
                </label>
                <select id="fn-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
                  <option value="">All states</option>
                  {STATES.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
                <label class="sr-only" for="fn-event">
                  Event
                </label>
                <select id="fn-event" value={eventId} onChange={(e) => setEventId((e.target as HTMLSelectElement).value)}>
                  <option value="">All events</option>
                  {events.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
                <span class="muted filter-count">
                  {shown.length} of {list.length}
                </span>
              </div>
              {shown.length === 0 ? (
                <p class="muted pad">No function matches these filters.</p>
              ) : (
                <div class="table-wrap">
                  <Table columns={['Name', 'State', 'Event', 'Version', 'Updated']}>
                      {shown.map((f) => (
                        <tr key={f.uuid}>
                          <td>
                            <a class="strong" href={`/functions/${encodeURIComponent(f.name)}`}>
                              {f.name}
                            </a>
                            {f.description && <div class="muted small">{f.description}</div>}
                          </td>
                          <td>
                            <StateBadge state={f.state} />
                          </td>
                          <td>
                            <code class="small">{f.eventId}</code>
                          </td>
                          <td>
                            v{f.version}
                            {f.deployedVersion !== null && f.deployedVersion !== f.version && <span class="muted small"> (live v{f.deployedVersion})</span>}
                          </td>
                          <td>
                            <Time value={f.updatedAt} /> <span class="muted small">by {f.updatedBy}</span>
                          </td>
                        </tr>
                      ))}
                    </Table>
                </div>
              )}
            </section>
          )
        }
      </AsyncView>
    </>
  );
}
