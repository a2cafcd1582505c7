/** The admin API form of a request-log row (`GET /api/logs`, `/api/logs/:id`, the live stream). */
import type { RequestLogRow } from '../store/request-log-store.js';
import type { RequestLogRecord } from './log-contracts.js';

/** The admin API form of a stored row; bodies only when `withBodies`. */
export function toRequestLogRecord(row: RequestLogRow, withBodies = false): RequestLogRecord {
  const record: RequestLogRecord = {
    id: row.id,
    time: row.time,
    protocol: row.protocol,
    method: row.method,
    path: row.path,
    client_model: row.clientModel,
    mapped_model: row.mappedModel,
    account_id: row.accountId,
    account_email: row.accountEmail,
    session_id: row.sessionId,
    status: row.status,
    attempts: row.attempts,
    accounts_tried: row.accountsTried,
    models_tried: row.modelsTried,
    local_reply: row.localReply,
    latency_ms: row.latencyMs,
    ttfb_ms: row.ttfbMs,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_read_tokens: row.cacheReadTokens,
    cache_write_tokens: row.cacheWriteTokens,
    reasoning_tokens: row.reasoningTokens,
    client_key_id: row.clientKeyId,
    error: row.error,
  };
  if (withBodies) {
    record.request_body = row.requestBody;
    record.response_body = row.responseBody;
  }
  return record;
}
