import type { Kysely } from 'kysely';
import type { ConfigStore } from '../config/config-store.js';
import type { SwitchyardConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import { Gateway } from '../gateway/gateway.js';
import type { SchedulerPort } from '../gateway/gateway-ports.js';
import { MemorySignatureLedger } from '../gateway/reasoning/signature-ledger.js';
import { ResponseStore } from '../gateway/translation/response-store.js';
import { LiveFeed } from '../observability/live-feed.js';
import type { Logger } from '../observability/logger.js';
import { countAccountStates, countLocks, Metrics } from '../observability/metrics.js';
import { RequestLogPipeline } from '../observability/request-log-pipeline.js';
import { RequestLogThread } from '../observability/request-log-thread.js';
import { requestLogSettings } from '../observability/request-log-writer.js';
import {
  inProcessRequestLogWorker,
  requestLogWorkerAvailable,
  spawnRequestLogWorker,
} from '../observability/spawn-request-log-worker.js';
import type { CredentialProvider } from '../providers/auth/credential-provider.js';
import { oauthClientsFromConfig } from '../providers/auth/oauth-clients.js';
import { OAuthCredentialProvider } from '../providers/auth/oauth-credential-provider.js';
import { httpOAuthEndpoints } from '../providers/auth/oauth-endpoints.js';
import { OAuthLogin } from '../providers/auth/oauth-login.js';
import { httpCodeAssistApi } from '../providers/code-assist/code-assist-api.js';
import { CodeAssistContext } from '../providers/code-assist/code-assist-context.js';
import {
  type CodeAssistClientIdentity,
  defaultCodeAssistUserAgent,
} from '../providers/code-assist/code-assist-identity.js';
import { CodeAssistProjects, withCodeAssistProjects } from '../providers/code-assist/code-assist-projects.js';
import { CodeAssistQuota } from '../providers/code-assist/code-assist-quota.js';
import { createProviderRegistry } from '../providers/registry.js';
import { UpstreamClient } from '../providers/upstream-client.js';
import { QuotaRefresher } from '../quota/quota-refresher.js';
import { routingTable } from '../routing/index.js';
import { DEFAULT_WINDOW_MS } from '../scheduler/pick.js';
import { RateLimitTracker } from '../scheduler/rate-limit-tracker.js';
import { Scheduler, type SchedulerConfig } from '../scheduler/scheduler.js';
import type { AccountServices, KeyServices, Observability } from '../server/app-dependencies.js';
import { BackgroundLockPersistence } from '../state/background-lock-persistence.js';
import type { StateStore } from '../state/state-store.js';
import type { AccountStore } from '../store/account-store.js';
import type { ClientKeyStore } from '../store/client-key-store.js';
import type { DatabaseSchema } from '../store/database-schema.js';
import { DatabaseLockPersistence } from '../store/lock-store.js';
import { RefreshedTokenWrites } from '../store/refreshed-token-writes.js';
import { RequestLogStore } from '../store/request-log-store.js';
import type { StoreHealth } from '../store/store-health.js';
import { type StoreOutageReport, storeOutageReport } from '../store/store-outage-report.js';
import { composeKeyServices } from './compose-keys.js';
import { composeScheduledWarmup } from './compose-warmup.js';
import { memoizeByConfig } from './memoize-by-config.js';
import { openStateStore } from './open-state-store.js';
import { shareSchedulingSettings } from './share-scheduling-settings.js';
import type { StoreLocation } from './store-location.js';

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
  /** The rate-limit bookkeeping: failures, successes, predicted limits, lock admin. */
  limits: RateLimitTracker;
  upstream: UpstreamClient;
  gateway: Gateway;
  observability: Observability;
  accountServices: AccountServices;
  keys: KeyServices;
  /** The store's reachability and the bookkeeping writes held in memory meanwhile. */
  storeReport: () => StoreOutageReport;
  close(): Promise<void>;
}

/**
 * OAuth accounts and Code Assist: token refresh (the gateway's credential provider), project and
 * tier discovery, quota refresh, sign-in. Configures the gateway's Code Assist context.
 */
