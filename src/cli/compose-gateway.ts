import type { Kysely } from 'kysely';
import type { ConfigStore } from '../config/config-store.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import { Gateway } from '../gateway/gateway.js';
import { MemorySignatureLedger } from '../gateway/reasoning/signature-ledger.js';
import { ResponseStore } from '../gateway/translation/response-store.js';
import { LiveFeed } from '../observability/live-feed.js';
import type { Logger } from '../observability/logger.js';
import { countAccountStates, countLocks, Metrics } from '../observability/metrics.js';
import { RequestLogPipeline } from '../observability/request-log-pipeline.js';
import { RequestLogWriter, requestLogSettings } from '../observability/request-log-writer.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import { oauthClientsFromConfig } from '../providers/auth/oauth-clients.js';
import { OAuthCredentialProvider } from '../providers/auth/oauth-credential-provider.js';
import { httpOAuthEndpoints } from '../providers/auth/oauth-endpoints.js';
import { OAuthLogin } from '../providers/auth/oauth-login.js';
import { httpCodeAssistApi } from '../providers/code-assist/code-assist-api.js';
import { codeAssistContext } from '../providers/code-assist/code-assist-context.js';
import {
  type CodeAssistClientIdentity,
  defaultCodeAssistUserAgent,
} from '../providers/code-assist/code-assist-identity.js';
import { CodeAssistProjects, withCodeAssistProjects } from '../providers/code-assist/code-assist-projects.js';
import { CodeAssistQuota } from '../providers/code-assist/code-assist-quota.js';
import { UpstreamClient } from '../providers/upstream-client.js';
import { QuotaRefresher } from '../quota/quota-refresher.js';
import { routingTable } from '../routing/index.js';
import { DEFAULT_WINDOW_MS } from '../scheduler/pick.js';
import { Scheduler, type SchedulerConfig } from '../scheduler/scheduler.js';
import { BackgroundLockPersistence } from '../state/background-lock-persistence.js';
import { MemoryStateStore } from '../state/memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { ClientKeyStore } from '../store/client-key-store.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { DatabaseLockPersistence } from '../store/lock-store.js';
import { RequestLogStore } from '../store/request-log-store.js';
import { composeKeyServices, type KeyServices } from './compose-keys.js';
import { memoizeByConfig } from './memoize-by-config.js';

/** The scheduler's view of the config. */
export function schedulerConfig(config: Readonly<SwitchyardConfig>): SchedulerConfig {
  const { scheduling, quota_protection: protection, circuit_breaker: breaker } = config.proxy;
  return {
    scheduling: {
      mode: scheduling.mode,
      maxWaitSeconds: scheduling.max_wait_seconds,
      quotaProtection: {
        enabled: protection.enabled,
        thresholdPercentage: protection.threshold_percentage,
        monitoredModels: protection.monitored_models,
      },
      windowMs: DEFAULT_WINDOW_MS,
    },
    circuitBreaker: {
      enabled: breaker.enabled,
      backoffSteps: breaker.backoff_steps,
      maxLockSeconds: breaker.max_lock_seconds,
    },
  };
}

/** The client identity Code Assist calls carry (config `code_assist.client_version`, `user_agent`). */
function codeAssistIdentity(
  config: Readonly<SwitchyardConfig>,
  sessionUuid: string,
): CodeAssistClientIdentity {
  const version = config.code_assist.client_version;
  return {
    userAgent:
      config.code_assist.user_agent ??
      defaultCodeAssistUserAgent({ version, platform: process.platform, arch: process.arch }),
    clientName: 'antigravity',
    clientVersion: version,
    sessionUuid,
  };
}

function proxyUrl(config: Readonly<SwitchyardConfig>): string | null {
  return config.proxy.upstream_proxy.enabled && config.proxy.upstream_proxy.url
    ? config.proxy.upstream_proxy.url
    : null;
}

export interface GatewayServices {
  state: StateStore;
  scheduler: Scheduler;
  upstream: UpstreamClient;
  gateway: Gateway;
  observability: Observability;
  accountServices: AccountServices;
  keys: KeyServices;
  close(): Promise<void>;
}

/** OAuth sign-in and server-side quota refresh, for the admin routes. */
export interface AccountServices {
  oauthLogin: OAuthLogin;
  quotaRefresher: QuotaRefresher;
}

/**
 * OAuth accounts and Code Assist: token refresh (the gateway's credential provider), project and
 * tier discovery, quota refresh, sign-in. Configures the process-wide Code Assist endpoints.
 */
function composeAccountServices(options: {
  config: ConfigStore;
  accounts: AccountStore;
  state: StateStore;
  scheduler: Scheduler;
  upstream: UpstreamClient;
  clock: Clock;
  logger: Logger;
  ids: IdSource;
}): {
  credentials: CredentialProvider;
  services: AccountServices;
  /** Applies `code_assist.*` to the process-wide Code Assist context. */
  configureCodeAssist: (config: Readonly<SwitchyardConfig>) => void;
} {
  const { config, accounts, upstream, clock, logger } = options;
  const endpoints = httpOAuthEndpoints(upstream);
  const clients = memoizeByConfig(config, (current) => oauthClientsFromConfig(current.oauth.clients));
  const onError = (error: unknown, account: { email: string }) =>
    logger.error({ err: error, account: account.email }, 'could not store an OAuth account update');
  const oauth = new OAuthCredentialProvider({
    accounts,
    endpoints,
    clock,
    settings: () => ({ skewMs: config.get().oauth.refresh_skew_seconds * 1000, clients: clients() }),
    onError,
  });
  const sessionUuid = options.ids.uuid();
  const configureCodeAssist = (current: Readonly<SwitchyardConfig>) =>
    codeAssistContext.configure({
      baseUrls: current.code_assist.base_urls,
      identity: codeAssistIdentity(current, sessionUuid),
      clock,
    });
  configureCodeAssist(config.get());
  const api = httpCodeAssistApi({
    upstream,
    context: codeAssistContext,
    ideType: () => config.get().code_assist.ide_type,
  });
  const projects = new CodeAssistProjects({ api, accounts, context: codeAssistContext, clock, onError });
  const credentials = withCodeAssistProjects(oauth, projects);
  const quotaRefresher = new QuotaRefresher({
    accounts,
    credentials,
    sources: [new CodeAssistQuota({ api, projects, context: codeAssistContext })],
    locks: options.state,
    limits: options.scheduler,
    clock,
    settings: () => ({
      enabled: config.get().auto_refresh,
      intervalMs: config.get().refresh_interval * 60_000,
    }),
    logger,
  });
  const oauthLogin = new OAuthLogin({ clients, endpoints, accounts, clock });
  return { credentials, services: { oauthLogin, quotaRefresher }, configureCodeAssist };
}

