// The outbound-domain allowlist: functions reach only these hosts.
import { useState } from 'preact/hooks';
import { del, get, listOf, post } from '../api';
import { useAccountPath } from '../session';
import { AsyncView, Button, confirmThen, Empty, errorText, PageHeader, Table, Time, toast, useAction, useAsync } from '../ui';

interface Domain {
  domain: string;
  createdAt?: string;
  createdBy?: string;
}

export function DomainsPage() {
  const acct = useAccountPath();
  const domains = useAsync(() => get<unknown>(acct('/domains')).then((d) => listOf<Domain | string>(d, 'domains').map((x) => (typeof x === 'string' ? { domain: x } : x))), [acct('')]);
  const [domain, setDomain] = useState('');
  const invalid = domain && !/^(\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+$/.test(domain.trim()) ? 'A host name, optionally with one leading wildcard: api.example.com or *.example.com' : null;
  const { busy, error, run } = useAction(async () => {
    await post(acct('/domains'), { domain: domain.trim() });
    toast(`${domain.trim()} allowed`);
    setDomain('');
    void domains.reload();
  });
  const add = (e: Event) => {
    e.preventDefault();
    if (domain.trim() && !invalid) void run();
  };
  const remove = (d: Domain) =>
    confirmThen(`Remove ${d.domain}?`, 'Functions will no longer be able to call this host.', 'Remove domain', () => del(acct(`/domains/${encodeURIComponent(d.domain)}`)), `${d.domain} removed`, () => void domains.reload());
  return (
    <>
      <PageHeader title="Allowed domains" subtitle="Functions can call only these hosts (checked at every redirect; private addresses are always refused)." />
      <form class="card inline-form" onSubmit={add}>
        <label for="domain-input">Domain</label>
        <input id="domain-input" class="mono" placeholder="api.example.com or *.example.com" value={domain} onInput={(e) => setDomain((e.target as HTMLInputElement).value)} aria-invalid={Boolean(invalid)} aria-describedby="domain-help" />
        <Button type="submit" variant="primary" busy={busy} disabled={!domain.trim() || Boolean(invalid)}>
          Allow
        </Button>
        <div id="domain-help" class={invalid ? 'field-error full' : 'field-hint full'}>
          {invalid ?? (error !== null ? errorText(error) : 'Exact host, or one leading wildcard for its subdomains.')}
        </div>
      </form>
      <AsyncView value={domains} label="Loading domains…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No allowed domains">Until you add one, functions cannot make outbound requests.</Empty>
          ) : (
            <section class="card table-wrap">
              <Table columns={['Domain', 'Added', '']}>
                  {list.map((d) => (
                    <tr key={d.domain}>
                      <td class="mono strong">{d.domain}</td>
                      <td>
                        {d.createdAt ? <Time value={d.createdAt} /> : '—'} {d.createdBy && <span class="muted small">by {d.createdBy}</span>}
                      </td>
                      <td class="row-actions">
                        <Button class="btn-small" variant="ghost" onClick={() => void remove(d)} aria-label={`Remove ${d.domain}`}>
                          Remove
                        </Button>
                      </td>
                    </tr>
                  ))}
                </Table>
            </section>
          )
        }
      </AsyncView>
    </>
  );
}
