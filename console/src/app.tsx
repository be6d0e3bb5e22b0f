// The shell: session check, login, navigation, account switcher and the page for the URL.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, setUnauthenticatedHandler, type Me } from './api';
import { match, navigate, onLinkClick, useLocation } from './router';
import { savedAccount, saveAccount, SessionContext, type Session } from './session';
import { ConfirmHost, Loading, ToastHost } from './ui';
import { LoginPage } from './pages/login';
import { HomePage } from './pages/home';
import { FunctionsPage } from './pages/functions';
import { CreateFunctionPage } from './pages/create';
import { FunctionPage } from './pages/function';
import { SchedulesPage } from './pages/schedules';
import { SecretsPage } from './pages/secrets';
import { DomainsPage } from './pages/domains';
import { AccessPage } from './pages/access';
import { ActivityPage } from './pages/activity';
import { SettingsPage } from './pages/settings';

const NAV: { href: string; label: string; icon: string }[] = [
  { href: '/', label: 'Overview', icon: '◧' },
  { href: '/functions', label: 'Functions', icon: 'ƒ' },
  { href: '/schedules', label: 'Schedules', icon: '◷' },
  { href: '/secrets', label: 'Secrets', icon: '◈' },
  { href: '/domains', label: 'Allowed domains', icon: '⇄' },
  { href: '/access', label: 'Users & API clients', icon: '☺' },
  { href: '/activity', label: 'Activity', icon: '≡' },
  { href: '/settings', label: 'Settings', icon: '⚙' },
];

function Page({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === '/') return <HomePage />;
  if (path === '/functions') return <FunctionsPage />;
  if (path === '/functions/new') return <CreateFunctionPage />;
  if ((m = match('/functions/:name/:tab?', path))) return <FunctionPage name={m.name} tab={m.tab ?? 'code'} />;
  if (path === '/schedules') return <SchedulesPage />;
  if (path === '/secrets') return <SecretsPage />;
  if (path === '/domains') return <DomainsPage />;
  if (path === '/access') return <AccessPage />;
  if (path === '/activity') return <ActivityPage />;
  if (path === '/settings') return <SettingsPage />;
  return (
    <div class="state state-empty">
      <h3>Page not found</h3>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </div>
  );
}

function Shell({ session, children, path }: { session: Session; children: ComponentChildren; path: string }) {
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <div class={`shell ${menuOpen ? 'menu-open' : ''}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <aside class="sidebar" aria-label="Main navigation">
        <div class="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Parley</span>
        </div>
        <label class="account-switch">
          <span>Account</span>
          <select value={session.account} onChange={(e) => session.setAccount((e.target as HTMLSelectElement).value)}>
            {session.me.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name && a.name !== a.id ? `${a.name} (${a.id})` : a.id}
              </option>
            ))}
          </select>
        </label>
        <nav>
          {NAV.map((n) => (
            <a key={n.href} href={n.href} class={active(n.href) ? 'active' : ''} aria-current={active(n.href) ? 'page' : undefined}>
              <span class="nav-icon" aria-hidden="true">
                {n.icon}
              </span>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="sidebar-footer">
          <div class="who">
            <span class="avatar" aria-hidden="true">
              {session.me.name.slice(0, 1).toUpperCase()}
            </span>
            <span>
              <strong>{session.me.name}</strong>
              <small>{session.me.operator ? 'Operator' : 'User'}</small>
            </span>
          </div>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => void session.logout()}>
            Log out
          </button>
        </div>
      </aside>
      <div class="topbar">
        <button type="button" class="icon-btn" aria-label="Menu" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
          ☰
        </button>
        <span class="brand-small">Parley</span>
        <span class="muted">{session.account}</span>
      </div>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

export function App() {
  const { path } = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [account, setAccountState] = useState('');

  const loadMe = async () => {
    try {
      const m = await get<Me>('/me');
      setMe(m);
      const saved = savedAccount();
      const pick = m.accounts.find((a) => a.id === saved)?.id ?? m.accounts.find((a) => a.id !== 'default')?.id ?? m.accounts[0]?.id ?? '';
      setAccountState(pick);
    } catch {
      setMe(null);
    }
  };
  useEffect(() => {
    setUnauthenticatedHandler(() => setMe(null));
    void loadMe();
  }, []);

  useEffect(() => {
    if (me === null && path !== '/login') navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  }, [me, path]);

  if (me === undefined) return <Loading label="Starting Parley…" />;
  if (me === null || path === '/login') {
    return (
      <>
        <LoginPage
          onLoggedIn={async () => {
            await loadMe();
            const next = new URLSearchParams(location.search).get('next');
            navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/', { replace: true });
          }}
        />
        <ToastHost />
      </>
    );
  }
  const session: Session = {
    me,
    account,
    setAccount: (id) => {
      saveAccount(id);
      setAccountState(id);
      if (path.startsWith('/functions/')) navigate('/functions');
    },
    logout: async () => {
      await post('/auth/logout').catch(() => {});
      setMe(null);
      navigate('/login', { replace: true });
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <div onClick={onLinkClick}>
        <Shell session={session} path={path}>
          {account ? (
            <Page key={account} path={path} />
          ) : (
            <div class="state state-empty">
              <h3>No account yet</h3>
              <p>This user is not a member of any account. An operator can create one and add you to it.</p>
            </div>
          )}
        </Shell>
      </div>
      <ConfirmHost />
      <ToastHost />
    </SessionContext.Provider>
  );
}
