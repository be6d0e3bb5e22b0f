// Account settings (GET/PUT /accounts/{acct}/settings): where results of automatic-message events
// are POSTed, and the secret that signs them (write-only: the API says only whether one is set).
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Badge, Button, ErrorAlert, Field, PageHeader, Time, toast, useAction, useAsync } from '../ui';

interface AccountSettings {
  resultWebhookUrl: string | null;
  resultWebhookSecretSet?: boolean;
  updatedAt?: string | null;
  updatedBy?: string | null;
}

export function SettingsPage() {
  const acct = useAccountPath();
  const settings = useAsync(() => get<AccountSettings>(acct('/settings')), [acct('')]);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  useEffect(() => {
    if (settings.data) setUrl(settings.data.resultWebhookUrl ?? '');
  }, [settings.data]);
  const urlError = url && !/^https?:\/\/[^\s/]+/.test(url) ? 'An http:// or https:// URL.' : null;
  const { busy, error, run } = useAction(async () => {
    // Only what changed: an empty secret field keeps the current secret.
    const body: Record<string, string | null> = { resultWebhookUrl: url.trim() || null };
    if (secret) body.resultWebhookSecret = secret;
    settings.setData(await put<AccountSettings>(acct('/settings'), body));
    setSecret('');
    toast('Settings saved');
  });
  return (
    <>
      <PageHeader title="Settings" subtitle="How this account's event results are delivered." />
      <AsyncView value={settings} label="Loading settings…">
        {(s) => (
          <form
            class="card form-card"
            onSubmit={(e) => {
              e.preventDefault();
              if (!urlError) void run();
            }}
          >
            <ErrorAlert error={error} />
            <h2>Result webhook</h2>
            <p class="muted small">Results of automatic-message events (system messages, transfers, closing a conversation) are validated, stored on the invocation and POSTed to this URL.</p>
            <Field label="Result webhook URL" id="set-webhook" error={urlError} hint="Empty: results are only stored.">
              <input id="set-webhook" type="url" placeholder="https://example.com/parley/results" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
            </Field>
            <Field
              label="Signing secret"
              id="set-webhook-secret"
              hint={
                <>
                  {s.resultWebhookSecretSet ? <Badge kind="green">set</Badge> : <Badge>not set</Badge>} Write-only: leave empty to keep the current one.
                </>
              }
            >
              <input id="set-webhook-secret" type="password" autoComplete="new-password" value={secret} onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
            </Field>
            {s.updatedAt && (
              <p class="muted small">
                Last changed <Time value={s.updatedAt} /> by {s.updatedBy}
              </p>
            )}
            <div class="form-actions">
              <Button type="submit" variant="primary" busy={busy} disabled={Boolean(urlError)}>
                Save settings
              </Button>
            </div>
          </form>
        )}
      </AsyncView>
    </>
  );
}
