import type { Usage } from '../core/model/index.js';

/** What the gateway answers itself, without an upstream call. */
export type LocalReply = 'warmup' | 'token-estimate';

/** One proxied request, as the request log, the live feed and the metrics see it. */
export interface RequestLogEntry {
  id: string;
  /** Epoch ms when the request arrived. */
  time: number;
  protocol: string;
  method: string;
  path: string;
  clientModel: string | null;
  /** The model sent upstream last: the one that served, when one did. */
  mappedModel: string | null;
  /** The models of the fallback chain tried, in order (one unless the first could not be served). */
  modelsTried: string[];
  /** Answered by the gateway itself, without an upstream: `warmup` or `token-estimate`; null otherwise. */
  localReply: LocalReply | null;
  /** The account that served it (or the last one tried). */
  accountId: string | null;
  accountEmail: string | null;
  sessionId: string | null;
  /** The client key the request was made with; null for the owner's key (`proxy.api_key`) or no key. */
  clientKeyId: string | null;
  status: number;
  /** Upstream attempts made (grace retries included). */
  attempts: number;
  /** Emails of the accounts tried, in order. */
  accountsTried: string[];
  latencyMs: number;
  /** Time until the first byte was sent to the client, ms. */
  ttfbMs: number | null;
  usage: Usage | null;
  error: string | null;
  stream: boolean;
  requestBody?: string | undefined;
  responseBody?: string | undefined;
}

/** Where finished requests go. Must not block: implementations batch writes off the request path. */
export interface RequestLogSink {
  record(entry: RequestLogEntry): void;
}

export const discardRequestLog: RequestLogSink = { record: () => undefined };
