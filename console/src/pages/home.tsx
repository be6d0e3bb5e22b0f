// The overview: function counts by state, invocations this month, recent changes.
import { ApiError, get, type FunctionSummary } from '../api';
import { invocationTotal } from '../metrics-data';
import { useAccountPath, useSession } from '../session';
import { AsyncView, Empty, PageHeader, StateBadge, Time, useAsync } from '../ui';

export function HomePage() {
  const acct = useAccountPath();
  const { account } = useSession();
  const fns = useAsync(() => get<FunctionSummary[]>(acct('/functions')), [account]);
  const monthStart = new Date();
  monthStart.setUTCDate(1);
  monthStart.setUTCHours(0, 0, 0, 0);
  const usage = useAsync(async () => {
    const q = new URLSearchParams({ from: monthStart.toISOString(), to: new Date().toISOString(), bucket: '1d' });
    try {
      return invocationTotal(await get<unknown>(acct(`/metrics?${q}`)));
    } catch (e) {
      if (e instanceof ApiError && (e.missingRoute || e.status === 403)) return null;
      throw e;
    }
  }, [account]);
  const counts = (list: FunctionSummary[]) => {
    const by: Record<string, number> = {};
    for (const f of list) by[f.state] = (by[f.state] ?? 0) + 1;
    return by;
  };
  return (
    <>
      <PageHeader title="Overview" subtitle={`Account ${account}`} actions={<a class="btn btn-primary" href="/functions/new">New function</a>} />
      <AsyncView value={fns} label="Loading…">
        {(list) => {
          const by = counts(list);
          const live = (by.Productive ?? 0) + (by.Modified ?? 0);
          const failing = (by['Build Error'] ?? 0) + (by['Deploy Error'] ?? 0);
          const recent = [...list].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)).slice(0, 6);
          return (
            <>
              <div class="stat-cards">
                <div class="stat-card">
                  <span class="stat-label">Functions</span>
                  <strong class="stat-value" data-testid="count-functions">{list.length}</strong>
                </div>
                <div class="stat-card">
                  <span class="stat-label">Live</span>
                  <strong class="stat-value ok-text">{live}</strong>
                </div>
                <div class="stat-card">
                  <span class="stat-label">Drafts &amp; undeployed</span>
                  <strong class="stat-value">{(by.Draft ?? 0) + (by.Undeployed ?? 0)}</strong>
                </div>
                <div class="stat-card">
                  <span class="stat-label">With errors</span>
                  <strong class={`stat-value ${failing ? 'danger-text' : ''}`}>{failing}</strong>
                </div>
                <div class="stat-card">
                  <span class="stat-label">Invocations this month</span>
                  <strong class="stat-value" data-testid="count-invocations">
                    {usage.data === undefined ? '…' : usage.data === null ? '—' : usage.data.toLocaleString()}
                  </strong>
                  {usage.data === null && <span class="muted small">Metrics are not available on this server.</span>}
                </div>
              </div>
              <section class="card">
                <h2 class="card-title">Recently changed</h2>
                {recent.length === 0 ? (
                  <Empty title="No functions yet" action={<a class="btn btn-primary" href="/functions/new">Create a function</a>}>
                    Functions react to conversation events, run on schedules or answer HTTP calls.
                  </Empty>
                ) : (
                  <ul class="plain-list">
                    {recent.map((f) => (
                      <li key={f.uuid}>
                        <a href={`/functions/${encodeURIComponent(f.name)}`} class="strong">
                          {f.name}
                        </a>{' '}
                        <StateBadge state={f.state} />
                        <span class="muted small">
                          {' '}
                          v{f.version} · <Time value={f.updatedAt} /> by {f.updatedBy}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </AsyncView>
    </>
  );
}

