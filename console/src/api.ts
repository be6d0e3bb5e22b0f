// The console's only way to the server: the public HTTP API under /api/v1. Authentication is the
// HttpOnly session cookie set by POST /auth/login; every unsafe request echoes the parley_csrf
// cookie in X-CSRF-Token (double submit), as the server requires.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  // The route does not exist on this server (a feature that is not installed).
  get missingRoute(): boolean {
    return this.status === 404 && this.code === 'not_found' && /no route/.test(this.message);
  }
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(f: () => void) {
  onUnauthenticated = f;
}

export function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)parley_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

export async function request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken();
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })?.error;
    const err = new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `${res.status} ${res.statusText}`, e?.details ?? {});
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw err;
  }
  return data as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

// ---- Shapes of the API's answers (SPEC §14) -----------------------------------------------

export interface Me {
  id: string;
  name: string;
  operator: boolean;
  kind: 'user' | 'client';
  accounts: { id: string; name: string }[];
}

export type FunctionState = 'Draft' | 'Productive' | 'Modified' | 'Undeployed' | 'Build Error' | 'Deploy Error';

export interface BuildError {
  message: string;
  line?: number | null;
  column?: number | null;
}

export interface FunctionSummary {
  uuid: string;
  name: string;
  description: string;
  eventId: string;
  skills: string[];
  state: FunctionState;
  version: number;
  deployedVersion: number | null;
  lastError: BuildError | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface Settings {
  timeoutSeconds: number;
  memoryMb: number;
}

export interface FunctionDetail extends FunctionSummary {
  code: string;
  environment: Record<string, string>;
  settings: Settings;
}

export interface Version {
  version: number;
  code: string;
  environment: Record<string, string>;
  settings: Settings;
  createdAt: string;
  createdBy: string;
}

export interface Deployment {
  id: number;
  action: string;
  version: number;
  deploymentState: string;
  error: BuildError | null;
  createdAt: string;
  createdBy: string;
}

export interface LogEntry {
  level: string;
  message: string;
  extras?: unknown[];
  timestamp: number | string;
  invocationId?: string;
}

export interface TestResult {
  result?: unknown;
  error?: { code: string; message: string; stack?: string; outcome?: string };
  logs: LogEntry[];
  durationMs: number;
  invocationId: string;
  version: number;
}

export interface EventType {
  eventId: string;
  eventName: string;
  description: string;
  category: string;
  lambdaLimit: number;
  skillsSupported: boolean;
  samplePayload: unknown;
}

export interface Template {
  id: string;
  name: string;
  description: string;
  eventIds: string[];
  code: string;
}

export interface Schedule {
  id: string;
  function: string;
  cronExpression: string;
  timeZone: string;
  headers: Record<string, string>;
  payload: unknown;
  description: string;
  isActive: boolean;
  pausedByUndeploy: boolean;
  nextExecution: string | null;
  lastExecution: string | null;
  lastOutcome: string | null;
  createdAt: string;
  createdBy: string;
}

export interface Secret {
  name: string;
  type: 'plaintext' | 'json';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface User {
  id: string;
  username: string;
  role: string;
}

export interface ApiClient {
  clientId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revoked: boolean;
  clientSecret?: string;
}

export interface Validation {
  valid: boolean;
  error: BuildError | null;
}

// An answer that is a list, or an object holding one under a usual key.
export function listOf<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'data', 'entries', 'results']) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}
