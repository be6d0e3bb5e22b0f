// Users (with roles) and API clients (client id + secret shown once, scopes, revoke).
import { useState } from 'preact/hooks';
import { del, get, post, type ApiClient, type User } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Badge, Button, confirmThen, CopyButton, Empty, Field, FormModal, Modal, PageHeader, Table, Time, toast, useAction, useAsync } from '../ui';

const ROLES = [
  ['Admin', 'Everything, including secrets, domains, users and API clients'],
  ['Developer', 'Create, edit, deploy, invoke, schedules; sees secret names only'],
  ['Invoker', 'Invoke and read'],
  ['Viewer', 'Read only'],
];
const SCOPES = ['functions.invoke', 'functions.manage', 'functions.read', 'events.publish'];

function UserForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const acct = useAccountPath();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('Developer');
  const { busy, error, run } = useAction(async () => {
    await post(acct('/users'), { username, password, role });
    toast(`${username} added as ${role}`);
    onSaved();
  });
  return (
    <FormModal title="Add a user" submitLabel="Add user" onClose={onClose} onSubmit={() => void run()} busy={busy} disabled={!username} error={error}>
        <Field label="Username" id="user-name">
          <input id="user-name" autoComplete="off" value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Password" id="user-password" hint="For a new user. An existing user (of another account) keeps their password.">
          <input id="user-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <fieldset>
          <legend>Role</legend>
          {ROLES.map(([r, d]) => (
            <label key={r} class={`choice ${role === r ? 'selected' : ''}`}>
              <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
              <span>
                <strong>{r}</strong> <span class="muted small block">{d}</span>
              </span>
            </label>
          ))}
        </fieldset>
    </FormModal>
  );
}

function ClientForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const acct = useAccountPath();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['functions.invoke']);
  const [created, setCreated] = useState<ApiClient | null>(null);
  const { busy, error, run } = useAction(async () => {
    setCreated(await post<ApiClient>(acct('/clients'), { name, scopes }));
    onSaved();
  });
  if (created) {
    return (
      <Modal title="API client created" onClose={onClose} footer={<Button variant="primary" onClick={onClose}>Done</Button>}>
        <div class="alert alert-warn">Copy the secret now: it is shown only once.</div>
        <dl class="summary">
          <dt>Client id</dt>
          <dd class="mono">
            {created.clientId} <CopyButton text={created.clientId} />
          </dd>
          <dt>Client secret</dt>
          <dd class="mono break" data-testid="client-secret">
            {created.clientSecret} <CopyButton text={created.clientSecret ?? ''} />
          </dd>
        </dl>
        <p class="muted small">
          Get a token with <code>POST /api/v1/accounts/…/oauth/token</code> and <code>grant_type=client_credentials</code>.
        </p>
      </Modal>
    );
  }
  return (
    <FormModal title="New API client" submitLabel="Create client" onClose={onClose} onSubmit={() => void run()} busy={busy} disabled={!name} error={error}>
        <Field label="Name" id="client-name">
          <input id="client-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} class="check block">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s])} /> <code>{s}</code>
            </label>
          ))}
        </fieldset>
    </FormModal>
  );
}

export function AccessPage() {
  const acct = useAccountPath();
  const users = useAsync(() => get<User[]>(acct('/users')), [acct('')]);
  const clients = useAsync(() => get<ApiClient[]>(acct('/clients')), [acct('')]);
  const [dialog, setDialog] = useState<'user' | 'client' | null>(null);
  const revoke = (c: ApiClient) =>
    confirmThen(`Revoke ${c.name}?`, 'Its tokens stop working at once and it cannot get new ones.', 'Revoke client', () => del(acct(`/clients/${encodeURIComponent(c.clientId)}`)), `${c.name} revoked`, () => void clients.reload());
  return (
    <>
      <PageHeader title="Users & API clients" subtitle="Who can use this account, and the machine clients that call it." />
      <section class="card">
        <div class="panel-head">
          <h2>Users</h2>
          <Button class="btn-small" variant="primary" onClick={() => setDialog('user')}>
            Add user
          </Button>
        </div>
        <AsyncView value={users} label="Loading users…">
          {(list) =>
            list.length === 0 ? (
              <p class="muted pad">No users.</p>
            ) : (
              <div class="table-wrap">
                <Table columns={['Username', 'Role']}>
                    {list.map((u) => (
                      <tr key={u.id}>
                        <td class="strong">{u.username}</td>
                        <td>
                          <Badge kind={u.role === 'Admin' ? 'blue' : 'gray'}>{u.role}</Badge>
                        </td>
                      </tr>
                    ))}
                  </Table>
              </div>
            )
          }
        </AsyncView>
      </section>
      <section class="card">
        <div class="panel-head">
          <h2>API clients</h2>
          <Button class="btn-small" variant="primary" onClick={() => setDialog('client')}>
            New API client
          </Button>
        </div>
        <AsyncView value={clients} label="Loading API clients…">
          {(list) =>
            list.length === 0 ? (
              <Empty title="No API clients">Create one for a system that invokes functions or publishes events.</Empty>
            ) : (
              <div class="table-wrap">
                <Table columns={['Name', 'Client id', 'Scopes', 'Created', '']}>
                    {list.map((c) => (
                      <tr key={c.clientId} class={c.revoked ? 'revoked' : ''}>
                        <td class="strong">{c.name}</td>
                        <td class="mono small">{c.clientId}</td>
                        <td>
                          {c.scopes.map((s) => (
                            <Badge key={s}>{s}</Badge>
                          ))}
                        </td>
                        <td>
                          <Time value={c.createdAt} />
                        </td>
                        <td class="row-actions">
                          {c.revoked ? (
                            <Badge kind="red">revoked</Badge>
                          ) : (
                            <Button class="btn-small" variant="ghost" onClick={() => void revoke(c)} aria-label={`Revoke ${c.name}`}>
                              Revoke
                            </Button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </Table>
              </div>
            )
          }
        </AsyncView>
      </section>
      {dialog === 'user' && (
        <UserForm
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            void users.reload();
          }}
        />
      )}
      {dialog === 'client' && <ClientForm onClose={() => setDialog(null)} onSaved={() => void clients.reload()} />}
    </>
  );
}