function composeAccountServices(options: {
  config: ConfigStore;
  accounts: AccountStore;
  state: StateStore;
  limits: RateLimitTracker;
  upstream: UpstreamClient;
  clock: Clock;
  logger: Logger;
  ids: IdSource;
  codeAssist: CodeAssistContext;
  tokenWrites: RefreshedTokenWrites;
}): {
  credentials: CredentialProvider;
  services: AccountServices;
  /** Applies `code_assist.*` to the Code Assist context. */
  configureCodeAssist: (config: Readonly<SwitchyardConfig>) => void;
} {
  const { config, accounts, upstream, clock, logger, codeAssist } = options;
  const endpoints = httpOAuthEndpoints(upstream);
  const clients = memoizeByConfig(config, (current) => oauthClientsFromConfig(current.oauth.clients));
  const onError = (error: unknown, account: { email: string }) =>
    logger.error({ err: error, account: account.email }, 'could not store an OAuth account update');
  const oauth = new OAuthCredentialProvider({
    accounts,
    endpoints,
    clock,
    settings: () => ({ skewMs: config.get().oauth.refresh_skew_seconds * 1000, clients: clients() }),
    // One refresh per token across every instance sharing the state store.
    exclusion: options.state,
    onError,
    tokenWrites: options.tokenWrites,
  });
  const sessionUuid = options.ids.uuid();
  const configureCodeAssist = (current: Readonly<SwitchyardConfig>) =>
    codeAssist.configure({
      baseUrls: current.code_assist.base_urls,
      identity: codeAssistIdentity(current, sessionUuid),
      clock,
    });
  configureCodeAssist(config.get());
  const api = httpCodeAssistApi({
    upstream,
    context: codeAssist,
    ideType: () => config.get().code_assist.ide_type,
  });
  const projects = new CodeAssistProjects({ api, accounts, context: codeAssist, clock, onError });
  const credentials = withCodeAssistProjects(oauth, projects);
  const quotaRefresher = new QuotaRefresher({
    accounts,
    credentials,
    sources: [new CodeAssistQuota({ api, projects, context: codeAssist })],
    locks: options.state,
    limits: options.limits,
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

function composeObservability(options: {
  config: ConfigStore;
  accounts: AccountStore;
  db: Kysely<DatabaseSchema>;
  storeLocation?: StoreLocation | undefined;
  state: StateStore;
  health: StoreHealth;
  storeReport: () => StoreOutageReport;
  clock: Clock;
  logger: Logger;
}): Observability {
  const { config, accounts, state, clock, logger, storeLocation } = options;
  const requestLogStore = new RequestLogStore(options.db);
  const feed = new LiveFeed();
  // Rows are stored by a worker thread on its own connection. Where there is none (an in-memory
  // database, or running from the TypeScript sources), the same service runs in this thread in
  // small batches: each insert then runs synchronously on the event loop.
  const threaded = storeLocation && requestLogWorkerAvailable && !isInMemory(storeLocation);
  const writer = new RequestLogThread({
    spawn: (settings) =>
      threaded
        ? spawnRequestLogWorker(storeLocation, settings)
        : inProcessRequestLogWorker({
            store: requestLogStore,
            clock,
            settings: { ...settings, batchSize: 50 },
          }),
    clock,
    logger,
    settings: () => requestLogSettings(config.get()),
    availability: options.health,
  });
  const metrics = new Metrics({
    logger,
    gauges: {
      locksActive: async () => (await state.listLocks()).filter((lock) => lock.until > clock.now()).length,
      locksBySource: async () => countLocks(await state.listLocks(), clock.now()),
      sessionBindings: () => state.countBindings(),
      accountStates: () => countAccountStates(accounts.list()),
      requestLog: () => writer.readStats(),
      store: options.storeReport,
      stateDegraded: () => state.health().degraded,
    },
  });
  writer.start();
  return { requestLogStore, writer, feed, metrics };
}

function isInMemory(location: StoreLocation): boolean {
  return location.backend === 'sqlite' && location.file === ':memory:';
}

/** What the gateway's attempt loop needs: picks from the scheduler, bookkeeping from the tracker. */
function schedulingPort(scheduler: Scheduler, limits: RateLimitTracker): SchedulerPort {
  return {
    select: (request) => scheduler.select(request),
    recordFailure: (report) => limits.recordFailure(report),
    claimResend: (accountId, model) => limits.claimResend(accountId, model),
    recordSuccess: (success) => limits.recordSuccess(success),
    recordPredictedLimit: (observation) => limits.recordPredictedLimit(observation),
  };
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
  /** Where `db` is, for the request log worker's own connection; without it rows are written in this thread. */
  storeLocation?: StoreLocation;
  /** The store database's reachability (`OpenedDatabase.health`): bookkeeping writes wait for it. */
  health: StoreHealth;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  credentials?: CredentialProvider;
  /** SWITCHYARD_REDIS_URL: the shared state's Redis, winning over `state.redis_url`. */
  redisUrl?: string | undefined;
  /** Start on local state when Redis cannot be reached instead of failing. */
  allowDegradedStart?: boolean | undefined;
}): Promise<GatewayServices> {
  const { config, accounts, clock, logger, health } = options;
  const lockWrites = new BackgroundLockPersistence({
    inner: new DatabaseLockPersistence(options.db),
    availability: health,
    onHealthChange: (error) => {
      if (error === null) logger.info('rate-limit locks are being stored again');
      else logger.warn({ err: error }, 'cannot store rate-limit locks; they stay in memory meanwhile');
    },
  });
  const tokenWrites = new RefreshedTokenWrites({
    accounts,
    availability: health,
    onError: (error, accountId) =>
      logger.error({ err: error, accountId }, 'could not store a refreshed OAuth token'),
  });
  const state = await openStateStore({ ...options, lockPersistence: lockWrites });
  const onBackgroundError = (error: unknown) => logger.error({ err: error }, 'scheduler clean-up failed');
  const settings = memoizeByConfig(config, schedulerConfig);
  const limits = new RateLimitTracker({
    pool: accounts.pool,
    store: state,
    clock,
    config: settings,
    onBackgroundError,
  });
  const scheduler = new Scheduler({
    pool: accounts.pool,
    store: state,
    clock,
    config: settings,
    limits,
    onBackgroundError,
  });
  const storeReport = (): StoreOutageReport =>
    storeOutageReport(health, {
      request_log: () => observability.writer.heldRows(),
      locks: () => ({ held: lockWrites.stats().queued, dropped: lockWrites.stats().dropped }),
      account_usage: () => ({ held: accounts.pendingUsageCount, dropped: 0 }),
      oauth_tokens: () => ({ held: tokenWrites.heldCount, dropped: 0 }),
      key_usage: () => ({ held: keys.recorder.pendingCount, dropped: keys.recorder.droppedCount }),
      key_last_used: () => ({ held: options.keys.pendingLastUsedCount, dropped: 0 }),
    });
  const observability = composeObservability({ ...options, state, storeReport });
  const keys = await composeKeyServices({ ...options, pool: accounts.pool });
  const upstream = new UpstreamClient({ proxyUrl: proxyUrl(config.get()) });
  const codeAssist = new CodeAssistContext();
  const oauth = composeAccountServices({ ...options, state, limits, upstream, codeAssist, tokenWrites });
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
    scheduler: schedulingPort(scheduler, limits),
    providers: createProviderRegistry({ codeAssist }),
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
  const scheduledWarmup = composeScheduledWarmup({
    ...options,
    gateway,
    state,
    requestLog: observability.requestLogStore,
  });
  const accountServices: AccountServices = { ...oauth.services, scheduledWarmup };
  const stopSettingsSync = shareSchedulingSettings({ config, state, logger });
  return {
    state,
    scheduler,
    limits,
    upstream,
    gateway,
    observability,
    accountServices,
    keys,
    storeReport,
    async close() {
      unsubscribe();
      stopSettingsSync();
      await scheduledWarmup.stop();
      await oauth.services.quotaRefresher.stop();
      observability.feed.closeAll();
      await scheduler.close();
      await limits.close();
      await upstream.close();
      await observability.writer.close();
      await keys.close();
      await state.close();
      await lockWrites.flush();
      lockWrites.close();
      tokenWrites.close();
      await tokenWrites.flush();
    },
  };
}
