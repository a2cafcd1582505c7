/** Settings: quota protection, quota refresh, request logging, upstream proxy, data directory. */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/api-client.js';
import type { ConfigPatch, SwitchyardConfig } from '../../api/types.js';
import { CheckboxSetting } from '../../components/checkbox-setting.js';
import { NumberSetting } from '../../components/number-setting.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { formatModelList, parseModelList } from '../../lib/model-list.js';

type Save = (patch: ConfigPatch, message: string) => Promise<unknown>;

export function SettingsPage() {
  const { config, status } = useGatewayData();
  const { run } = useAction();
  const save: Save = (patch, message) => run(() => api.updateConfig(patch), message);
  return (
    <section aria-labelledby="settings-title">
      <div className="page-header">
        <h1 id="settings-title">Settings</h1>
      </div>
      {!config ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="card-grid">
          <QuotaProtectionCard config={config} save={save} />
          <LoggingCard config={config} save={save} />
          <UpstreamProxyCard config={config} save={save} />
          <section className="card" aria-labelledby="storage-title">
            <h2 id="storage-title">Data</h2>
            <dl className="facts">
              <dt>Data directory</dt>
              <dd>
                <code>{status?.data_dir ?? '…'}</code>
              </dd>
              <dt>Config file</dt>
              <dd>
                <code>{status?.config_path ?? '…'}</code>
              </dd>
            </dl>
            <p className="hint">
              Hand edits of the config file apply within a second, like changes made here.
            </p>
          </section>
        </div>
      )}
    </section>
  );
}

function QuotaProtectionCard({ config, save }: { config: SwitchyardConfig; save: Save }) {
  const protection = config.proxy.quota_protection;
  const savedModels = formatModelList(protection.monitored_models);
  const [models, setModels] = useState(savedModels);
  useEffect(() => setModels(savedModels), [savedModels]);
  const saveModels = (event: FormEvent) => {
    event.preventDefault();
    void save(
      { proxy: { quota_protection: { monitored_models: parseModelList(models) } } },
      'Monitored models saved',
    );
  };
  return (
    <section className="card" aria-labelledby="quota-title">
      <h2 id="quota-title">Quota protection</h2>
      <div className="setting-row">
        <CheckboxSetting
          checked={protection.enabled}
          onChange={(checked) =>
            save(
              { proxy: { quota_protection: { enabled: checked } } },
              checked ? 'Quota protection on' : 'Quota protection off',
            )
          }
        >
          Skip an account for a model when its remaining quota is low
        </CheckboxSetting>
      </div>
      <NumberSetting
        id="quota-threshold"
        label="Threshold"
        unit="% left"
        value={protection.threshold_percentage}
        min={1}
        max={99}
        onSave={(value) =>
          save({ proxy: { quota_protection: { threshold_percentage: value } } }, `Threshold ${value}%`)
        }
      />
      <form className="setting-row" onSubmit={saveModels}>
        <label htmlFor="quota-models">Monitored models</label>
        <div className="setting-control">
          <input
            id="quota-models"
            value={models}
            onChange={(event) => setModels(event.target.value)}
            placeholder="claude-*, gemini-2.5-pro"
          />
          <button type="submit" disabled={models === savedModels}>
            Save
          </button>
        </div>
        <p className="hint">
          Exact ids or wildcards such as <code>gpt-4*</code>. Protection applies to the models listed; leave
          the list empty to protect every model.
        </p>
      </form>
      <div className="setting-row">
        <CheckboxSetting
          checked={config.auto_refresh}
          onChange={(checked) =>
            save(
              { auto_refresh: checked },
              checked ? 'Background quota refresh on' : 'Background quota refresh off',
            )
          }
        >
          Refresh quotas and tiers in the background
        </CheckboxSetting>
      </div>
      <NumberSetting
        id="refresh-interval"
        label="Quota refresh every"
        unit="min"
        value={config.refresh_interval}
        min={1}
        max={1440}
        disabled={!config.auto_refresh}
        hint="How often account quotas are fetched from providers that have a quota API."
        onSave={(value) => save({ refresh_interval: value }, `Quota refresh every ${value} min`)}
      />
    </section>
  );
}

function LoggingCard({ config, save }: { config: SwitchyardConfig; save: Save }) {
  const logging = config.proxy.logging;
  return (
    <section className="card" aria-labelledby="logging-title">
      <h2 id="logging-title">Logging</h2>
      <div className="setting-row">
        <CheckboxSetting
          checked={config.proxy.enable_logging}
          onChange={(checked) =>
            save({ proxy: { enable_logging: checked } }, checked ? 'Request log on' : 'Request log off')
          }
        >
          Keep the request log (Monitor page)
        </CheckboxSetting>
      </div>
      <NumberSetting
        id="log-retention"
        label="Keep entries for"
        unit="days"
        value={logging.retention_days}
        min={1}
        max={365}
        onSave={(value) => save({ proxy: { logging: { retention_days: value } } }, `Retention ${value} days`)}
      />
      <NumberSetting
        id="log-rows"
        label="At most"
        unit="entries"
        value={logging.max_rows}
        min={1000}
        max={10_000_000}
        onSave={(value) =>
          save({ proxy: { logging: { max_rows: value } } }, `Keeping at most ${value} entries`)
        }
      />
      <div className="setting-row">
        <CheckboxSetting
          checked={logging.debug_bodies}
          onChange={(checked) =>
            save(
              { proxy: { logging: { debug_bodies: checked } } },
              checked ? 'Storing bodies' : 'Not storing bodies',
            )
          }
        >
          Store request and response bodies (debugging; secrets are still redacted)
        </CheckboxSetting>
      </div>
      <NumberSetting
        id="log-body-chars"
        label="Cut bodies at"
        unit="characters"
        value={logging.max_body_chars}
        min={0}
        max={10_000_000}
        disabled={!logging.debug_bodies}
        onSave={(value) =>
          save({ proxy: { logging: { max_body_chars: value } } }, `Bodies cut at ${value} characters`)
        }
      />
    </section>
  );
}

function UpstreamProxyCard({ config, save }: { config: SwitchyardConfig; save: Save }) {
  const saved = config.proxy.upstream_proxy;
  const [enabled, setEnabled] = useState(saved.enabled);
  const [url, setUrl] = useState(saved.url);
  useEffect(() => {
    setEnabled(saved.enabled);
    setUrl(saved.url);
  }, [saved.enabled, saved.url]);
  const dirty = enabled !== saved.enabled || url.trim() !== saved.url;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(
      { proxy: { upstream_proxy: { enabled, url: url.trim() } } },
      enabled ? 'Upstream proxy on' : 'Upstream proxy off',
    );
  };
  return (
    <section className="card" aria-labelledby="upstream-title">
      <h2 id="upstream-title">Upstream proxy</h2>
      <form onSubmit={submit}>
        <div className="setting-row">
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
            Send upstream traffic through a proxy
          </label>
        </div>
        <div className="setting-row">
          <label htmlFor="upstream-url">Proxy URL</label>
          <div className="setting-control">
            <input
              id="upstream-url"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              placeholder="http://proxy.local:3128 or socks5://127.0.0.1:1080"
            />
            <button type="submit" disabled={!dirty}>
              Save
            </button>
          </div>
          <p className="hint">
            A password in the URL is shown as ******** and kept when you save; type a new one to replace it.
          </p>
        </div>
      </form>
    </section>
  );
}
