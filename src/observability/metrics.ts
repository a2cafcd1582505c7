import type { Account } from '../core/account.js';
import type { FailureReason, LockSource, RateLimitLock } from '../core/limits.js';
import type { Logger } from './logger.js';
import { type Counter, type Histogram, PrometheusRegistry } from './prometheus-registry.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';

/** Upper bounds (seconds) of the request latency histogram. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
/** Upper bounds of the attempts-per-request histogram. */
export const ATTEMPT_BUCKETS = [1, 2, 3, 4, 5, 10] as const;

/** How many accounts are in each state. An account counts once: disabled wins over proxy-disabled. */
export interface AccountStateCounts {
  active: number;
  disabled: number;
  proxyDisabled: number;
}

/** Counts `accounts` by state, for `MetricsGaugeSources.accountStates`. */
export function countAccountStates(
  accounts: readonly Pick<Account, 'disabled' | 'proxyDisabled'>[],
): AccountStateCounts {
  const counts: AccountStateCounts = { active: 0, disabled: 0, proxyDisabled: 0 };
  for (const account of accounts) {
    if (account.disabled) counts.disabled += 1;
    else if (account.proxyDisabled) counts.proxyDisabled += 1;
    else counts.active += 1;
  }
  return counts;
}

/** Active locks of one source and reason (`MetricsGaugeSources.locksBySource`). */
export interface LockCount {
  source: LockSource;
  reason: FailureReason;
  count: number;
}

/** Counts the locks active at `now` by source and reason, for `MetricsGaugeSources.locksBySource`. */
export function countLocks(
  locks: readonly Pick<RateLimitLock, 'source' | 'reason' | 'until'>[],
  now: number,
): LockCount[] {
  const counts = new Map<string, LockCount>();
  for (const lock of locks) {
    if (lock.until <= now) continue;
    const key = `${lock.source}\u0000${lock.reason}`;
    const entry = counts.get(key) ?? { source: lock.source, reason: lock.reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) =>
    a.source === b.source ? a.reason.localeCompare(b.reason) : a.source.localeCompare(b.source),
  );
}

/**
 * Values read at scrape time. Each may be async (the state store is Redis in cluster mode); one that
 * is missing or fails leaves its gauge without samples instead of failing the scrape.
 */
export interface MetricsGaugeSources {
  /** Rate-limit locks (account- or model-level) that have not expired yet. */
  locksActive?: () => number | Promise<number>;
  /** The same locks by source (predicted limits included) and reason. */
  locksBySource?: () => LockCount[] | Promise<LockCount[]>;
  /** Session → account bindings held. */
  sessionBindings?: () => number | Promise<number>;
  /** Accounts by state. */
  accountStates?: () => AccountStateCounts | Promise<AccountStateCounts>;
  /** The request log writer's counters (rows waiting, dropped because its queue was full). */
  requestLog?: () => RequestLogCounts | Promise<RequestLogCounts>;
  /** The store database's reachability and the bookkeeping writes held in memory meanwhile. */
  store?: () => StoreGaugeValues;
  /** Whether the shared scheduling state (Redis) cannot be reached and the instance serves on local state. */
  stateDegraded?: () => boolean;
}

/** What the request log gauges show. */
export interface RequestLogCounts {
  queued: number;
  dropped: number;
}

/** What `MetricsGaugeSources.store` reports (a `StoreOutageReport` fits). */
export interface StoreGaugeValues {
  degraded: boolean;
  /** Writes held in memory now, by kind. */
  held_writes: Readonly<Record<string, number>>;
  /** Held writes dropped because their buffer was full, by kind, since start. */
  dropped_writes: Readonly<Record<string, number>>;
}

export interface MetricsOptions {
  gauges?: MetricsGaugeSources;
  /** Where failing gauge sources are reported. */
  logger?: Logger;
}

interface GaugeValues {
  locksActive: number | null;
  locksBySource: LockCount[] | null;
  sessionBindings: number | null;
  accountStates: AccountStateCounts | null;
  requestLog: RequestLogCounts | null;
  store: StoreGaugeValues | null;
  stateDegraded: boolean | null;
}

/**
 * The gateway's Prometheus metrics, fed by every finished request (`record`) and rendered for
 * `GET /metrics`. Label `account` is the account email (empty when no account served the request).
 */
export class Metrics implements RequestLogSink {
  private readonly registry = new PrometheusRegistry();
  private readonly requests: Counter;
  private readonly latency: Histogram;
  private readonly attempts: Histogram;
  private readonly tokens: Counter;
  private gaugeValues: GaugeValues = {
    locksActive: null,
    locksBySource: null,
    sessionBindings: null,
    accountStates: null,
    requestLog: null,
    store: null,
    stateDegraded: null,
  };

