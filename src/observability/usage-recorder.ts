import type { Clock } from '../core/clock.js';
import type { UsageDelta, UsageStore } from '../store/usage-store.js';
import { DAY_MS, hourStart } from '../usage/usage-windows.js';
import type { Logger } from './logger.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';

const FAILURE_LOG_INTERVAL_MS = 60_000;
/** Rows of pending sums kept through a store outage; beyond it new combinations are dropped (and counted). */
const MAX_PENDING = 100_000;

export interface UsageRecorderOptions {
  store: Pick<UsageStore, 'addBatch' | 'prune'>;
  clock: Clock;
  logger: Logger;
  /** `proxy.logging.usage_retention_days`, read at each prune. */
  retentionDays: () => number;
  /** Milliseconds between writes. Default 1000. */
  flushIntervalMs?: number;
  /** Milliseconds between prunes. Default one hour. */
  pruneIntervalMs?: number;
}

/**
 * Sums finished requests per UTC hour, client key, account and model in memory, and adds the sums
 * to the store's hourly rows once a second: one upsert per combination seen, however many requests
 * it had. On the request path it costs one map lookup and a few additions. Sums that could not be
 * written are kept and retried with the next write, so an outage of the store loses no usage.
 */
export class UsageRecorder implements RequestLogSink {
  private pending = new Map<string, UsageDelta>();
  private stopTimers: (() => void)[] = [];
  private flushing: Promise<void> | null = null;
  private dropped = 0;
  private lastFailureLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: UsageRecorderOptions) {}

  start(): void {
    if (this.stopTimers.length > 0) return;
    const { clock } = this.options;
    this.stopTimers = [
      clock.every(this.options.flushIntervalMs ?? 1000, () => void this.flush()),
      clock.every(this.options.pruneIntervalMs ?? 3_600_000, () => void this.prune()),
    ];
    void this.prune();
  }

  record(entry: RequestLogEntry): void {
    const hour = hourStart(entry.time);
    const id = `${hour}\u0000${entry.clientKeyId ?? ''}\u0000${entry.accountId ?? ''}\u0000${entry.mappedModel ?? ''}`;
    let delta = this.pending.get(id);
    if (!delta) {
      if (this.pending.size >= MAX_PENDING) {
        this.dropped += 1;
        return;
      }
      delta = emptyDelta(hour, entry);
      this.pending.set(id, delta);
    }
    delta.requests += 1;
    if (entry.status >= 400) delta.errors += 1;
    const usage = entry.usage;
    if (usage === null) return;
    delta.inputTokens += usage.inputTokens;
    delta.outputTokens += usage.outputTokens;
    delta.cacheReadTokens += usage.cacheReadTokens;
    delta.cacheWriteTokens += usage.cacheWriteTokens;
    delta.reasoningTokens += usage.reasoningTokens;
  }

  /** Writes the pending sums now; resolves when they are stored (or kept for the next try). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    this.flushing = this.write();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** Rows of sums waiting to be written (more than a few during a store outage). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Requests whose usage could not be kept (the pending sums were full during a store outage). */
  get droppedCount(): number {
    return this.dropped;
  }

  async close(): Promise<void> {
    for (const stop of this.stopTimers) stop();
    this.stopTimers = [];
    await this.flush();
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.options.store.addBatch([...batch.values()]);
    } catch (error) {
      // Put the sums back, merged with what arrived meanwhile, for the next write.
      for (const [id, delta] of batch) {
        const newer = this.pending.get(id);
        this.pending.set(id, newer ? addDeltas(delta, newer) : delta);
      }
      this.reportFailure(error, 'usage totals could not be stored; kept for the next try');
    }
  }

  private async prune(): Promise<void> {
    try {
      const olderThan = hourStart(this.options.clock.now() - this.options.retentionDays() * DAY_MS);
      await this.options.store.prune(olderThan);
    } catch (error) {
      this.reportFailure(error, 'usage totals could not be pruned');
    }
  }

  private reportFailure(error: unknown, message: string): void {
    const now = this.options.clock.now();
    if (now - this.lastFailureLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLoggedAt = now;
    try {
      this.options.logger.error({ err: error }, message);
    } catch {
      // A logger that throws must not take the recorder down with it.
    }
  }
}

function emptyDelta(hour: number, entry: RequestLogEntry): UsageDelta {
  return {
    hour,
    clientKeyId: entry.clientKeyId,
    accountId: entry.accountId,
    model: entry.mappedModel,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

function addDeltas(left: UsageDelta, right: UsageDelta): UsageDelta {
  return {
    ...left,
    requests: left.requests + right.requests,
    errors: left.errors + right.errors,
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    cacheReadTokens: left.cacheReadTokens + right.cacheReadTokens,
    cacheWriteTokens: left.cacheWriteTokens + right.cacheWriteTokens,
    reasoningTokens: left.reasoningTokens + right.reasoningTokens,
  };
}
