/** Filters of the Monitor's live request log, applied in the browser to the entries it holds. */
import type { RequestLogRecord } from '../api/types.js';

export interface LogFilter {
  /** Only failed requests: status ≥ 400, or an error recorded. */
  errorsOnly: boolean;
  /** Client protocol (`openai-chat`, `anthropic-messages`, …); empty = any. */
  protocol: string;
  /** Account email that served the request or was tried; empty = any. */
  account: string;
  /** Client or mapped model, exactly; empty = any. */
  model: string;
  /** Case-insensitive text searched in id, path, models, accounts, session id and error. */
  text: string;
}

export const NO_LOG_FILTER: LogFilter = { errorsOnly: false, protocol: '', account: '', model: '', text: '' };

/** Whether a request failed, as the Monitor counts it. */
export function isErrorRecord(record: Pick<RequestLogRecord, 'status' | 'error'>): boolean {
  return record.status >= 400 || record.error !== null;
}

export function matchesLogFilter(record: RequestLogRecord, filter: LogFilter): boolean {
  if (filter.errorsOnly && !isErrorRecord(record)) return false;
  if (filter.protocol && record.protocol !== filter.protocol) return false;
  if (
    filter.account &&
    record.account_email !== filter.account &&
    !record.accounts_tried.includes(filter.account)
  )
    return false;
  if (filter.model && record.client_model !== filter.model && record.mapped_model !== filter.model)
    return false;
  const text = filter.text.trim().toLowerCase();
  return text === '' || searchText(record).includes(text);
}

export function filterLogs(records: readonly RequestLogRecord[], filter: LogFilter): RequestLogRecord[] {
  return records.filter((record) => matchesLogFilter(record, filter));
}

/** The distinct values of one field across `records`, sorted, for the filter dropdowns. */
export function distinctValues(
  records: readonly RequestLogRecord[],
  field: 'protocol' | 'account_email' | 'client_model' | 'mapped_model',
): string[] {
  const values = new Set<string>();
  for (const record of records) {
    const value = record[field];
    if (value) values.add(value);
  }
  return [...values].sort();
}

/**
 * Merges `incoming` entries (streamed or fetched) into a list: one entry per id (the incoming one
 * wins), newest first, at most `limit` entries.
 */
export function mergeLogs(options: {
  records: readonly RequestLogRecord[];
  incoming: readonly RequestLogRecord[];
  limit: number;
}): RequestLogRecord[] {
  const byId = new Map<string, RequestLogRecord>();
  for (const record of options.records) byId.set(record.id, record);
  for (const record of options.incoming) byId.set(record.id, record);
  return [...byId.values()].sort((a, b) => b.time - a.time).slice(0, options.limit);
}

function searchText(record: RequestLogRecord): string {
  return [
    record.id,
    record.path,
    record.client_model ?? '',
    record.mapped_model ?? '',
    record.account_email ?? '',
    ...record.accounts_tried,
    record.session_id ?? '',
    record.error ?? '',
    String(record.status),
  ]
    .join('\n')
    .toLowerCase();
}
