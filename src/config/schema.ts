import { z } from 'zod';
import { newApiKey } from '../core/ids.js';
import { formatIssuePath } from '../core/validation.js';
import { BACKGROUND_TASK_DETECTORS } from '../routing/detect-background-task.js';

/**
 * The schema of `gui_config.json`, the single source of the config type. Keys are snake_case and
 * compatible with the reference's `proxy.*` section. Every object is loose: keys this version does
 * not know are kept (and written back on save), so a newer or older file survives a round trip.
 * Every field has a default, so `{}` parses to the full default config.
 */

/** How the scheduler trades prompt-cache affinity against spreading load (DESIGN.md §2). */
export const schedulingModes = ['CacheFirst', 'Balance', 'PerformanceFirst'] as const;
export type SchedulingMode = (typeof schedulingModes)[number];

/** Which requests need the proxy API key (DESIGN.md §5). */
export const authModes = ['off', 'strict', 'all_except_health', 'auto'] as const;
export type AuthMode = (typeof authModes)[number];

/** Where accounts, rate-limit locks and the request log are kept. */
export const storeBackends = ['sqlite', 'postgres'] as const;
export const stateBackends = ['memory', 'redis'] as const;

/**
 * URL schemes accepted for `proxy.upstream_proxy.url`: what undici (7.x) can dial. `http:` and
 * `https:` are HTTP proxies (CONNECT tunnels); `socks5:` and `socks:` are SOCKS5, and undici's
 * SOCKS5 client sends host names to the proxy, so `socks5h:` (resolve on the proxy) is the same
 * dispatcher. SOCKS4 and SOCKS4a have no client in undici and are refused.
 */
export const UPSTREAM_PROXY_SCHEMES = ['http', 'https', 'socks5', 'socks5h', 'socks'] as const;
const upstreamProxyProtocols = new Set(UPSTREAM_PROXY_SCHEMES.map((scheme) => `${scheme}:`));
const supportedSchemes = 'http://, https://, socks5://, socks5h:// or socks:// (SOCKS5)';

const schedulingSchema = z.looseObject({
  /** `Balance` (default): sticky sessions + 60 s window; `CacheFirst`: also waits for a bound account
   *  that frees up within `max_wait_seconds`; `PerformanceFirst`: plain round robin. */
  mode: z.enum(schedulingModes).default('Balance'),
  /** CacheFirst only: longest wait, in seconds, for a limited bound account before switching. */
  max_wait_seconds: z.int().min(0).max(300).default(60),
});

const sessionBindingsSchema = z.looseObject({
  /** A session's binding to an account expires this many seconds after its last use. */
  ttl_seconds: z.int().min(60).max(604_800).default(3600),
  /** At most this many bindings are kept; the least recently used go first. */
  max_bindings: z.int().min(100).max(10_000_000).default(100_000),
});

const quotaProtectionSchema = z.looseObject({
  /** Skip an account for a model whose remaining quota is below the threshold. */
  enabled: z.boolean().default(false),
  /** Remaining quota, in percent, under which an account is protected. */
  threshold_percentage: z.int().min(1).max(99).default(10),
  /** Models protected, by exact id or wildcard (`gemini-*`); empty = every model. */
  monitored_models: z.array(z.string()).default(() => []),
});

const circuitBreakerSchema = z.looseObject({
  /** Lock accounts after quota exhaustion using `backoff_steps`. */
  enabled: z.boolean().default(true),
  /** Lock duration in seconds by consecutive-failure count (the last step repeats). */
  backoff_steps: z
    .array(z.int().min(1).max(604_800))
    .min(1)
    .default(() => [60, 300, 1800, 7200]),
  /** Upper bound, in seconds, of any lock computed by us (not of a delay the upstream asks for). */
  max_lock_seconds: z.int().min(60).max(2_592_000).default(86_400),
});

const upstreamProxySchema = z
  .looseObject({
    /** Send upstream traffic through `url`. */
    enabled: z.boolean().default(false),
    /**
     * Proxy URL with optional credentials: `http://`, `https://`, `socks5://`, `socks5h://` or
     * `socks://` (SOCKS5; host names are resolved by the proxy). SOCKS4 is not supported.
     */
    url: z.string().default(''),
  })
  .superRefine((value, context) => {
    if (!value.enabled) return;
    const problem = upstreamProxyUrlProblem(value.url);
    if (problem) context.addIssue({ code: 'custom', path: ['url'], message: problem });
  });

