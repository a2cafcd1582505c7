/**
 * Create a client key or change one: name, holder, allowed models, which accounts serve it (any,
 * one, or a group = the accounts with that label), expiry and limits. Creating shows the secret once.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/api-client.js';
import type {
  CreateKeyBody,
  IssuedKeyView,
  PatchKeyBody,
  PublicAccount,
  PublicClientKey,
} from '../../api/types.js';
import { useAction } from '../../hooks/use-action.js';
import { LIMIT_FIELDS, type LimitTexts, limitTexts, parseLimitTexts } from '../../lib/key-limits.js';
import { formatModelList, parseModelList } from '../../lib/model-list.js';

type Scope = 'any' | 'account' | 'group';

interface FormState {
  name: string;
  owner: string;
  models: string;
  scope: Scope;
  accountId: string;
  group: string;
  /** `YYYY-MM-DD`, the key stops working at the start of that UTC day; empty = never. */
  expires: string;
  limits: LimitTexts;
}

function initialState(key: PublicClientKey | null, accounts: readonly PublicAccount[]): FormState {
  return {
    name: key?.name ?? '',
    owner: key?.owner ?? '',
    models: formatModelList(key?.models ?? []),
    scope: key?.account_id ? 'account' : key?.account_group ? 'group' : 'any',
    accountId: key?.account_id ?? accounts[0]?.id ?? '',
    group: key?.account_group ?? '',
    expires: key?.expires_at ? key.expires_at.slice(0, 10) : '',
    limits: limitTexts(key?.limits ?? null),
  };
}

function settings(state: FormState, limits: CreateKeyBody['limits']): CreateKeyBody {
  return {
    name: state.name.trim(),
    owner: state.owner.trim() || null,
    models: parseModelList(state.models),
    account_id: state.scope === 'account' ? state.accountId : null,
    account_group: state.scope === 'group' ? state.group.trim() : null,
    expires_at: state.expires ? `${state.expires}T00:00:00Z` : null,
    limits,
  };
}

export function KeyForm(props: {
  keyToEdit: PublicClientKey | null;
  accounts: readonly PublicAccount[];
  onCreated(issued: IssuedKeyView): void;
  onDone(): void;
}) {
  const { keyToEdit, accounts } = props;
  const [state, setState] = useState(() => initialState(keyToEdit, accounts));
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useAction();
  const groups = [
    ...new Set(accounts.map((account) => account.label).filter((label): label is string => !!label)),
  ];
  const set = (field: Exclude<keyof FormState, 'limits'>) => (event: { target: { value: string } }) =>
    setState((current) => ({ ...current, [field]: event.target.value }));
  const setLimit = (field: keyof LimitTexts) => (event: { target: { value: string } }) =>
    setState((current) => ({ ...current, limits: { ...current.limits, [field]: event.target.value } }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseLimitTexts(state.limits);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    const body = settings(state, parsed.limits);
    if (keyToEdit) {
      const saved = await run(() => api.updateKey(keyToEdit.id, body as PatchKeyBody), `Saved ${body.name}`);
      if (saved) props.onDone();
      return;
    }
    const issued = await run(() => api.createKey(body), `Created ${body.name}`);
    if (issued) props.onCreated(issued);
  };
  return (
    <form className="form-grid" onSubmit={submit}>
      <label htmlFor="key-name">Name</label>
      <input
        id="key-name"
        required
        value={state.name}
        onChange={set('name')}
        placeholder="alice, ci-nightly…"
        autoComplete="off"
      />
      <label htmlFor="key-owner">Holder</label>
      <input
        id="key-owner"
        value={state.owner}
        onChange={set('owner')}
        placeholder="optional: a person, a team, a job"
      />
      <label htmlFor="key-models">Models</label>
      <input
        id="key-models"
        value={state.models}
        onChange={set('models')}
        placeholder="empty = any model; e.g. gpt-4o, claude-*"
      />
      <label htmlFor="key-scope">Served by</label>
      <select id="key-scope" value={state.scope} onChange={set('scope')}>
        <option value="any">Any account</option>
        <option value="account" disabled={accounts.length === 0}>
          One account
        </option>
        <option value="group">An account group (label)</option>
      </select>
      {state.scope === 'account' && (
        <>
          <label htmlFor="key-account">Account</label>
          <select id="key-account" value={state.accountId} onChange={set('accountId')}>
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.email}
              </option>
            ))}
          </select>
        </>
      )}
      {state.scope === 'group' && (
        <>
          <label htmlFor="key-group">Group</label>
          <input
            id="key-group"
            required
            list="key-groups"
            value={state.group}
            onChange={set('group')}
            placeholder="the label of its accounts"
          />
          <datalist id="key-groups">
            {groups.map((group) => (
              <option key={group} value={group} />
            ))}
          </datalist>
        </>
      )}
      <label htmlFor="key-expires">Expires (UTC)</label>
      <input id="key-expires" type="date" value={state.expires} onChange={set('expires')} />
      <fieldset className="form-wide limits-fieldset">
        <legend>Limits (empty = unlimited; costs are estimates from the price table)</legend>
        <div className="limits-grid">
          {LIMIT_FIELDS.map(({ field, label, whole }) => (
            <label key={field} className="field">
              <span>{label}</span>
              <input
                inputMode={whole ? 'numeric' : 'decimal'}
                value={state.limits[field]}
                onChange={setLimit(field)}
                placeholder="unlimited"
              />
            </label>
          ))}
        </div>
      </fieldset>
      {problem && (
        <p className="form-error form-wide" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions form-wide">
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {keyToEdit ? 'Save' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
