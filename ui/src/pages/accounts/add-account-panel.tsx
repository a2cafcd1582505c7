/**
 * The add-account dialog's content: the API key / token form, and — when the gateway has an OAuth
 * client for some provider (`features.oauth_login` of the status) — sign-in as a second tab.
 */
import { useState } from 'react';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { AccountForm } from './account-form.js';
import { OAuthSignIn } from './oauth-sign-in.js';

type Method = 'key' | 'oauth';

const METHODS: readonly { id: Method; title: string }[] = [
  { id: 'key', title: 'API key or token' },
  { id: 'oauth', title: 'Sign in with OAuth' },
];

export function AddAccountPanel({ onDone }: { onDone(): void }) {
  const { status } = useGatewayData();
  const oauthProviders = status?.features.oauth_login ?? [];
  const [method, setMethod] = useState<Method>('key');
  if (oauthProviders.length === 0) return <AccountForm account={null} onDone={onDone} />;
  return (
    <>
      <div className="tabs" role="tablist" aria-label="How to add the account">
        {METHODS.map((option) => (
          <button
            key={option.id}
            type="button"
            role="tab"
            id={`add-method-${option.id}`}
            aria-selected={method === option.id}
            aria-controls="add-method-panel"
            onClick={() => setMethod(option.id)}
          >
            {option.title}
          </button>
        ))}
      </div>
      <div id="add-method-panel" role="tabpanel" aria-labelledby={`add-method-${method}`}>
        {method === 'key' ? (
          <AccountForm account={null} onDone={onDone} />
        ) : (
          <OAuthSignIn providers={oauthProviders} onDone={onDone} />
        )}
      </div>
    </>
  );
}