const loggingSchema = z.looseObject({
  /** Request log rows older than this many days are deleted. */
  retention_days: z.int().min(1).max(365).default(7),
  /** The request log keeps at most this many rows (oldest deleted first). */
  max_rows: z.int().min(1000).max(10_000_000).default(100_000),
  /** Store request and response bodies in the request log (secrets still redacted). */
  debug_bodies: z.boolean().default(false),
  /** Stored bodies are cut to this many characters. */
  max_body_chars: z.int().min(0).default(16_384),
  /**
   * Hourly usage totals (per client key, account and model; what the Usage page, `switchyard usage`
   * and the day/month budgets read) are kept this many days. Independent of `retention_days`, and
   * kept even with `enable_logging` off: they hold counts only.
   */
  usage_retention_days: z.int().min(35).max(3650).default(400),
});

/** The longest fallback chain a mapping or alias may hold. */
export const MAX_MODEL_CHAIN = 8;

/** A mapping or alias target: one model, or a fallback chain of models tried in order. */
const modelTargetSchema = z.union(
  [z.string().min(1), z.array(z.string().min(1)).min(1).max(MAX_MODEL_CHAIN)],
  { error: `expected a model name or a list of 1 to ${MAX_MODEL_CHAIN} model names` },
);

const modelAliasesSchema = z.looseObject({
  /**
   * Apply model aliases: the built-in table for the ids Claude Code, Codex and Gemini CLI ask for by
   * default (tried after the requested model), with `overrides` applied. A `custom_mapping` key
   * always wins over an alias.
   */
  enabled: z.boolean().default(true),
  /** Pattern → model or chain: replaces the built-in alias of that pattern, or adds one; null removes the built-in one. */
  overrides: z.record(z.string().min(1), modelTargetSchema.nullable()).default(() => ({})),
});

const backgroundTasksSchema = z.looseObject({
  /** Send recognised background prompts (titles, summaries…) to `model` instead of the model asked for. Off by default. */
  enabled: z.boolean().default(false),
  /** The model they go to; routed like a requested model (mapping, aliases, fallback). */
  model: z.string().min(1).default('claude-haiku-4-5'),
  /** Which detectors apply (`title-generation`, `conversation-summary`, `prompt-suggestion`). */
  detectors: z.array(z.enum(BACKGROUND_TASK_DETECTORS)).default(() => [...BACKGROUND_TASK_DETECTORS]),
});

const warmupScheduleSchema = z.looseObject({
  /**
   * Send one tiny request per account and model every `interval_minutes`, so each account's quota
   * window starts without waiting for real traffic. Off by default: it spends a little quota.
   */
  enabled: z.boolean().default(false),
  /**
   * Length of one warmup window in minutes: each account and model gets at most one warmup per
   * window. Windows are staggered per account and model, so a pool does not fire at once.
   */
  interval_minutes: z.int().min(1).max(10_080).default(300),
  /**
   * The models to warm on every account that serves them (routed like a requested model). Empty:
   * one model per account, its provider's small model when it serves it, else the first model its
   * `models` list names.
   */
  models: z
    .array(z.string().min(1))
    .max(32)
    .default(() => []),
});

const warmupSchema = z.looseObject({
  /** Answer clients' warmup probes (a last message `Warmup`) here, without calling an upstream. */
  intercept: z.boolean().default(true),
  /** Opt-in scheduled warmup of every account (one tiny request per account and model per interval). */
  schedule: warmupScheduleSchema.prefault({}),
});

