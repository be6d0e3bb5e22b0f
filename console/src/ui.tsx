// Shared building blocks: data loading, loading/empty/error states, dialogs, confirmations,
// toasts, form fields, badges and formatting.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

// ---- loading data --------------------------------------------------------------------------

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (d: T) => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await load();
      if (mine === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setData(undefined);
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.missingRoute) return 'This server does not offer this feature yet.';
    const fields = (e.details as { fields?: { field: string; message: string }[] })?.fields;
    if (Array.isArray(fields) && fields.length) return fields.map((f) => `${f.field} ${f.message}`).join('; ');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

// ---- states --------------------------------------------------------------------------------

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span class="spinner" role="status" aria-label={label} />;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="state state-loading" aria-busy="true">
      <Spinner /> <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <div class="state-icon" aria-hidden="true">◌</div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const missing = error instanceof ApiError && error.missingRoute;
  return (
    <div class={`alert ${missing ? 'alert-info' : 'alert-error'}`} role="alert">
      <span>{errorText(error)}</span>
      {onRetry && !missing && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

// Renders loading / error / content for an Async value.
export function AsyncView<T>({ value, children, label }: { value: Async<T>; children: (d: T) => ComponentChildren; label?: string }) {
  if (value.error && value.data === undefined) return <ErrorBox error={value.error} onRetry={() => void value.reload()} />;
  if (value.data === undefined) return <Loading label={label} />;
  return <>{children(value.data)}</>;
}

// ---- dialogs -------------------------------------------------------------------------------

export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[autofocus], input, textarea, select, button.btn-primary, button');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      } else if (e.key === 'Tab' && el) {
        // Keep the focus inside the dialog.
        const items = [...el.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]')];
        if (!items.length) return;
        const [a, z] = [items[0], items[items.length - 1]];
        if (e.shiftKey && document.activeElement === a) {
          e.preventDefault();
          z.focus();
        } else if (!e.shiftKey && document.activeElement === z) {
          e.preventDefault();
          a.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, []);
  const id = `modal-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div class={`modal ${wide ? 'modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={id} ref={ref}>
        <header class="modal-header">
          <h2 id={id}>{title}</h2>
          <button type="button" class="icon-btn" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div class="modal-body">{children}</div>
        {footer && <footer class="modal-footer">{footer}</footer>}
      </div>
    </div>
  );
}

interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  confirm: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}
let showConfirm: (r: ConfirmRequest) => void = () => {};

// Asks the user to confirm a destructive action; resolves true when confirmed.
export function confirmAction(title: string, body: ComponentChildren, confirm = 'Confirm', danger = true): Promise<boolean> {
  return new Promise((resolve) => showConfirm({ title, body, confirm, danger, resolve }));
}

