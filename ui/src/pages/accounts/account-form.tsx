/**
 * Add an account (API key per provider, or an OAuth refresh token for Code Assist) or edit one
 * (label, tier, models, base URL, a new key). Sends only what the admin contract accepts.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/api-client.js';
import type {
  CreateAccountBody,
  PatchAccountBody,
  ProviderKind,
  PublicAccount,
  Tier,
} from '../../api/types.js';
import { useAction } from '../../hooks/use-action.js';
import { formatModelList, parseModelList } from '../../lib/model-list.js';
import { PROVIDERS, providerInfo } from '../../lib/providers.js';

interface FormState {
  provider: ProviderKind;
  email: string;
  secret: string;
  baseUrl: string;
  tier: Tier | '';
  models: string;
  label: string;
}

function initialState(account: PublicAccount | null): FormState {
  return {
    provider: account?.provider ?? 'openai',
    email: account?.email ?? '',
    secret: '',
    baseUrl: account?.base_url ?? '',
    tier: account?.tier ?? '',
    models: formatModelList(account?.models ?? []),
    label: account?.label ?? '',
  };
}

function createBody(state: FormState): CreateAccountBody {
  const info = providerInfo(state.provider);
  return {
    provider: state.provider,
    email: state.email.trim(),
    ...(info.apiKey ? { api_key: state.secret.trim() } : { refresh_token: state.secret.trim() }),
    base_url: state.baseUrl.trim() || null,
    tier: state.tier || null,
    models: parseModelList(state.models),
    label: state.label.trim() || null,
  };
}

function patchBody(state: FormState, account: PublicAccount): PatchAccountBody {
  const patch: PatchAccountBody = {
    label: state.label.trim() || null,
    tier: state.tier || null,
    models: parseModelList(state.models),
    base_url: state.baseUrl.trim() || null,
  };
  if (state.email.trim() !== account.email) patch.email = state.email.trim();
  const secret = state.secret.trim();
  if (secret) {
    if (account.credential.type === 'api_key') patch.api_key = secret;
    else patch.refresh_token = secret;
  }
  return patch;
}

export function AccountForm({ account, onDone }: { account: PublicAccount | null; onDone(): void }) {
  const [state, setState] = useState(() => initialState(account));
  const { busy, run } = useAction();
  const info = providerInfo(state.provider);
  const set = (field: keyof FormState) => (event: { target: { value: string } }) =>
    setState((current) => ({ ...current, [field]: event.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = account
      ? await run(() => api.updateAccount(account.id, patchBody(state, account)), `Saved ${state.email}`)
      : await run(() => api.createAccount(createBody(state)), `Added ${state.email}`);
    if (saved) onDone();
  };
  const usesKey = account ? account.credential.type === 'api_key' : info.apiKey;
  const secretLabel = usesKey ? 'API key' : 'OAuth refresh token';
  return (
    <form className="form-grid" onSubmit={submit}>
      <label htmlFor="account-provider">Provider</label>
      <select
        id="account-provider"
        value={state.provider}
        onChange={set('provider')}
        disabled={account !== null}
      >
        {PROVIDERS.map((provider) => (
          <option key={provider.kind} value={provider.kind}>
            {provider.title}
          </option>
        ))}
      </select>
      <label htmlFor="account-email">Email or name</label>
      <input id="account-email" required value={state.email} onChange={set('email')} autoComplete="off" />
      <label htmlFor="account-secret">
        {account ? `New ${secretLabel} (leave empty to keep)` : secretLabel}
      </label>
      <input
        id="account-secret"
        type="password"
        required={account === null}
        value={state.secret}
        onChange={set('secret')}
        autoComplete="off"
        placeholder={account ? account.credential.masked : ''}
      />
      <label htmlFor="account-base-url">Base URL</label>
      <input
        id="account-base-url"
        type="url"
        value={state.baseUrl}
        onChange={set('baseUrl')}
        placeholder={info.baseUrlPlaceholder}
      />
      <label htmlFor="account-tier">Tier</label>
      <select id="account-tier" value={state.tier} onChange={set('tier')}>
        <option value="">Unknown</option>
        <option value="FREE">FREE</option>
        <option value="PRO">PRO</option>
        <option value="ULTRA">ULTRA</option>
      </select>
      <label htmlFor="account-models">Models</label>
      <input
        id="account-models"
        value={state.models}
        onChange={set('models')}
        placeholder="empty = any model; e.g. gpt-4o, gpt-4.1*"
      />
      <label htmlFor="account-label">Label</label>
      <input id="account-label" value={state.label} onChange={set('label')} placeholder="optional note" />
      <div className="dialog-actions form-wide">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {account ? 'Save' : 'Add account'}
        </button>
      </div>
    </form>
  );
}