const proxySchema = z.looseObject({
  /** TCP port the gateway listens on. */
  port: z.int().min(1).max(65_535).default(8045),
  /** Bind to all interfaces (0.0.0.0) instead of loopback, when `host` is not set. */
  allow_lan_access: z.boolean().default(false),
  /** Explicit bind address; null = 127.0.0.1, or 0.0.0.0 with `allow_lan_access`. */
  host: z.string().min(1).nullable().default(null),
  /**
   * Extra names clients may use in the `Host` header, without port (`gateway.lan`, `my-box.local`);
   * `"*"` accepts any. Loopback names, the bound address and, on the LAN, this machine's addresses
   * are always accepted; any other `Host` is refused (protection against DNS rebinding).
   */
  allowed_hosts: z
    .array(
      z
        .string()
        .regex(
          /^(\*|[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])$/,
          'must be a host name or address without port, or "*"',
        ),
    )
    .default(() => []),
  /** Which requests need the API key; `auto` = off on loopback, `all_except_health` with LAN access. */
  auth_mode: z.enum(authModes).default('auto'),
  /**
   * The key clients send (`Authorization: Bearer`, `x-api-key` or `x-goog-api-key`). The config
   * store generates and saves one when the file has none; the schema default is a fresh random key
   * so that a parsed config never has an empty key.
   */
  api_key: z
    .string()
    .min(8)
    .default(() => newApiKey()),
  /** Password for the admin API and web UI; null = the API key is the admin credential too. */
  admin_password: z.string().min(4).nullable().default(null),
  /** Whole-request timeout in seconds, streaming included. */
  request_timeout: z.int().min(5).max(7200).default(120),
  /** Seconds to wait for an upstream's first byte before trying another account. */
  first_byte_timeout: z.int().min(1).max(600).default(60),
  /** Attempts per request across accounts (never more than the pool size + 1). */
  max_attempts: z.int().min(1).max(10).default(3),
  /** Largest accepted request body in bytes. */
  max_body_bytes: z.int().min(1024).default(52_428_800),
  /**
   * Most bytes of request bodies read or held at once, across all requests (the memory budget for
   * bodies). A body that does not fit waits up to `body_budget_wait_seconds`, then gets 503 with
   * `Retry-After`. A body is always accepted when no other is in flight. A body costs several times
   * its size in memory while it is parsed and translated (about 6× for a translated request).
   */
  max_body_bytes_in_flight: z.int().min(1024).default(67_108_864),
  /** Seconds a body waits for room in `max_body_bytes_in_flight` before the 503; 0 = refuse at once. */
  body_budget_wait_seconds: z.int().min(0).max(60).default(2),
  /** Seconds a client has to send its request headers; the connection is closed after that. */
  headers_timeout: z.int().min(1).max(600).default(30),
  /** Seconds a client has to send its whole request body once the headers are in; 408 after that. */
  body_timeout: z.int().min(1).max(3600).default(60),
  /**
   * Most bytes of Responses API conversations kept for `previous_response_id` (the oldest go first;
   * a continuation of one that is gone gets a clear 400).
   */
  response_store_max_bytes: z.int().min(0).default(67_108_864),
  /** Account selection (DESIGN.md §2). */
  scheduling: schedulingSchema.prefault({}),
  /** Session → account bindings kept for sticky sessions. */
  session_bindings: sessionBindingsSchema.prefault({}),
  /**
   * Model mapping: requested model (exact or wildcard) → upstream model, or a fallback chain of
   * models tried in order (the next one only when no account can serve the current one). Replaced
   * as a whole on update.
   */
  custom_mapping: z.record(z.string(), modelTargetSchema).default(() => ({})),
  /** Built-in aliases for the default model ids of popular clients, and their overrides. */
  model_aliases: modelAliasesSchema.prefault({}),
  /** Opt-in rule: Claude Code's background prompts (titles, summaries…) to a cheap model. */
  background_tasks: backgroundTasksSchema.prefault({}),
  /** Warmup probes answered locally, and the opt-in scheduled warmup of every account. */
  warmup: warmupSchema.prefault({}),
  /** Skip accounts whose remaining quota is low. */
  quota_protection: quotaProtectionSchema.prefault({}),
  /** Account locks after repeated quota exhaustion. */
  circuit_breaker: circuitBreakerSchema.prefault({}),
  /** Outbound proxy for upstream calls. */
  upstream_proxy: upstreamProxySchema.prefault({}),
  /** Write the request log. */
  enable_logging: z.boolean().default(true),
  /** Request log retention and detail. */
  logging: loggingSchema.prefault({}),
});

/** Google's public OAuth endpoints: the defaults of an OAuth client for `gemini` and `code-assist`. */
export const GOOGLE_OAUTH_ENDPOINTS = {
  token_url: 'https://oauth2.googleapis.com/token',
  auth_url: 'https://accounts.google.com/o/oauth2/v2/auth',
  userinfo_url: 'https://www.googleapis.com/oauth2/v2/userinfo',
  scopes: [
    'https://www.googleapis.com/auth/cloud-platform',
    'https://www.googleapis.com/auth/userinfo.email',
    'https://www.googleapis.com/auth/userinfo.profile',
    'openid',
  ],
} as const;

