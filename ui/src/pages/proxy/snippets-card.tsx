/** Ready-to-copy client setup with this gateway's real address and key. */
import { useState } from 'react';
import type { ProxyStatus, SwitchyardConfig } from '../../api/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { buildSnippets, DEFAULT_SNIPPET_MODELS, gatewayBaseUrl, type Snippet } from '../../lib/snippets.js';

export function SnippetsCard({ status, config }: { status: ProxyStatus; config: SwitchyardConfig }) {
  const [models, setModels] = useState(DEFAULT_SNIPPET_MODELS);
  const [current, setCurrent] = useState<Snippet['id']>('openai');
  const baseUrl = gatewayBaseUrl({
    host: status.host,
    port: status.port,
    pageHostname: window.location.hostname,
  });
  const snippets = buildSnippets({ baseUrl, apiKey: config.proxy.api_key, models });
  const shown = snippets.find((snippet) => snippet.id === current) ?? snippets[0];
  return (
    <section className="card" aria-labelledby="snippets-title">
      <h2 id="snippets-title">Connect your clients</h2>
      <dl className="facts">
        <dt>OpenAI</dt>
        <dd>
          <code>{baseUrl}/v1</code>
        </dd>
        <dt>Anthropic</dt>
        <dd>
          <code>{baseUrl}</code>
        </dd>
        <dt>Gemini</dt>
        <dd>
          <code>{baseUrl}/v1beta</code>
        </dd>
      </dl>
      <div className="toolbar">
        {(['openai', 'anthropic', 'gemini'] as const).map((family) => (
          <label key={family} className="field">
            <span>
              {family === 'openai' ? 'OpenAI' : family === 'anthropic' ? 'Anthropic' : 'Gemini'} model
            </span>
            <input
              value={models[family]}
              onChange={(event) => setModels({ ...models, [family]: event.target.value })}
            />
          </label>
        ))}
      </div>
      <div className="tabs" role="tablist" aria-label="Client">
        {snippets.map((snippet) => (
          <button
            key={snippet.id}
            type="button"
            role="tab"
            id={`snippet-tab-${snippet.id}`}
            aria-selected={snippet.id === shown?.id}
            aria-controls="snippet-panel"
            onClick={() => setCurrent(snippet.id)}
          >
            {snippet.title}
          </button>
        ))}
      </div>
      {shown && (
        <div
          id="snippet-panel"
          role="tabpanel"
          aria-labelledby={`snippet-tab-${shown.id}`}
          className="snippet"
        >
          <div className="snippet-head">
            <span className="hint">{shown.hint}</span>
            <CopyButton text={shown.code} what={`${shown.title} snippet`} />
          </div>
          <pre>
            <code data-language={shown.language}>{shown.code}</code>
          </pre>
        </div>
      )}
    </section>
  );
}
