/** Service: status, address, port, LAN access, auth mode, API key, admin password and request timeout (all via PUT /api/config). */
import { useState } from 'react';
import { api } from '../../api/api-client.js';
import { credentialStore } from '../../api/credential-store.js';
import type { ProxyStatus, SwitchyardConfig } from '../../api/types.js';
import { CheckboxSetting } from '../../components/checkbox-setting.js';
import { CopyButton } from '../../components/copy-button.js';
import { NumberSetting } from '../../components/number-setting.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useAction } from '../../hooks/use-action.js';
import { useOptimisticChange } from '../../hooks/use-optimistic-change.js';
import { AdminPasswordRow } from './admin-password-row.js';

const AUTH_MODES = [
  { value: 'auto', label: 'Auto (recommended): off on loopback, all except health on the LAN' },
  { value: 'off', label: 'Off: no key needed' },
  { value: 'all_except_health', label: 'All except health checks' },
  { value: 'strict', label: 'Strict: every route needs the key' },
] as const;

export function ServiceCard({ status, config }: { status: ProxyStatus; config: SwitchyardConfig }) {
  const { run } = useAction();
  const proxy = config.proxy;
  const update = (patch: Partial<SwitchyardConfig['proxy']>, message: string) =>
    run(() => api.updateConfig({ proxy: patch }), message);
  return (
    <section className="card" aria-labelledby="service-title">
      <h2 id="service-title">Service</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`pill ${status.running ? 'pill-ok' : 'pill-warn'}`}>
            {status.running ? 'Running' : 'Stopped'}
          </span>{' '}
          <span className="muted small">version {status.version}</span>
        </dd>
        <dt>Address</dt>
        <dd>
          <code>
            {status.host}:{status.port}
          </code>
        </dd>
        <dt>Auth in force</dt>
        <dd>{status.auth_mode}</dd>
      </dl>
      {status.listen_error && (
        <p className="form-error" role="alert">
          Could not move to the new address: {status.listen_error}
        </p>
      )}
      <NumberSetting
        id="service-port"
        label="Port"
        value={proxy.port}
        min={1}
        max={65_535}
        hint={
          status.port === proxy.port
            ? 'The gateway re-listens at once; this page then lives at the new port (sign in again there).'
            : `Listening on ${status.port}, set on the command line (--port); this setting applies when started without it.`
        }
        onSave={(port) => update({ port }, `Listening on port ${port}`)}
      />
      <div className="setting-row">
        <CheckboxSetting
          checked={proxy.allow_lan_access}
          onChange={(checked) =>
            update({ allow_lan_access: checked }, checked ? 'LAN access on' : 'LAN access off')
          }
        >
          Allow LAN access
        </CheckboxSetting>
        <p className="hint">
          Listen on 0.0.0.0 instead of 127.0.0.1. Other machines then need the API key (auth Auto).
        </p>
      </div>
      <div className="setting-row">
        <label htmlFor="service-auth">Authorization</label>
        <AuthModeSelect value={proxy.auth_mode} />
      </div>
      <ApiKeyRow apiKey={proxy.api_key} adminPasswordSet={proxy.admin_password !== null} />
      <AdminPasswordRow set={proxy.admin_password !== null} apiKey={proxy.api_key} />
      <NumberSetting
        id="service-timeout"
        label="Request timeout"
        unit="s"
        value={proxy.request_timeout}
        min={5}
        max={7200}
        hint="How long an upstream may stay silent before the request fails over."
        onSave={(seconds) => update({ request_timeout: seconds }, `Request timeout ${seconds} s`)}
      />
    </section>
  );
}

function ApiKeyRow({ apiKey, adminPasswordSet }: { apiKey: string; adminPasswordSet: boolean }) {
  const [shown, setShown] = useState(false);
  const confirm = useConfirm();
  const { run, busy } = useAction();
  const regenerate = async () => {
    const yes = await confirm({
      title: 'Regenerate API key',
      message: (
        <p>
          Every client using the current key stops working until it gets the new one.
          {!adminPasswordSet &&
            ' The key is also your admin login; this page switches to the new key by itself.'}
        </p>
      ),
      confirmLabel: 'Regenerate',
      danger: true,
    });
    if (!yes) return;
    // Without an admin password the key is the admin credential: keep this tab signed in.
    await run(async () => {
      const next = await api.regenerateApiKey();
      if (!adminPasswordSet) credentialStore.set(next);
      return next;
    }, 'New API key in force');
  };
  return (
    <div className="setting-row">
      <span className="label" id="api-key-label">
        API key
      </span>
      <div className="setting-control wrap">
        <code className="secret" data-testid="api-key">
          {shown ? apiKey : `${apiKey.slice(0, 3)}${'•'.repeat(12)}${apiKey.slice(-4)}`}
        </code>
        <button type="button" onClick={() => setShown(!shown)} aria-pressed={shown}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <CopyButton text={apiKey} what="API key" />
        <button type="button" className="danger-text" onClick={regenerate} disabled={busy}>
          Regenerate…
        </button>
      </div>
    </div>
  );
}

type AuthMode = SwitchyardConfig['proxy']['auth_mode'];

function AuthModeSelect({ value }: { value: AuthMode }) {
  const { run } = useAction();
  const { shown, change } = useOptimisticChange(value, (next: AuthMode) =>
    run(() => api.updateConfig({ proxy: { auth_mode: next } }), 'Auth mode saved'),
  );
  return (
    <select id="service-auth" value={shown} onChange={(event) => change(event.target.value as AuthMode)}>
      {AUTH_MODES.map((mode) => (
        <option key={mode.value} value={mode.value}>
          {mode.label}
        </option>
      ))}
    </select>
  );
}