/** The Google Cloud Code `v1internal` endpoints, tried in this order (the reference's list). */
export const DEFAULT_CODE_ASSIST_BASE_URLS = [
  'https://daily-cloudcode-pa.sandbox.googleapis.com/v1internal',
  'https://daily-cloudcode-pa.googleapis.com/v1internal',
  'https://cloudcode-pa.googleapis.com/v1internal',
] as const;

/** The lowest client version the reference announces to Code Assist (`x-client-version`, its §8.1). */
export const DEFAULT_CODE_ASSIST_CLIENT_VERSION = '4.3.0';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/**
 * An OAuth client registered with the provider, used to refresh tokens and to add accounts by
 * signing in. No client id or secret ships with Switchyard: each user configures their own. An
 * account's own `client_id` / `client_secret` / `token_url` win over these.
 */
const oauthClientSchema = z.looseObject({
  /**
   * A short name for the client, optional. An imported Antigravity Manager account names the
   * client its token was issued to (`token.oauth_client_key`); a configured client with that
   * name is tried first for it.
   */
  name: z.string().trim().min(1).max(100).optional(),
  /** The OAuth client id. */
  client_id: z.string().trim().min(1),
  /** The client secret, for clients that have one (Google "Desktop app" clients do). */
  client_secret: z.string().min(1).nullable().default(null),
  /** Token endpoint (refresh and authorization-code grants). Default: Google's. */
  token_url: httpUrl.default(GOOGLE_OAUTH_ENDPOINTS.token_url),
  /** Authorization endpoint the sign-in flow sends the browser to. Default: Google's. */
  auth_url: httpUrl.default(GOOGLE_OAUTH_ENDPOINTS.auth_url),
  /** Where the signed-in account's email is read when the token answer has no id_token. Default: Google's. */
  userinfo_url: httpUrl.default(GOOGLE_OAUTH_ENDPOINTS.userinfo_url),
  /** Scopes asked for at sign-in. Default: Google Cloud Platform, email, profile, openid. */
  scopes: z
    .array(z.string().min(1))
    .min(1)
    .default(() => [...GOOGLE_OAUTH_ENDPOINTS.scopes]),
});

/**
 * The OAuth clients of one provider, in the order a refresh tries them: a list, or (the older
 * form) one client object, read as a list of one. Client ids and names are unique in a list.
 */
