/** Sign-in with the admin password (or the proxy API key when no admin password is set). */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import { errorMessage } from '../api/api-error.js';
import { credentialStore } from '../api/credential-store.js';

export function LoginScreen({ expired, onSignedIn }: { expired: boolean; onSignedIn(): void }) {
  const [credential, setCredential] = useState('');
  const [problem, setProblem] = useState<string | null>(
    expired ? 'The gateway no longer accepts the saved credential. Sign in again.' : null,
  );
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = credential.trim();
    if (!value) return setProblem('Enter the admin password or the API key.');
    setBusy(true);
    try {
      if (!(await api.verifyCredential(value))) {
        setProblem('The gateway did not accept this password or key.');
        return;
      }
      credentialStore.set(value);
      onSignedIn();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-describedby="login-help">
        <h1 className="brand">
          <span aria-hidden="true">⇄</span> Switchyard
        </h1>
        <label htmlFor="credential">Admin password or API key</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autoComplete="current-password"
          ref={input}
          value={credential}
          onChange={(event) => setCredential(event.target.value)}
        />
        <p id="login-help" className="muted small">
          Use <code>proxy.admin_password</code> from gui_config.json, or the API key the gateway printed at
          start when no admin password is set. It is kept for this browser tab only.
        </p>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
