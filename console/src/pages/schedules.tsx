// Schedules: cron + time zone, payload and headers, active flag, next/last execution.
import { useState } from 'preact/hooks';
import { del, get, post, put, type FunctionSummary, type Schedule } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Badge, Button, confirmThen, Empty, errorText, Field, formatTime, FormModal, PageHeader, Table, Time, toast, useAction, useAsync } from '../ui';

const PRESETS = [
  ['*/5 * * * *', 'Every 5 minutes'],
  ['0 * * * *', 'Every hour'],
  ['0 9 * * 1-5', 'Weekdays at 09:00'],
  ['@daily', 'Every day at midnight'],
];

function ScheduleForm({ functions, onClose, onSaved }: { functions: FunctionSummary[]; onClose: () => void; onSaved: () => void }) {
  const acct = useAccountPath();
  const [fn, setFn] = useState(functions[0]?.name ?? '');
  const [cron, setCron] = useState('*/5 * * * *');
  const [tz, setTz] = useState('UTC');
  const [description, setDescription] = useState('');
  const [payload, setPayload] = useState('{}');
  const [active, setActive] = useState(true);
  const zones: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  let payloadError: string | null = null;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(payload || 'null');
  } catch (e) {
    payloadError = `Not valid JSON: ${(e as Error).message}`;
  }
  const { busy, error, run } = useAction(async () => {
    await post(acct('/schedules'), { function: fn, cronExpression: cron, timeZone: tz, description, payload: parsed, headers: {}, isActive: active });
    toast('Schedule created');
    onSaved();
  });
  return (
    <FormModal title="New schedule" submitLabel="Create schedule" onClose={onClose} onSubmit={() => void run()} busy={busy} disabled={!fn || !cron || Boolean(payloadError)} error={error}>
        <Field label="Function" id="sch-fn" hint={functions.length ? undefined : 'Create a function first.'}>
          <select id="sch-fn" value={fn} onChange={(e) => setFn((e.target as HTMLSelectElement).value)}>
            {functions.map((f) => (
              <option key={f.uuid} value={f.name}>
                {f.name} ({f.state})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Cron expression" id="sch-cron" hint="Five fields (minute hour day month weekday) or @hourly, @daily…; at most once a minute.">
          <input id="sch-cron" class="mono" value={cron} onInput={(e) => setCron((e.target as HTMLInputElement).value)} />
        </Field>
        <div class="chips" role="group" aria-label="Presets">
          {PRESETS.map(([c, label]) => (
            <button type="button" key={c} class={`chip ${cron === c ? 'selected' : ''}`} onClick={() => setCron(c)}>
              {label}
            </button>
          ))}
        </div>
        <Field label="Time zone" id="sch-tz">
          <input id="sch-tz" list="tz-list" value={tz} onInput={(e) => setTz((e.target as HTMLInputElement).value)} />
          <datalist id="tz-list">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label="Description" id="sch-desc">
          <input id="sch-desc" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Payload (JSON)" id="sch-payload" error={payloadError}>
          <textarea id="sch-payload" class="mono" rows={4} value={payload} onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={active} onChange={() => setActive(!active)} /> Active
        </label>
    </FormModal>
  );
}

export function SchedulesPage() {
  const acct = useAccountPath();
  const data = useAsync(async () => {
    const [schedules, functions] = await Promise.all([get<Schedule[]>(acct('/schedules')), get<FunctionSummary[]>(acct('/functions'))]);
    return { schedules, functions };
  }, [acct('')]);
  const [creating, setCreating] = useState(false);
  const fnName = (uuid: string) => data.data?.functions.find((f) => f.uuid === uuid || f.name === uuid)?.name ?? uuid;

  const toggle = async (s: Schedule) => {
    try {
      await put(acct(`/schedules/${s.id}`), { isActive: !s.isActive });
      toast(s.isActive ? 'Schedule paused' : 'Schedule activated');
      void data.reload();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const remove = (s: Schedule) =>
    confirmThen('Delete this schedule?', `${fnName(s.function)} will no longer run at “${s.cronExpression}”.`, 'Delete schedule', () => del(acct(`/schedules/${s.id}`)), 'Schedule deleted', () => void data.reload());

  return (
    <>
      <PageHeader
        title="Schedules"
        subtitle="Run functions on a cron schedule, in any time zone. Undeploying a function pauses its schedules."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!data.data}>
            New schedule
          </Button>
        }
      />
      <AsyncView value={data} label="Loading schedules…">
        {({ schedules, functions }) => (
          <>
            {schedules.length === 0 ? (
              <Empty title="No schedules" action={<Button variant="primary" onClick={() => setCreating(true)}>Add a schedule</Button>}>
                A schedule invokes a deployed function at the times its cron expression names.
              </Empty>
            ) : (
              <section class="card table-wrap">
                <Table columns={['Function', 'When', 'Status', 'Next run', 'Last run', '']}>
                    {schedules.map((s) => (
                      <tr key={s.id}>
                        <td>
                          <a class="strong" href={`/functions/${encodeURIComponent(fnName(s.function))}`}>
                            {fnName(s.function)}
                          </a>
                          {s.description && <div class="muted small">{s.description}</div>}
                        </td>
                        <td>
                          <code>{s.cronExpression}</code> <span class="muted small">{s.timeZone}</span>
                        </td>
                        <td>{s.pausedByUndeploy ? <Badge kind="amber">paused (undeployed)</Badge> : s.isActive ? <Badge kind="green">active</Badge> : <Badge>inactive</Badge>}</td>
                        <td title={formatTime(s.nextExecution)}>{s.nextExecution ? <Time value={s.nextExecution} /> : '—'}</td>
                        <td>
                          {s.lastExecution ? <Time value={s.lastExecution} /> : '—'}
                          {s.lastOutcome && <div class="small muted">{s.lastOutcome}</div>}
                        </td>
                        <td class="row-actions">
                          <Button class="btn-small" onClick={() => void toggle(s)}>
                            {s.isActive ? 'Pause' : 'Activate'}
                          </Button>
                          <Button class="btn-small" variant="ghost" onClick={() => void remove(s)} aria-label={`Delete schedule of ${fnName(s.function)}`}>
                            Delete
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </Table>
              </section>
            )}
            {creating && (
              <ScheduleForm
                functions={functions}
                onClose={() => setCreating(false)}
                onSaved={() => {
                  setCreating(false);
                  void data.reload();
                }}
              />
            )}
          </>
        )}
      </AsyncView>
    </>
  );
}