const oauthClientListSchema = z
  .preprocess(
    (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
    z.array(oauthClientSchema).min(1),
  )
  .superRefine((clients, context) => {
    const seen = new Set<string>();
    clients.forEach((client, index) => {
      for (const [field, value] of [
        ['client_id', client.client_id],
        ['name', client.name],
      ] as const) {
        if (value === undefined) continue;
        if (seen.has(`${field}:${value}`)) {
          context.addIssue({
            code: 'custom',
            path: [index, field],
            message: `listed twice: ${field} must be unique`,
          });
        }
        seen.add(`${field}:${value}`);
      }
    });
  });

const oauthSchema = z.looseObject({
  /** Access tokens are refreshed this many seconds before they expire. */
  refresh_skew_seconds: z.int().min(0).max(3600).default(90),
  /**
   * OAuth clients by provider kind (`code-assist`, `gemini`, …): a list per provider, tried in
   * order when a refresh is refused for the client (`invalid_client`, `unauthorized_client`); the
   * first one signs in. Empty by default: configure your own (`switchyard oauth client add`).
   */
  clients: z.record(z.string(), oauthClientListSchema).default(() => ({})),
});

const codeAssistSchema = z.looseObject({
  /** Cloud Code `v1internal` base URLs, tried in order on 404/408/5xx/network errors (never on 429). */
  base_urls: z
    .array(httpUrl)
    .min(1)
    .default(() => [...DEFAULT_CODE_ASSIST_BASE_URLS]),
  /** `metadata.ideType` sent to `loadCodeAssist` (project and tier discovery). */
  ide_type: z.string().min(1).default('ANTIGRAVITY'),
  /** `x-client-version` header and the version in the default User-Agent (the reference's floor). */
  client_version: z.string().trim().min(1).max(50).default(DEFAULT_CODE_ASSIST_CLIENT_VERSION),
  /**
   * `User-Agent` of every Code Assist call; null = the reference's
   * `Antigravity/<client_version> (<os>/<arch>) Chrome/132.0.6834.160 Electron/39.2.3`.
   */
  user_agent: z.string().trim().min(1).max(500).nullable().default(null),
});

/**
 * The store (accounts, persisted rate-limit locks, request log). Read once at start: a change
 * applies at the next start. Every instance sharing a PostgreSQL store needs the same
 * SWITCHYARD_SECRET_KEY.
 */
const storeSchema = z
  .looseObject({
    /** `sqlite` (default): `switchyard.db` in the data directory, one gateway; `postgres`: a database shared by several instances. */
    backend: z.enum(storeBackends).default('sqlite'),
    /**
     * `postgres://user:password@host:5432/database` for the `postgres` backend. The environment
     * variable SWITCHYARD_DATABASE_URL wins over it (keeps the password out of this file).
     */
    postgres_url: z.string().min(1).nullable().default(null),
  })
  .superRefine((value, context) => {
    if (value.postgres_url === null || isPostgresUrl(value.postgres_url)) return;
    context.addIssue({
      code: 'custom',
      path: ['postgres_url'],
      message: 'must be a postgres:// or postgresql:// URL',
    });
  });

/**
 * The scheduling state (session bindings, rate-limit locks, failure counts, round-robin position,
 * fixed account). Read once at start: a change applies at the next start.
 */
const stateSchema = z
  .looseObject({
    /** `memory` (default): in process, one gateway; `redis`: shared by every instance of a cluster. */
    backend: z.enum(stateBackends).default('memory'),
    /**
     * `redis://[:password@]host:6379[/db]` (or `rediss://`) for the `redis` backend. The environment
     * variable SWITCHYARD_REDIS_URL wins over it (keeps the password out of this file).
     */
    redis_url: z.string().min(1).nullable().default(null),
    /** Prefix of every Redis key and channel, so several clusters can share one Redis. */
    key_prefix: z.string().min(1).max(100).default('switchyard:'),
    /**
     * How long one Redis command may take before the instance serves from its local state, ms. The
     * default leaves room for the event loop being held by other work (translating a large body,
     * a garbage collection): the timer then fires before the answer, already there, is read.
     */
    command_timeout_ms: z.int().min(5).max(10_000).default(250),
    /**
     * How long an instance trusts a session binding it read from Redis before reading it again, ms
     * (0: read Redis on every pick). While it runs, the conversation's next turns on this instance
     * make no Redis call; another instance's rebinding reaches it through pub/sub.
     */
    binding_lease_ms: z.int().min(0).max(60_000).default(1000),
  })
  .superRefine((value, context) => {
    if (value.redis_url === null || isRedisUrl(value.redis_url)) return;
    context.addIssue({ code: 'custom', path: ['redis_url'], message: 'must be a redis:// or rediss:// URL' });
  });

/** One model's price in US dollars per million tokens; cache prices default to the input price. */
const modelPriceSchema = z.looseObject({
  /** Uncached prompt tokens. */
  input: z.number().min(0).max(100_000),
  /** Generated tokens (reasoning included). */
  output: z.number().min(0).max(100_000),
  /** Prompt tokens read from the cache; default: `input`. */
  cache_read: z.number().min(0).max(100_000).optional(),
  /** Prompt tokens written to the cache; default: `input`. */
  cache_write: z.number().min(0).max(100_000).optional(),
});

/** Estimated costs (Usage page, `switchyard usage`, cost budgets of client keys). */
const pricingSchema = z.looseObject({
  /**
   * Prices by model id or wildcard (`gpt-4o*`), added to the built-in table (src/usage/default-prices.ts);
   * an entry here replaces the built-in one of the same key. Matched like `proxy.custom_mapping`:
   * exact id, then the most specific wildcard. Replaced as a whole on update.
   */
  models: z.record(z.string().min(1).max(256), modelPriceSchema).default(() => ({})),
});

export const configSchema = z.looseObject({
  /** Everything about the gateway itself (the reference's `proxy.*` section). */
  proxy: proxySchema.prefault({}),
  /** Refresh quotas and tiers in the background: every `refresh_interval` minutes, at start and for new accounts. */
  auto_refresh: z.boolean().default(true),
  /** Minutes between quota refreshes of all accounts (top level, as in the reference). */
  refresh_interval: z.int().min(1).max(1440).default(15),
  /** OAuth accounts: token refresh timing and the OAuth clients per provider. */
  oauth: oauthSchema.prefault({}),
  /** The Google Cloud Code (`code-assist`) upstream. */
  code_assist: codeAssistSchema.prefault({}),
  /** Where accounts, locks and the request log are kept (SQLite, or PostgreSQL for several instances). */
  store: storeSchema.prefault({}),
  /** Where the scheduling state lives (in process, or Redis for several instances). */
  state: stateSchema.prefault({}),
  /** Model prices for estimated costs and cost budgets. */
  pricing: pricingSchema.prefault({}),
});

/** The validated configuration. Read it through `ConfigStore.get()`, which returns it frozen. */
export type SwitchyardConfig = z.output<typeof configSchema>;

/** The full default config, with a fresh random `proxy.api_key`. */
export function defaultConfig(): SwitchyardConfig {
  return configSchema.parse({});
}

/** One problem with a config document: the exact path of the field and what is wrong with it. */
export interface ConfigIssue {
  /** Dotted path, e.g. `proxy.scheduling.mode`, `proxy.circuit_breaker.backoff_steps[0]`; `(root)` for the document. */
  path: string;
  message: string;
}

/** Every issue of a failed parse as `{path, message}`, in zod's order. Never includes field values. */
export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatConfigPath(issue.path), message: describeIssue(issue) }));
}

