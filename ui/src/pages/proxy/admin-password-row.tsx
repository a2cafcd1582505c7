/**
 * The admin password: write-only. The API shows only whether one is set (`********`), so this row
 * says "set" or "not set", takes a new one, or removes it; it never shows a password. The tab's
 * credential follows the change, so the page stays signed in.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/api-client.js';
import { credentialStore } from '../../api/credential-store.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useAction } from '../../hooks/use-action.js';

/** The API's admin password length limit (`proxy.admin_password`, schema). */
const MIN_LENGTH = 4;

export function AdminPasswordRow({ set, apiKey }: { set: boolean; apiKey: string }) {
  const { run, busy } = useAction();
  const confirm = useConfirm();
  const [draft, setDraft] = useState('');
  const valid = draft.length >= MIN_LENGTH;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    const password = draft;
    const saved = await run(async () => {
      await api.updateConfig({ proxy: { admin_password: password } });
      credentialStore.set(password);
      return true;
    }, 'Admin password saved');
    if (saved) setDraft('');
  };
  const remove = async () => {
    const yes = await confirm({
      title: 'Remove the admin password',
      message: <p>The API key becomes the admin login again.</p>,
      confirmLabel: 'Remove',
      danger: true,
    });
    if (!yes) return;
    await run(async () => {
      await api.updateConfig({ proxy: { admin_password: null } });
      credentialStore.set(apiKey);
    }, 'Admin password removed');
  };
  return (
    <form className="setting-row" onSubmit={submit}>
      <label htmlFor="admin-password">Admin password</label>
      <div className="setting-control wrap">
        <span data-testid="admin-password-state" className={`pill ${set ? 'pill-ok' : 'pill-warn'}`}>
          {set ? 'Set' : 'Not set'}
        </span>
        <input
          id="admin-password"
          type="password"
          autoComplete="new-password"
          value={draft}
          placeholder={set ? 'New password' : 'Password'}
          aria-describedby="admin-password-hint"
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" disabled={!valid || busy}>
          {set ? 'Change' : 'Set'}
        </button>
        {set && (
          <button type="button" className="danger-text" onClick={remove} disabled={busy}>
            Remove…
          </button>
        )}
      </div>
      <p id="admin-password-hint" className="hint">
        {set
          ? 'Signs in to this UI and the admin API instead of the API key. It is never shown again.'
          : `Without one, the API key is the admin login. At least ${MIN_LENGTH} characters.`}
      </p>
    </form>
  );
}
