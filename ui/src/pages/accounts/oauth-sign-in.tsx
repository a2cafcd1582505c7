/**
 * "Sign in with OAuth" in the add-account dialog: pick the provider, open the sign-in page, and
 * either let the browser come back to the gateway by itself or paste where it ended up.
 */
import { PROVIDER_KINDS } from '@contracts';
import { type FormEvent, useState } from 'react';
import type { ProviderKind } from '../../api/types.js';
import { Countdown } from '../../components/badges.js';
import { CopyButton } from '../../components/copy-button.js';
import { useNotify } from '../../hooks/notices.js';
import { providerInfo } from '../../lib/providers.js';
import { useOAuthSignIn } from './use-oauth-sign-in.js';

export function OAuthSignIn({ providers, onDone }: { providers: readonly ProviderKind[]; onDone(): void }) {
  const notify = useNotify();
  const [provider, setProvider] = useState<ProviderKind>(providers[0] ?? PROVIDER_KINDS[0]);
  const [pasted, setPasted] = useState('');
  const signIn = useOAuthSignIn((result) => {
    notify.success(`${result.created ? 'Added' : 'Re-authorized'} ${result.account.email}`);
    onDone();
  });
  const { state, busy } = signIn;
  const start = () => {
    setPasted('');
    void signIn.start(provider);
  };
  const complete = (event: FormEvent) => {
    event.preventDefault();
    void signIn.complete(pasted);
  };
  return (
    <div className="oauth-sign-in">
      <p className="hint">
        Sign in with the account to add. The gateway keeps its refresh token (encrypted) and renews the access
        token by itself; signing in again with an existing account re-authorizes it.
      </p>
      <div className="form-grid">
        <label htmlFor="oauth-provider">Provider</label>
        <select
          id="oauth-provider"
          value={provider}
          onChange={(event) => setProvider(event.target.value as ProviderKind)}
          disabled={state.phase === 'waiting'}
        >
          {providers.map((kind) => (
            <option key={kind} value={kind}>
              {providerInfo(kind).title}
            </option>
          ))}
        </select>
      </div>
      {state.phase === 'failed' && (
        <p className="form-error" role="alert">
          {state.message}
        </p>
      )}
      {state.phase === 'waiting' ? (
        <ol>
          <li>
            Open the sign-in page and allow access:
            <div className="oauth-link">
              <a
                className="button-link"
                href={state.started.authorization_url}
                target="_blank"
                rel="noopener noreferrer"
              >
                Open the sign-in page
              </a>
              <CopyButton text={state.started.authorization_url} label="Copy link" what="sign-in link" />
            </div>
            <p className="hint" data-testid="oauth-waiting">
              Waiting for the browser to return to <code>{state.started.redirect_uri}</code> · expires in{' '}
              <Countdown until={state.started.expires_at} />
            </p>
          </li>
          <li>
            If that browser cannot reach this gateway (it runs on another machine), paste the address it ended
            on, or just the code:
            <form className="oauth-paste" onSubmit={complete}>
              <input
                aria-label="Redirect URL or code"
                value={pasted}
                onChange={(event) => setPasted(event.target.value)}
                placeholder={`${state.started.redirect_uri}?code=…&state=…`}
                autoComplete="off"
              />
              <button type="submit" disabled={busy || pasted.trim() === ''}>
                Complete sign-in
              </button>
            </form>
          </li>
        </ol>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className={state.phase === 'waiting' ? '' : 'primary'}
          onClick={start}
          disabled={busy}
        >
          {state.phase === 'idle' ? 'Start sign-in' : 'Start again'}
        </button>
      </div>
    </div>
  );
}
