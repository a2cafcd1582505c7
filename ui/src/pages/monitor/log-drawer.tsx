/** Details of one request (GET /api/logs/:id): timings, accounts, error, and bodies when debug logging stored them. */
import { useEffect, useState } from 'react';
import { api } from '../../api/api-client.js';
import { errorMessage } from '../../api/api-error.js';
import type { RequestLogRecord } from '../../api/types.js';
import { Modal } from '../../components/modal.js';
import { formatLatency, formatTokens } from '../../lib/format.js';

export function LogDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const [record, setRecord] = useState<RequestLogRecord | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setRecord(null);
    setProblem(null);
    if (id === null) return;
    let current = true;
    api.log(id).then(
      (loaded) => current && setRecord(loaded),
      (error: unknown) => current && setProblem(errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [id]);
  return (
    <Modal open={id !== null} title="Request details" onClose={onClose} variant="drawer">
      {problem && <p className="form-error">{problem}</p>}
      {!record && !problem && <p className="muted">Loading…</p>}
      {record && <RecordDetails record={record} />}
    </Modal>
  );
}

function RecordDetails({ record }: { record: RequestLogRecord }) {
  const facts: [string, string][] = [
    ['Request id', record.id],
    ['Time', new Date(record.time).toLocaleString()],
    ['Request', `${record.method} ${record.path}`],
    ['Protocol', record.protocol],
    ['Status', String(record.status)],
    ['Client model', record.client_model ?? '–'],
    ['Mapped model', record.mapped_model ?? '–'],
    ['Models tried', record.models_tried.join(' → ') || '–'],
    ['Answered by', record.local_reply === null ? 'upstream' : `the gateway itself (${record.local_reply})`],
    ['Account', record.account_email ?? '–'],
    ['Session id', record.session_id ?? 'none (no qualifying first user message)'],
    ['Attempts', String(record.attempts)],
    ['Accounts tried', record.accounts_tried.join(' → ') || '–'],
    ['Latency', formatLatency(record.latency_ms)],
    ['First byte', formatLatency(record.ttfb_ms)],
    ['Input tokens', formatTokens(record.input_tokens)],
    ['Output tokens', formatTokens(record.output_tokens)],
    [
      'Cache read / write',
      `${formatTokens(record.cache_read_tokens)} / ${formatTokens(record.cache_write_tokens)}`,
    ],
  ];
  return (
    <div className="drawer-body">
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term} className="fact">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {record.error && (
        <>
          <h3>Error</h3>
          <pre className="error-text">{record.error}</pre>
        </>
      )}
      <h3>Request body</h3>
      <Body text={record.request_body} />
      <h3>Response body</h3>
      <Body text={record.response_body} />
    </div>
  );
}

function Body({ text }: { text: string | null | undefined }) {
  if (!text)
    return (
      <p className="muted small">Not stored. Turn on “debug bodies” in Settings → Logging to keep bodies.</p>
    );
  return <pre className="body-text">{pretty(text)}</pre>;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
