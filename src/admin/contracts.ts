/**
 * The admin API contract: request bodies and responses of `/api/*`, as zod schemas. They are the
 * single source of the types the server, the CLI and the web UI use. Field names are snake_case,
 * like `gui_config.json`.
 */
import { z } from 'zod';
import { TIERS } from '../core/account.js';
import { LOCK_SOURCES } from '../core/limits.js';
import { PROVIDER_KINDS } from '../providers/provider-kinds.js';
import { publicAccount } from './account-contracts.js';

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), {
    message: 'must be an http(s) URL such as https://api.openai.com/v1',
  });

const modelList = z.array(z.string().trim().min(1, 'model ids must not be empty')).max(1000);

/** OAuth fields of an account (an alternative to `api_key`). */
const oauthFields = {
  /** OAuth refresh token; the access token is refreshed from it. */
  refresh_token: z.string().trim().min(1).optional(),
  /** A current access token, when known. */
  access_token: z.string().trim().min(1).optional(),
  /** Access-token expiry: epoch milliseconds or an ISO date. */
  expires_at: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
  /** OAuth client id (falls back to the provider preset from config). */
  client_id: z.string().trim().min(1).optional(),
  /** OAuth client secret, when the client has one. */
  client_secret: z.string().trim().min(1).optional(),
  /** Token endpoint (defaults to the provider preset, e.g. Google's). */
  token_url: httpUrl.optional(),
};

/** `POST /api/accounts` body. Exactly one credential: `api_key`, or `refresh_token` (OAuth). */
export const createAccountBody = z
  .strictObject({
    /** Upstream API family. */
    provider: z.enum(PROVIDER_KINDS, { message: `provider must be one of ${PROVIDER_KINDS.join(', ')}` }),
    /** Identity shown in the UI and in `X-Account-Email`. Unique per provider. */
    email: z.string().trim().min(1, 'email must not be empty').max(320),
    /** Upstream base URL; omitted or null means the provider's public default. */
    base_url: httpUrl.nullish(),
    /** API key credential. */
    api_key: z.string().trim().min(1, 'api_key must not be empty').optional(),
    ...oauthFields,
    tier: z.enum(TIERS).nullish(),
    /** Model ids or wildcard patterns the account serves; empty or omitted means any. */
    models: modelList.optional(),
    label: z.string().trim().max(200).nullish(),
  })
  .superRefine((body, context) => {
    if (body.api_key === undefined && body.refresh_token === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['api_key'],
        message: 'missing credential: give api_key, or refresh_token for an OAuth account',
      });
    }
    if (body.api_key !== undefined && body.refresh_token !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['refresh_token'],
        message: 'give api_key or refresh_token, not both',
      });
    }
  });
export type CreateAccountBody = z.output<typeof createAccountBody>;