/**
 * One line per problem, `path: message`, e.g.
 * `proxy.scheduling.mode: expected one of "CacheFirst" | "Balance" | "PerformanceFirst"`.
 */
export function formatConfigIssues(error: z.ZodError): string {
  return configIssues(error)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('\n');
}

/** `proxy.port`, `backoff_steps[0]`, `custom_mapping["gpt-4.1"]`; `(root)` for an empty path. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  return formatIssuePath(path) || '(root)';
}

/** A `postgres://` or `postgresql://` URL with a host. */
export function isPostgresUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
}

/** A `redis://` or `rediss://` URL with a host. */
export function isRedisUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
}

/** Why `text` cannot be the upstream proxy, or null when it can. Never echoes the URL (it may hold a password). */
function upstreamProxyUrlProblem(text: string): string | null {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url && /^socks4a?:$/.test(url.protocol)) {
    return `${url.protocol.slice(0, -1)}:// is not supported (undici has no SOCKS4 client): use ${supportedSchemes}`;
  }
  if (url && upstreamProxyProtocols.has(url.protocol) && url.hostname !== '') return null;
  return `must be an ${supportedSchemes} URL when upstream_proxy.enabled is true`;
}

// Our own wording instead of zod's: shorter, and it never echoes a value (api_key may be one).
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(' | ')}`;
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'integer' : issue.expected}${receivedSuffix(issue.input)}`;
    case 'too_small':
      return describeBound({
        bound: issue.minimum,
        origin: issue.origin,
        inclusive: issue.inclusive,
        below: true,
      });
    case 'too_big':
      return describeBound({
        bound: issue.maximum,
        origin: issue.origin,
        inclusive: issue.inclusive,
        below: false,
      });
    default:
      return issue.message;
  }
}

function describeBound(options: {
  bound: number | bigint;
  origin: string;
  inclusive: boolean | undefined;
  below: boolean;
}): string {
  const { bound, origin, below } = options;
  const inclusive = options.inclusive ?? true;
  if (origin === 'string') return `must be at ${below ? 'least' : 'most'} ${bound} characters long`;
  if (origin === 'array') return `must have at ${below ? 'least' : 'most'} ${bound} element(s)`;
  const operator = below ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `must be ${operator} ${bound}`;
}

function receivedSuffix(input: unknown): string {
  if (input === undefined) return '';
  if (input === null) return ', received null';
  if (Array.isArray(input)) return ', received array';
  if (typeof input === 'number' && !Number.isInteger(input)) return ', received a fraction';
  return `, received ${typeof input}`;
}
