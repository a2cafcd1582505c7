/**
 * The tables as Kysely sees them. Column types are the portable subset that SQLite and PostgreSQL
 * share: text, integers (epoch milliseconds, 0/1 flags) and JSON kept as text, so the same queries
 * run on both. Structured values are (de)serialised by the stores, never by SQL.
 */

/** Small key/value settings owned by the store (schema facts, the secret-key check value). */
export interface MetaTable {
  key: string;
  value: string;
}

/** One upstream account; see `Account` in src/core/account.ts for the meaning of each field. */
export interface AccountsTable {
  /** UUIDv4 primary key. */
  id: string;
  email: string;
  /** A `ProviderKind`. Unique together with `email`. */
  provider: string;
  base_url: string | null;
  /** The credential as JSON, encrypted by `SecretBox` (`v1:…`). Never plaintext. */
  credential: string;
  /** `FREE | PRO | ULTRA`, or null when unknown. */
  tier: string | null;
  /** JSON array of model ids or wildcard patterns. */
  models: string;
  /** JSON object: model id → `ModelQuota`. */
  quota: string;
  /** 0 or 1. */
  disabled: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  /** 0 or 1. */
  proxy_disabled: number;
  proxy_disabled_reason: string | null;
  label: string | null;
  /** JSON object of provider-specific extras. */
  extra: string;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
}

/** A persisted `RateLimitLock`; primary key (account_id, model). */
export interface RateLimitLocksTable {
  account_id: string;
  /** The locked model, or '' for a lock on the whole account. */
  model: string;
  /** A `LockScope`. */
  scope: string;
  /** A `FailureReason`. */
  reason: string;
  /** A `LockSource`; `backoff` for rows written before it was recorded. */
  source: string;
  until: number;
  detected_at: number;
  message: string | null;
}

/** One proxied request, as the Monitor shows it. */
export interface RequestLogsTable {
  id: string;
  time: number;
  protocol: string;
  method: string;
  path: string;
  client_model: string | null;
  mapped_model: string | null;
  account_id: string | null;
  account_email: string | null;
  session_id: string | null;
  status: number;
  attempts: number;
  /** JSON array of the account ids tried, in order. */
  accounts_tried: string;
  latency_ms: number;
  ttfb_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  error: string | null;
  request_body: string | null;
  response_body: string | null;
}

export interface DatabaseSchema {
  meta: MetaTable;
  accounts: AccountsTable;
  rate_limit_locks: RateLimitLocksTable;
  request_logs: RequestLogsTable;
}
