import { useState } from 'preact/hooks';
import { post } from '../api';
import { Button, errorText, Field } from '../ui';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post('/auth/login', { username, password });
      await onLoggedIn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form class="login-card" onSubmit={submit} noValidate>
        <div class="brand brand-large">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <span>Parley</span>
        </div>
        <h1>Sign in</h1>
        <p class="muted">Write, test, deploy and watch your conversational functions.</p>
        {error && (
          <div class="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <Field label="Username" id="login-username">
          <input id="login-username" name="username" autoComplete="username" value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} autofocus />
        </Field>
        <Field label="Password" id="login-password">
          <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </Field>
        <Button type="submit" variant="primary" class="btn-block" busy={busy}>
          Sign in
        </Button>
        <p class="login-hint muted">
          First start? The operator is <code>admin</code>; its password is printed by <code>parley server</code> and kept in <code>data/admin-password</code>.
        </p>
      </form>
    </div>
  );
}