  constructor(private readonly options: MetricsOptions = {}) {
    const registry = this.registry;
    this.requests = registry.counter({
      name: 'switchyard_requests_total',
      help: 'Proxied requests by client protocol, HTTP status returned and serving account.',
      labelNames: ['protocol', 'status', 'account'],
    });
    this.latency = registry.histogram({
      name: 'switchyard_upstream_latency_seconds',
      help: 'Time from request arrival until the response was complete, all attempts included.',
      labelNames: ['protocol'],
      buckets: LATENCY_BUCKETS,
    });
    this.attempts = registry.histogram({
      name: 'switchyard_request_attempts',
      help: 'Upstream attempts made per request.',
      labelNames: ['protocol'],
      buckets: ATTEMPT_BUCKETS,
    });
    this.tokens = registry.counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens reported by the upstream, by account and type.',
      labelNames: ['account', 'type'],
    });
    this.registerGauges(registry);
  }

  record(entry: RequestLogEntry): void {
    const account = entry.accountEmail ?? '';
    this.requests.inc({ protocol: entry.protocol, status: String(entry.status), account });
    this.latency.observe({ protocol: entry.protocol }, Math.max(0, entry.latencyMs) / 1000);
    this.attempts.observe({ protocol: entry.protocol }, entry.attempts);
    const usage = entry.usage;
    if (!usage) return;
    this.countTokens(account, 'input', usage.inputTokens);
    this.countTokens(account, 'output', usage.outputTokens);
    this.countTokens(account, 'cache_read', usage.cacheReadTokens);
    this.countTokens(account, 'cache_write', usage.cacheWriteTokens);
  }

  private countTokens(account: string, type: string, count: number): void {
    if (count > 0) this.tokens.inc({ account, type }, count);
  }

  /** Every metric in the Prometheus text format; gauges are read from their sources first. */
  async render(): Promise<string> {
    const sources = this.options.gauges ?? {};
    const [locksActive, locksBySource, sessionBindings, accountStates, requestLog, store, stateDegraded] =
      await Promise.all([
        this.read('locksActive', sources.locksActive),
        this.read('locksBySource', sources.locksBySource),
        this.read('sessionBindings', sources.sessionBindings),
        this.read('accountStates', sources.accountStates),
        this.read('requestLog', sources.requestLog),
        this.read('store', sources.store),
        this.read('stateDegraded', sources.stateDegraded),
      ]);
    this.gaugeValues = {
      locksActive,
      locksBySource,
      sessionBindings,
      accountStates,
      requestLog,
      store,
      stateDegraded,
    };
    return this.registry.render();
  }

  private registerGauges(registry: PrometheusRegistry): void {
    registry.gauge({
      name: 'switchyard_locks_active',
      help: 'Rate-limit locks in force (account or model scope).',
      collect: () => (this.gaugeValues.locksActive === null ? [] : [{ value: this.gaugeValues.locksActive }]),
    });
    registry.gauge({
      name: 'switchyard_session_bindings',
      help: 'Conversation sessions bound to an account.',
      collect: () =>
        this.gaugeValues.sessionBindings === null ? [] : [{ value: this.gaugeValues.sessionBindings }],
    });
    registry.gauge({
      name: 'switchyard_state_degraded',
      help: '1 while the shared scheduling state (Redis) cannot be reached and this instance serves on its local state, else 0.',
      collect: () =>
        this.gaugeValues.stateDegraded === null ? [] : [{ value: this.gaugeValues.stateDegraded ? 1 : 0 }],
    });
    registry.gauge({
      name: 'switchyard_accounts',
      help: 'Accounts by state.',
      labelNames: ['state'],
      collect: () => {
        const counts = this.gaugeValues.accountStates;
        if (!counts) return [];
        return [
          { labels: { state: 'active' }, value: counts.active },
          { labels: { state: 'disabled' }, value: counts.disabled },
          { labels: { state: 'proxy_disabled' }, value: counts.proxyDisabled },
        ];
      },
    });
    registry.gauge({
      name: 'switchyard_request_log_dropped_rows',
      help: 'Request log rows dropped since start because the queue waiting for the database was full (the oldest go first).',
      collect: () => (this.gaugeValues.requestLog ? [{ value: this.gaugeValues.requestLog.dropped }] : []),
    });
    registry.gauge({
      name: 'switchyard_request_log_queued_rows',
      help: 'Request log rows waiting to be written to the database.',
      collect: () => (this.gaugeValues.requestLog ? [{ value: this.gaugeValues.requestLog.queued }] : []),
    });
    registry.gauge({
      name: 'switchyard_locks_by_source',
      help: 'Rate-limit locks in force by where their end comes from (retry-after, rate-limit-headers and quota-api predicted limits, backoff) and reason.',
      labelNames: ['source', 'reason'],
      collect: () =>
        (this.gaugeValues.locksBySource ?? []).map(({ source, reason, count }) => ({
          labels: { source, reason },
          value: count,
        })),
    });
    this.registerStoreGauges(registry);
  }

  private registerStoreGauges(registry: PrometheusRegistry): void {
    const byKind = (counts: Readonly<Record<string, number>> | undefined) =>
      Object.entries(counts ?? {}).map(([kind, value]) => ({ labels: { kind }, value }));
    registry.gauge({
      name: 'switchyard_store_degraded',
      help: 'Whether the store database (SQLite or PostgreSQL) does not answer: 1 while requests are served from memory and admin changes are refused.',
      collect: () =>
        this.gaugeValues.store === null ? [] : [{ value: this.gaugeValues.store.degraded ? 1 : 0 }],
    });
    registry.gauge({
      name: 'switchyard_store_held_writes',
      help: 'Bookkeeping writes held in memory until the store database answers, by kind.',
      labelNames: ['kind'],
      collect: () => byKind(this.gaugeValues.store?.held_writes),
    });
    registry.gauge({
      name: 'switchyard_store_dropped_writes',
      help: 'Held bookkeeping writes dropped (oldest first) because their buffer was full, by kind, since start.',
      labelNames: ['kind'],
      collect: () => byKind(this.gaugeValues.store?.dropped_writes),
    });
  }

  private async read<Value>(
    name: string,
    source: (() => Value | Promise<Value>) | undefined,
  ): Promise<Value | null> {
    if (!source) return null;
    try {
      return await source();
    } catch (error) {
      this.options.logger?.warn({ err: error, gauge: name }, 'metrics gauge could not be read');
      return null;
    }
  }
}
