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
  /** JSON list of the models of a fallback chain tried, in order (migration 0004). */
  models_tried: string;
  /** `warmup` / `token-estimate` when the gateway answered itself (migration 0004). */
  local_reply: string | null;
  latency_ms: number;
  ttfb_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  /** The part of output_tokens spent reasoning (migration 0003). */
  reasoning_tokens: number | null;
  /** The client key the request was made with; null for the owner's key or no key (migration 0003). */
  client_key_id: string | null;
  error: string | null;
  request_body: string | null;
  response_body: string | null;
}

/** One client key; see `ClientKey` in src/core/client-key.ts for the meaning of each field. */
export interface ClientKeysTable {
  /** UUIDv4 primary key, kept when the secret is rotated. */
  id: string;
  name: string;
  owner: string | null;
  /** Lowercase hex SHA-256 of the secret (unique). The secret itself is never stored. */
  secret_hash: string;
  hint: string;
  created_at: number;
  updated_at: number;
  rotated_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  /** JSON array of model ids or wildcards. */
  models: string;
  account_id: string | null;
  account_group: string | null;
  /** JSON object of `KeyLimits`. */
  limits: string;
}

/**
 * Usage per UTC hour, client key, account and model, summed by the request-log pipeline as
 * requests finish; primary key (hour, client_key_id, account_id, model). '' stands for "none" in
 * the key columns (the owner's key or no key; no account; no model), since primary-key columns
 * cannot be null on PostgreSQL.
 */
export interface UsageHourlyTable {
  /** Start of the UTC hour, epoch ms. */
  hour: number;
  client_key_id: string;
  account_id: string;
  /** The model sent upstream (after mapping). */
  model: string;
  requests: number;
  /** Requests answered with a status of 400 or more. */
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

export interface DatabaseSchema {
  meta: MetaTable;
  accounts: AccountsTable;
  rate_limit_locks: RateLimitLocksTable;
  request_logs: RequestLogsTable;
  client_keys: ClientKeysTable;
  usage_hourly: UsageHourlyTable;
}
