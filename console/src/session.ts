// Who is logged in and which account the console shows.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './api';

export interface Session {
  me: Me;
  account: string;
  setAccount: (id: string) => void;
  logout: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

// "/accounts/<acct>" + rest: the account-scoped API paths.
export function useAccountPath() {
  const { account } = useSession();
  return (rest = '') => `/accounts/${encodeURIComponent(account)}${rest}`;
}

const KEY = 'parley.account';
export const savedAccount = () => localStorage.getItem(KEY) ?? '';
export const saveAccount = (id: string) => localStorage.setItem(KEY, id);
