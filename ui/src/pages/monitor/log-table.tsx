/** The request log table: one row per request, newest first; a row's button opens its details. */
import { SCHEDULED_WARMUP_PATH } from '@contracts';
import type { RequestLogRecord } from '../../api/types.js';
import { formatClockTime, formatLatency, formatTokens, shortSessionId } from '../../lib/format.js';
import { isErrorRecord } from '../../lib/log-filter.js';

export function LogTable({
  records,
  onOpen,
}: {
  records: readonly RequestLogRecord[];
  onOpen(id: string): void;
}) {
  return (
    <div className="table-wrap">
      <table className="log-table responsive">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col">Protocol</th>
            <th scope="col">Model</th>
            <th scope="col">Account</th>
            <th scope="col">Session</th>
            <th scope="col">Attempts</th>
            <th scope="col">Latency</th>
            <th scope="col">Tokens in / out / cache</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <LogRow key={record.id} record={record} onOpen={onOpen} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LogRow({ record, onOpen }: { record: RequestLogRecord; onOpen(id: string): void }) {
  const failed = isErrorRecord(record);
  const mapped =
    record.mapped_model && record.mapped_model !== record.client_model ? record.mapped_model : null;
  const tried = record.accounts_tried;
  return (
    <tr
      className={failed ? 'row-error' : undefined}
      data-request-id={record.id}
      data-account={record.account_email ?? ''}
    >
      <td data-label="Time">
        <button
          type="button"
          className="link-button"
          onClick={() => onOpen(record.id)}
          aria-label={`Details of request ${record.id}`}
        >
          {formatClockTime(record.time)}
        </button>
      </td>
      <td data-label="Status">
        <span className={`badge ${failed ? 'badge-error' : 'badge-ok'}`}>{record.status}</span>
      </td>
      <td data-label="Protocol">
        {record.protocol}{' '}
        {record.path === SCHEDULED_WARMUP_PATH && (
          <span className="badge badge-accent">scheduled warmup</span>
        )}
      </td>
      <td data-label="Model" className="cell-model">
        <code>{record.client_model ?? '–'}</code>
        {mapped && (
          <>
            {' → '}
            <code>{mapped}</code>
          </>
        )}
      </td>
      <td data-label="Account" className="cell-account">
        {record.account_email ?? '–'}
      </td>
      <td data-label="Session" title={record.session_id ?? undefined}>
        <code>{shortSessionId(record.session_id)}</code>
      </td>
      <td data-label="Attempts" title={tried.length > 0 ? `Tried: ${tried.join(' → ')}` : undefined}>
        {record.attempts}
        {tried.length > 1 && <span className="small muted"> ({tried.join(' → ')})</span>}
      </td>
      <td data-label="Latency" className="nowrap">
        {formatLatency(record.latency_ms)}
      </td>
      <td data-label="Tokens" className="nowrap">
        {formatTokens(record.input_tokens)} / {formatTokens(record.output_tokens)} /{' '}
        {formatTokens(record.cache_read_tokens)}
      </td>
    </tr>
  );
}
