// The activity stream: who changed what, when; code changes with their diff.
import { useState } from 'preact/hooks';
import { get, listOf } from '../api';
import { DiffView } from '../editor';
import { useAccountPath } from '../session';
import { AsyncView, Empty, formatTime, PageHeader, Time, useAsync } from '../ui';

interface Activity {
  id?: string | number;
  timestamp?: string | number;
  at?: string;
  createdAt?: string;
  actor?: string | { id?: string; name?: string };
  user?: string;
  who?: string;
  action?: string;
  what?: string;
  objectType?: string;
  objectName?: string;
  target?: string | { type?: string; id?: string; name?: string };
  description?: string;
  summary?: string;
  message?: string;
  diff?: string | { before?: string; after?: string };
}

function DiffOf({ diff }: { diff: Activity['diff'] }) {
  if (!diff) return null;
  if (typeof diff === 'string') return <pre class="output unified-diff">{diff}</pre>;
  return <DiffView before={diff.before ?? ''} after={diff.after ?? ''} beforeLabel="Before" afterLabel="After" />;
}

export function ActivityPage() {
  const acct = useAccountPath();
  const [q, setQ] = useState('');
  const items = useAsync(() => get<unknown>(acct('/activity')).then((d) => listOf<Activity>(d, 'activity', 'events')), [acct('')]);
  return (
    <>
      <PageHeader title="Activity" subtitle="Every change in this account, kept for 90 days." />
      <AsyncView value={items} label="Loading activity…">
        {(list) => {
          const shown = list.filter((a) => !q || JSON.stringify(a).toLowerCase().includes(q.toLowerCase()));
          return list.length === 0 ? (
            <Empty title="No activity yet">Changes to functions, secrets, schedules, domains and access appear here.</Empty>
          ) : (
            <section class="card">
              <div class="filters">
                <input type="search" aria-label="Filter activity" placeholder="Filter by user, action or object" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
              </div>
              <ol class="activity">
                {shown.map((a, i) => {
                  const when = a.timestamp ?? a.at ?? a.createdAt;
                  const actor = typeof a.actor === 'object' ? a.actor?.name ?? a.actor?.id : a.actor;
                  const who = actor ?? a.user ?? a.who ?? 'someone';
                  const target = typeof a.target === 'object' ? [a.target?.type, a.target?.name ?? a.target?.id].filter(Boolean).join(' ') : a.target;
                  const what = a.description ?? a.summary ?? a.message ?? [a.action ?? a.what, a.objectType, a.objectName ?? target].filter(Boolean).join(' ');
                  return (
                    <li key={a.id ?? i}>
                      <span class="avatar" aria-hidden="true">
                        {String(who).slice(0, 1).toUpperCase()}
                      </span>
                      <div>
                        <p>
                          <strong>{who}</strong> {what}
                        </p>
                        <p class="muted small" title={formatTime(when)}>
                          <Time value={when} />
                        </p>
                        {a.diff && (
                          <details>
                            <summary>Show the change</summary>
                            <DiffOf diff={a.diff} />
                          </details>
                        )}
                      </div>
                    </li>
                  );
                })}
              </ol>
            </section>
          );
        }}
      </AsyncView>
    </>
  );
}
