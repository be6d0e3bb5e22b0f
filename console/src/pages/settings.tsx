// Account settings: the result webhook and limits (GET/PUT /accounts/{acct}/settings).
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Button, ErrorAlert, Field, PageHeader, toast, useAction, useAsync } from '../ui';

type AccountSettings = Record<string, unknown>;

export function SettingsPage() {
  const acct = useAccountPath();
  const settings = useAsync(() => get<AccountSettings>(acct('/settings')), [acct('')]);
  const [form, setForm] = useState<AccountSettings>({});
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  const { busy, error, run } = useAction(async () => {
    settings.setData(await put<AccountSettings>(acct('/settings'), form));
    toast('Settings saved');
  });
  const save = (e: Event) => {
    e.preventDefault();
    void run();
  };
  const scalarEntries = Object.entries(form).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  return (
    <>
      <PageHeader title="Settings" subtitle="How this account's events are delivered and what it may use." />
      <AsyncView value={settings} label="Loading settings…">
        {() => (
          <form class="card form-card" onSubmit={save}>
            <ErrorAlert error={error} />
            {scalarEntries.map(([k, v]) => {
              const id = `setting-${k}`;
              const label = k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
              if (typeof v === 'boolean') {
                return (
                  <label key={k} class="check block">
                    <input type="checkbox" checked={v} onChange={() => setForm({ ...form, [k]: !v })} /> {label}
                  </label>
                );
              }
              return (
                <Field key={k} label={label} id={id} hint={k === 'resultWebhookUrl' ? 'Results of automatic-message events are POSTed here.' : undefined}>
                  <input
                    id={id}
                    type={typeof v === 'number' ? 'number' : 'text'}
                    value={v === null ? '' : String(v)}
                    onInput={(e) => {
                      const raw = (e.target as HTMLInputElement).value;
                      setForm({ ...form, [k]: typeof v === 'number' ? Number(raw) : raw === '' && v === null ? null : raw });
                    }}
                  />
                </Field>
              );
            })}
            <div class="form-actions">
              <Button type="submit" variant="primary" busy={busy}>
                Save settings
              </Button>
            </div>
          </form>
        )}
      </AsyncView>
    </>
  );
}