/** The request log (store database, batched off the request path), the live feed for the Monitor page, and Prometheus metrics. */
export interface Observability {
  requestLogStore: RequestLogStore;
  writer: RequestLogWriter;
  feed: LiveFeed;
  metrics: Metrics;
}

function composeObservability(options: {
  config: ConfigStore;
  accounts: AccountStore;
  db: Kysely<DatabaseSchema>;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}): Observability {
  const { config, accounts, state, clock, logger } = options;
  const requestLogStore = new RequestLogStore(options.db);
  const feed = new LiveFeed();
  const metrics = new Metrics({
    logger,
    gauges: {
      locksActive: async () => (await state.listLocks()).filter((lock) => lock.until > clock.now()).length,
      locksBySource: async () => countLocks(await state.listLocks(), clock.now()),
      sessionBindings: () => state.countBindings(),
      accountStates: () => countAccountStates(accounts.list()),
    },
  });
  const writer = new RequestLogWriter({
    store: requestLogStore,
    clock,
    logger,
    settings: () => requestLogSettings(config.get()),
    // Small, frequent batches: each insert runs synchronously on the event loop, so a big one
    // would stall every request in flight (see BENCHMARKS.md, proxy overhead).
    flushIntervalMs: 100,
    batchSize: 50,
  });
  writer.start();
  return { requestLogStore, writer, feed, metrics };
}

/**
 * Wires the request path: state store (locks persisted to the store database in the background,
 * so a slow or lost database never delays or fails a request), scheduler, upstream client, gateway.
 */
export async function composeGateway(options: {
  config: ConfigStore;
  accounts: AccountStore;
  keys: ClientKeyStore;
  db: Kysely<DatabaseSchema>;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  credentials?: CredentialProvider;
}): Promise<GatewayServices> {
  const { config, accounts, clock, logger } = options;
  const bindings = config.get().proxy.session_bindings;
  const lockWrites = new BackgroundLockPersistence({
    inner: new DatabaseLockPersistence(options.db),
    onHealthChange: (error) => {
      if (error === null) logger.info('rate-limit locks are being stored again');
      else logger.warn({ err: error }, 'cannot store rate-limit locks; they stay in memory meanwhile');
    },
  });
  const state = await MemoryStateStore.create({
    clock,
    bindingTtlMs: bindings.ttl_seconds * 1000,
    maxBindings: bindings.max_bindings,
    lockPersistence: lockWrites,
  });
  const scheduler = new Scheduler({
    pool: accounts.pool,
    store: state,
    clock,
    config: memoizeByConfig(config, schedulerConfig),
    onBackgroundError: (error) => logger.error({ err: error }, 'scheduler clean-up failed'),
  });
  const observability = composeObservability({ ...options, state });
  const keys = await composeKeyServices({ ...options, pool: accounts.pool });
  const upstream = new UpstreamClient({ proxyUrl: proxyUrl(config.get()) });
  const oauth = composeAccountServices({ ...options, state, scheduler, upstream });
  const unsubscribe = config.subscribe((event) => {
    if (event.changed.includes('proxy.upstream_proxy'))
      upstream.reconfigure({ proxyUrl: proxyUrl(event.current) });
    if (event.changed.some((path) => path.startsWith('code_assist')))
      oauth.configureCodeAssist(event.current);
    if (event.changed.some((path) => path === 'refresh_interval' || path === 'auto_refresh'))
      oauth.services.quotaRefresher.reschedule();
  });
  const gateway = new Gateway({
    responses: new ResponseStore({ clock, maxBytes: () => config.get().proxy.response_store_max_bytes }),
    signatures: new MemorySignatureLedger(),
    accounts,
    scheduler,
    credentials: options.credentials ?? oauth.credentials,
    upstream,
    config: () => config.get(),
    routing: memoizeByConfig(config, (current) =>
      routingTable({ mapping: current.proxy.custom_mapping, aliases: current.proxy.model_aliases }),
    ),
    requestLog: new RequestLogPipeline(
      [observability.writer, observability.feed, observability.metrics, keys.recorder, keys.gate],
      logger,
    ),
    keys: keys.gate,
    clock,
    logger,
  });
  oauth.services.quotaRefresher.start();
  return {
    state,
    scheduler,
    upstream,
    gateway,
    observability,
    accountServices: oauth.services,
    keys,
    async close() {
      unsubscribe();
      await oauth.services.quotaRefresher.stop();
      observability.feed.closeAll();
      await scheduler.close();
      await upstream.close();
      await observability.writer.close();
      await keys.close();
      await state.close();
      await lockWrites.flush();
    },
  };
}