/** `PATCH /api/accounts/:id` body: every field optional; only the given ones change. */
export const patchAccountBody = z
  .strictObject({
    email: z.string().trim().min(1).max(320).optional(),
    disabled: z.boolean().optional(),
    disabled_reason: z.string().max(800).nullish(),
    proxy_disabled: z.boolean().optional(),
    proxy_disabled_reason: z.string().max(800).nullish(),
    tier: z.enum(TIERS).nullable().optional(),
    label: z.string().trim().max(200).nullable().optional(),
    models: modelList.optional(),
    base_url: httpUrl.nullable().optional(),
    api_key: z.string().trim().min(1).optional(),
    ...oauthFields,
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change: the body has no fields' });
export type PatchAccountBody = z.output<typeof patchAccountBody>;

/**
 * One entry of `POST /api/accounts/import` in a short form: our own account shape, or the
 * reference's `{email, refresh_token}` list entry (a Google OAuth account, `code-assist`, unless it
 * names a provider). A reference account file (`{email, token: {...}}`) is read with every field by
 * `referenceAccountSchema`, an export of ours by `readExportDocument`.
 */
export const importEntry = z.union([
  createAccountBody,
  z
    .looseObject({
      email: z.string().trim().min(1),
      provider: z.enum(PROVIDER_KINDS).optional(),
      refresh_token: z.string().trim().min(1),
    })
    .transform((entry) => ({
      provider: entry.provider ?? ('code-assist' as const),
      email: entry.email,
      refresh_token: entry.refresh_token,
    })),
]);

/**
 * `POST /api/accounts/import` body: an array of entries, `{accounts: [...]}`, or an export of ours
 * (`switchyard accounts export`, `POST /api/accounts/export`) with `"passphrase"` added beside its
 * fields when it is encrypted.
 */
export const importBody = z.union([
  z.array(z.unknown()).min(1, 'nothing to import: the list is empty'),
  z.strictObject({ accounts: z.array(z.unknown()).min(1, 'nothing to import: the list is empty') }),
]);

/**
 * `POST /api/accounts/export` body: `{"passphrase": "..."}` (at least 8 characters; credentials
 * encrypted with it) or `{"plain": true}` (credentials in clear). Never in the URL.
 */
export const exportBody = z
  .strictObject({
    passphrase: z.string().min(8, 'must be at least 8 characters long').optional(),
    plain: z.literal(true).optional(),
  })
  .refine((body) => (body.passphrase === undefined) !== (body.plain === undefined), {
    message:
      'give "passphrase" (credentials encrypted with it) or "plain": true (credentials in clear), one of them',
  });
export type ExportBody = z.output<typeof exportBody>;

/** The store database's reachability, as `GET /api/proxy/status` reports it. */
export const storeHealthView = z.object({
  backend: z.enum(['sqlite', 'postgres']),
  /** The SQLite file, or the PostgreSQL URL with its password masked. */
  location: z.string(),
  degraded: z.boolean(),
  /** Why it counts as down (never a password); null while it answers. */
  reason: z.string().nullable(),
  /** Epoch ms since when it counts as down; null while it answers. */
  since: z.number().nullable(),
  /** Bookkeeping writes held in memory until it answers again, by kind. */
  held_writes: z.record(z.string(), z.number()),
  /** Held writes dropped (oldest first) because their buffer was full, by kind, since start. */
  dropped_writes: z.record(z.string(), z.number()),
});
export type StoreHealthView = z.output<typeof storeHealthView>;

/** `GET /api/proxy/status` response. */
export const proxyStatus = z.object({
  running: z.boolean(),
  host: z.string(),
  port: z.number(),
  version: z.string(),
  active_accounts: z.number(),
  total_accounts: z.number(),
  /** The auth mode in force (`auto` resolved against the bound address). */
  auth_mode: z.enum(['off', 'strict', 'all_except_health']),
  /** The problem with `gui_config.json` on disk, when the last edit could not be applied. */
  config_error: z.string().nullable(),
  /**
   * Settings given by environment variables (`SWITCHYARD_PROXY__AUTH_MODE`…): they win over the
   * file, and the admin API refuses to change them (409). Empty when none is set.
   */
  pinned_settings: z.array(z.object({ path: z.string(), variable: z.string() })),
  /** Why the last re-listen after a port/host change failed, if it did. */
  listen_error: z.string().nullable(),
  data_dir: z.string(),
  config_path: z.string(),
  /** Live session bindings (conversation → account). */
  session_bindings: z.number(),
  /** Active rate-limit locks (account or model scope). */
  active_locks: z.number(),
  /** The pinned account, if any. */
  fixed_account_id: z.string().nullable(),
  /**
   * True while the store database (SQLite file or PostgreSQL) does not answer: requests are still
   * served from memory, bookkeeping writes are held in memory, admin changes answer 503.
   */
  store_degraded: z.boolean(),
  /** The store database and its reachability (`store_degraded` in detail). */
  store: storeHealthView,
  /** The scheduling state: `memory` (in process) or `redis` (shared by a cluster), and its health. */
  state: z.object({
    backend: z.enum(['memory', 'redis']),
    /** `in process`, or the Redis URL with its password masked. */
    location: z.string(),
    /** Why Redis cannot be reached, while it cannot; else null. */
    reason: z.string().nullable(),
    /** Epoch ms since when it cannot be reached, else null. */
    since: z.number().nullable(),
  }),
  /** True while Redis cannot be reached: this instance serves on its local state and converges when it returns. */
  state_degraded: z.boolean(),
  /** Optional abilities of this gateway, so a UI shows only the controls that work. */
  features: z.object({
    /**
     * Providers whose accounts can be added by signing in (`POST /api/accounts/oauth/start`): the
     * OAuth-capable kinds (`code-assist`, `gemini`) with a client in `oauth.clients`. Empty when none.
     */
    oauth_login: z.array(z.enum(PROVIDER_KINDS)),
    /** Whether `POST /api/accounts/refresh-quota` and `/api/accounts/:id/refresh-quota` are served. */
    quota_refresh: z.boolean(),
  }),
});
export type ProxyStatus = z.output<typeof proxyStatus>;

/** Error body of every admin endpoint. */
export const adminError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `GET|PUT /api/proxy/scheduling`: the scheduling mode, persisted to gui_config.json and applied at once. */
export const schedulingSettings = z.strictObject({
  mode: z.enum(['CacheFirst', 'Balance', 'PerformanceFirst']),
  /** CacheFirst only: longest wait for a limited bound account, seconds (0–300). */
  max_wait_seconds: z.number().int().min(0).max(300),
});
export type SchedulingSettings = z.output<typeof schedulingSettings>;

/** `PUT /api/proxy/scheduling` accepts any subset. */
export const schedulingPatch = schedulingSettings.partial();

/** `GET|PUT /api/proxy/fixed-account`: runtime only, never persisted. */
export const fixedAccountBody = z.strictObject({ account_id: z.string().min(1).nullable() });
export const fixedAccountState = z.object({
  account_id: z.string().nullable(),
  /** Set when the fixed account is currently bypassed (locked, disabled, …) and why. */
  bypassed_reason: z.string().nullable(),
});
export type FixedAccountState = z.output<typeof fixedAccountState>;

/** One entry of `GET /api/proxy/rate-limits`. */
export const rateLimitView = z.object({
  account_id: z.string(),
  account_email: z.string().nullable(),
  scope: z.enum(['account', 'model']),
  model: z.string().nullable(),
  reason: z.string(),
  /**
   * Where the lock's end comes from: `retry-after` (a failure stated its delay), `rate-limit-headers`
   * or `quota-api` (a predicted limit: the upstream said nothing is left until the reset), `backoff`
   * (no stated delay; the gateway's own guess).
   */
  source: z.enum(LOCK_SOURCES),
  /** True for a predicted limit (`rate-limit-headers`, `quota-api`): no call failed. */
  predicted: z.boolean(),
  /** ISO time the lock ends. */
  until: z.string(),
  remaining_seconds: z.number(),
  message: z.string().nullable(),
});
export type RateLimitView = z.output<typeof rateLimitView>;
export const rateLimitList = z.object({ rate_limits: z.array(rateLimitView) });

/**
 * How many records a clearing removed: `POST /api/proxy/session-bindings/clear`,
 * `DELETE /api/proxy/rate-limits[/:accountId]`.
 */
export const clearedCount = z.object({ cleared: z.number() });

/** `POST /api/proxy/api-key/regenerate` response: the new proxy API key (also the admin credential without `admin_password`). */
export const regeneratedApiKey = z.object({ api_key: z.string() });

/** `GET /api/health` response (public). */
export const healthAnswer = z.object({ status: z.literal('ok'), version: z.string() });

/** `POST /api/proxy/mapping/test`: which rule maps a model name, and to what. */
export const mappingTestBody = z.strictObject({ model: z.string().trim().min(1, 'model must not be empty') });
export const mappingTestResult = z.object({
  model: z.string(),
  /** The first model tried: the one sent upstream when an account can serve it. */
  mapped: z.string(),
  /** Every model tried, in order (a fallback chain), the next only when no account can serve the one before. */
  models: z.array(z.string()),
  /** The mapping key or alias pattern that matched, or null for pass-through. */
  rule: z.string().nullable(),
  /** `exact` / `wildcard`: a `custom_mapping` key; `alias`: a model alias; `passthrough`: no rule. */
  kind: z.enum(['exact', 'wildcard', 'alias', 'passthrough']),
});
export type MappingTestResult = z.output<typeof mappingTestResult>;

/** `GET /api/proxy/model-aliases`: the model aliases in force and where each comes from. */
export const modelAliasesView = z.object({
  /** `proxy.model_aliases.enabled`. */
  enabled: z.boolean(),
  aliases: z.array(
    z.object({
      pattern: z.string(),
      /** Tried after the requested model, in order. */
      models: z.array(z.string()),
      /** Who asks for these ids. */
      client: z.string(),
      /** `builtin`, or `config` (`proxy.model_aliases.overrides`). */
      source: z.enum(['builtin', 'config']),
    }),
  ),
  /** Built-in patterns that `overrides` removed (set to null). */
  removed: z.array(z.string()),
});
export type ModelAliasesView = z.output<typeof modelAliasesView>;

/** `POST /api/accounts/oauth/start`: begin adding an OAuth account by signing in. */
export const oauthStartBody = z.strictObject({
  /** Provider whose OAuth client (`oauth.clients.<provider>` in gui_config.json) signs in. Default `code-assist`. */
  provider: z.enum(PROVIDER_KINDS).default('code-assist'),
  /**
   * Where the browser returns after consent. Default: this gateway's own `/auth/callback` on its
   * loopback address (what Google allows for desktop clients). Must be registered with the client.
   */
  redirect_uri: httpUrl.optional(),
});
export type OAuthStartBody = z.output<typeof oauthStartBody>;

/** Answer of `POST /api/accounts/oauth/start`: open `authorization_url` in a browser. */
export const oauthStartResult = z.object({
  state: z.string(),
  provider: z.enum(PROVIDER_KINDS),
  authorization_url: z.string(),
  redirect_uri: z.string(),
  /** ISO time after which the sign-in can no longer be completed. */
  expires_at: z.string(),
});
export type OAuthStartResult = z.output<typeof oauthStartResult>;

/**
 * `POST /api/accounts/oauth/complete`, for machines whose browser cannot reach the gateway: paste
 * the URL the browser was sent to (`redirect_url`), or its `code` (with `state` when several
 * sign-ins are pending).
 */
export const oauthCompleteBody = z
  .strictObject({
    redirect_url: z.string().trim().min(1).optional(),
    code: z.string().trim().min(1).optional(),
    state: z.string().trim().min(1).optional(),
  })
  .refine((body) => body.redirect_url !== undefined || body.code !== undefined, {
    message: 'give redirect_url (the whole URL the browser ended on) or code',
  });
export type OAuthCompleteBody = z.output<typeof oauthCompleteBody>;

/** Answer of `POST /api/accounts/oauth/complete`: the stored account, new or re-authorized. */
export const oauthCompleteResult = z.object({
  account: publicAccount,
  /** False when an existing account (same provider and email) got the new credential. */
  created: z.boolean(),
});
export type OAuthCompleteResult = z.output<typeof oauthCompleteResult>;

/** `GET /api/accounts/oauth/:state`: where a sign-in stands (for a page waiting on the browser). */
export const oauthLoginStatus = z.object({
  state: z.string(),
  status: z.enum(['pending', 'completed', 'failed']),
  provider: z.enum(PROVIDER_KINDS),
  /** When completed. */
  account: publicAccount.optional(),
  created: z.boolean().optional(),
  /** When failed. */
  error: z.string().optional(),
});
export type OAuthLoginStatusView = z.output<typeof oauthLoginStatus>;

/** What a quota refresh did to one account. */
export const quotaRefreshOutcome = z.object({
  account_id: z.string(),
  email: z.string(),
  status: z.enum(['refreshed', 'failed', 'skipped']),
  /** Why it failed or was skipped. */
  message: z.string().nullable(),
  /** Models whose quota was recorded. */
  models: z.number(),
  /** Models whose rate-limit lock was lifted because the fresh quota shows them recovered. */
  cleared_locks: z.array(z.string()),
});
export type QuotaRefreshOutcomeView = z.output<typeof quotaRefreshOutcome>;

/** `POST /api/accounts/:id/refresh-quota`: the outcome and the account as it is now. */
export const accountQuotaRefresh = z.object({
  outcome: quotaRefreshOutcome,
  account: publicAccount,
});
export type AccountQuotaRefresh = z.output<typeof accountQuotaRefresh>;

/** `POST /api/accounts/refresh-quota`: every account's outcome and the totals. */
export const quotaRefreshSummary = z.object({
  outcomes: z.array(quotaRefreshOutcome),
  refreshed: z.number(),
  failed: z.number(),
  skipped: z.number(),
});
export type QuotaRefreshSummaryView = z.output<typeof quotaRefreshSummary>;
