import type { Usage } from '../core/model/index.js';
import type { RequestLogRow } from '../store/request-log-store.js';

export type { LocalReply } from '../store/request-log-store.js';

/** The stored row's token columns, carried as one `usage` object until the row is written. */
type TokenColumns =
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens';

/**
 * One proxied request, as the request log, the live feed and the metrics see it: the fields of the
 * stored `RequestLogRow` (documented there), with usage as one object and the bodies as captured
 * (`toRequestLogRow` keeps or cuts them).
 */
export interface RequestLogEntry extends Omit<RequestLogRow, TokenColumns | 'requestBody' | 'responseBody'> {
  usage: Usage | null;
  stream: boolean;
  requestBody?: string | undefined;
  responseBody?: string | undefined;
}

/** Where finished requests go. Must not block: implementations batch writes off the request path. */
export interface RequestLogSink {
  record(entry: RequestLogEntry): void;
}

export const discardRequestLog: RequestLogSink = { record: () => undefined };
