// Secrets: names and types only (values are never shown); Admins create, replace and delete.
import { useState } from 'preact/hooks';
import { del, get, post, put, type Secret } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Badge, Button, confirmThen, Empty, Field, FormModal, PageHeader, Table, Time, toast, useAction, useAsync } from '../ui';

function SecretForm({ existing, onClose, onSaved }: { existing: Secret | null; onClose: () => void; onSaved: () => void }) {
  const acct = useAccountPath();
  const [name, setName] = useState(existing?.name ?? '');
  const [type, setType] = useState<'plaintext' | 'json'>(existing?.type ?? 'plaintext');
  const [value, setValue] = useState('');
  const nameError = name && !/^[A-Za-z0-9_-]{1,100}$/.test(name) ? 'Use 1–100 letters, digits, - or _.' : null;
  let jsonError: string | null = null;
  if (type === 'json' && value) {
    try {
      JSON.parse(value);
    } catch (e) {
      jsonError = `Not valid JSON: ${(e as Error).message}`;
    }
  }
  const { busy, error, run } = useAction(async () => {
    if (existing) await put(acct(`/secrets/${encodeURIComponent(name)}`), { value, type });
    else await post(acct('/secrets'), { name, value, type });
    toast(existing ? `Secret ${name} replaced` : `Secret ${name} created`);
    onSaved();
  });
  return (
    <FormModal
      title={existing ? `Replace ${existing.name}` : 'New secret'}
      submitLabel={existing ? 'Replace value' : 'Create secret'}
      onClose={onClose}
      onSubmit={() => void run()}
      busy={busy}
      disabled={!name || !value || Boolean(nameError || jsonError)}
      error={error}
    >
        <Field label="Name" id="secret-name" error={nameError}>
          <input id="secret-name" class="mono" value={name} disabled={Boolean(existing)} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Type" id="secret-type">
          <select id="secret-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as 'plaintext' | 'json')}>
            <option value="plaintext">Plain text</option>
            <option value="json">JSON (parsed when read)</option>
          </select>
        </Field>
        <Field label="Value" id="secret-value" error={jsonError} hint="Encrypted at rest. It is never shown again, and redacted from logs.">
          <textarea id="secret-value" class="mono" rows={4} autoComplete="off" spellcheck={false} value={value} onInput={(e) => setValue((e.target as HTMLTextAreaElement).value)} />
        </Field>
    </FormModal>
  );
}

export function SecretsPage() {
  const acct = useAccountPath();
  const secrets = useAsync(() => get<Secret[]>(acct('/secrets')), [acct('')]);
  const [editing, setEditing] = useState<Secret | null | 'new'>(null);
  const remove = (s: Secret) =>
    confirmThen(`Delete secret ${s.name}?`, 'Functions that read it will fail to find it. This cannot be undone.', 'Delete secret', () => del(acct(`/secrets/${encodeURIComponent(s.name)}`)), `Secret ${s.name} deleted`, () => void secrets.reload());
  return (
    <>
      <PageHeader
        title="Secrets"
        subtitle={
          <>
            Read them in functions with <code>Toolbelt.SecretClient().readSecret(name)</code>.
          </>
        }
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            New secret
          </Button>
        }
      />
      <AsyncView value={secrets} label="Loading secrets…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No secrets" action={<Button variant="primary" onClick={() => setEditing('new')}>Create a secret</Button>}>
              Keep API keys and passwords here instead of in code or environment variables.
            </Empty>
          ) : (
            <section class="card table-wrap">
              <Table columns={['Name', 'Type', 'Updated', '']}>
                  {list.map((s) => (
                    <tr key={s.name}>
                      <td class="mono strong">{s.name}</td>
                      <td>
                        <Badge>{s.type}</Badge>
                      </td>
                      <td>
                        <Time value={s.updatedAt} /> <span class="muted small">by {s.updatedBy}</span>
                      </td>
                      <td class="row-actions">
                        <Button class="btn-small" onClick={() => setEditing(s)} aria-label={`Replace ${s.name}`}>
                          Replace
                        </Button>
                        <Button class="btn-small" variant="ghost" onClick={() => void remove(s)} aria-label={`Delete ${s.name}`}>
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </Table>
            </section>
          )
        }
      </AsyncView>
      {editing !== null && (
        <SecretForm
          existing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void secrets.reload();
          }}
        />
      )}
    </>
  );
}