export function ConfirmHost() {
  const [req, setReq] = useState<ConfirmRequest | null>(null);
  showConfirm = setReq;
  if (!req) return null;
  const done = (ok: boolean) => {
    setReq(null);
    req.resolve(ok);
  };
  return (
    <Modal
      title={req.title}
      onClose={() => done(false)}
      footer={
        <>
          <button type="button" class="btn" onClick={() => done(false)}>
            Cancel
          </button>
          <button type="button" class={`btn ${req.danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => done(true)} autofocus>
            {req.confirm}
          </button>
        </>
      }
    >
      <div class="confirm-body">{req.body}</div>
    </Modal>
  );
}

// ---- toasts --------------------------------------------------------------------------------

interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
}
let pushToast: (t: Toast) => void = () => {};
let toastSeq = 0;
export function toast(text: string, kind: 'ok' | 'error' = 'ok') {
  pushToast({ id: ++toastSeq, text, kind });
}

export function ToastHost() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  pushToast = (t) => {
    setToasts((all) => [...all.slice(-2), t]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== t.id)), t.kind === 'error' ? 8000 : 4000);
  };
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

// ---- forms ---------------------------------------------------------------------------------

let fieldSeq = 0;
export function useId(prefix = 'f') {
  const ref = useRef<string>();
  if (!ref.current) ref.current = `${prefix}-${++fieldSeq}`;
  return ref.current;
}

export function Field({
  label,
  hint,
  error,
  children,
  id,
}: {
  label: string;
  hint?: ComponentChildren;
  error?: string | null;
  id: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field ${error ? 'field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {error ? (
        <div class="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : (
        hint && <div class="field-hint">{hint}</div>
      )}
    </div>
  );
}

type ButtonProps = Omit<JSX.HTMLAttributes<HTMLButtonElement>, 'type'> & {
  busy?: boolean;
  variant?: 'primary' | 'danger' | 'ghost';
  type?: 'button' | 'submit';
  disabled?: boolean;
  form?: string;
};
export function Button(props: ButtonProps) {
  const { busy, variant, children, class: cls, disabled, type = 'button', ...rest } = props;
  return (
    <button type={type} class={`btn ${variant ? `btn-${variant}` : ''} ${cls ?? ''}`} disabled={Boolean(disabled) || busy} aria-busy={busy} {...rest}>
      {busy && <Spinner label="Working" />}
      {children}
    </button>
  );
}

// ---- display -------------------------------------------------------------------------------

const stateClass: Record<string, string> = {
  Draft: 'badge-gray',
  Productive: 'badge-green',
  Modified: 'badge-amber',
  Undeployed: 'badge-gray',
  'Build Error': 'badge-red',
  'Deploy Error': 'badge-red',
};
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge ${stateClass[state] ?? 'badge-gray'}`}>{state}</span>;
}

export function Badge({ kind = 'gray', children }: { kind?: string; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

export function PageHeader({ title, subtitle, actions }: { title: ComponentChildren; subtitle?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p class="subtitle">{subtitle}</p>}
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}

export function timeAgo(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) return String(t);
  const s = Math.round((Date.now() - ms) / 1000);
  const abs = Math.abs(s);
  const fmt = (n: number, unit: string) => (s >= 0 ? `${n} ${unit}${n === 1 ? '' : 's'} ago` : `in ${n} ${unit}${n === 1 ? '' : 's'}`);
  if (abs < 45) return s >= 0 ? 'just now' : 'in a moment';
  if (abs < 3600) return fmt(Math.round(abs / 60), 'minute');
  if (abs < 86400) return fmt(Math.round(abs / 3600), 'hour');
  if (abs < 86400 * 30) return fmt(Math.round(abs / 86400), 'day');
  return new Date(ms).toLocaleDateString();
}

export function formatTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const d = new Date(typeof t === 'number' ? t : Date.parse(t));
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}

export function Time({ value }: { value: string | number | null | undefined }) {
  return <time title={formatTime(value)}>{timeAgo(value)}</time>;
}

export function pretty(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v, null, 2);
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="btn btn-small"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

// ---- forms and destructive actions ---------------------------------------------------------

// Busy and error state around an async action (a form's submit): run() never throws; the error
// is kept for display where the action was started.
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <div class="alert alert-error" role="alert">
      {errorText(error)}
    </div>
  );
}

// A dialog holding a form: the error of its last submit, Cancel and the submit button.
export function FormModal({
  title,
  submitLabel,
  onClose,
  onSubmit,
  busy,
  disabled,
  error,
  children,
}: {
  title: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  disabled?: boolean;
  error: unknown;
  children: ComponentChildren;
}) {
  const formId = useId('form');
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={busy} disabled={disabled}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          if (!disabled) onSubmit();
        }}
      >
        <ErrorAlert error={error} />
        {children}
      </form>
    </Modal>
  );
}

// Asks for confirmation, runs `action`, then says `done` (or the error) in a toast.
export async function confirmThen(title: string, body: ComponentChildren, confirmLabel: string, action: () => Promise<unknown>, done: string, after?: () => void) {
  if (!(await confirmAction(title, body, confirmLabel))) return;
  try {
    await action();
    toast(done);
    after?.();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

// A table with a header row; an empty column name is an unlabelled actions column.
export function Table({ columns, children, class: cls }: { columns: string[]; children: ComponentChildren; class?: string }) {
  return (
    <table class={`table ${cls ?? ''}`}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i}>{c || <span class="sr-only">Actions</span>}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
