import { type Clock, within } from '../core/clock.js';
import { isSwitchyardError, SwitchyardError } from '../core/errors.js';
import type { StoreBackend } from './opened-database.js';
import { describeStoreFailure, isStoreUnreachableError } from './store-unreachable.js';

/**
 * What the users of the store database need to know about its reachability, so that losing it
 * degrades the gateway instead of failing it:
 * - background writers (request log, rate-limit locks, quota and last-used updates, refreshed
 *   OAuth tokens) hold their writes while the store is down and write them when it answers again;
 * - foreground operations (admin writes and reads) fail at once with a clear 503 instead of a 500
 *   or a long wait.
 */
export interface StoreAvailability {
  /** False while the store is known not to answer: background writers keep their writes meanwhile. */
  readonly writable: boolean;
  /**
   * Reports a failed operation. True when the failure says the store did not answer: the store then
   * counts as down until a probe answers, and the caller keeps its write for `onAvailable`. False
   * when the store answered and refused this one operation (the caller drops it).
   */
  reportFailure(error: unknown): boolean;
  /** Calls `listener` each time the store answers again after being down. Returns the function that stops it. */
  onAvailable(listener: () => void): () => void;
  /**
   * Runs a foreground operation. When the store is known to be down, one probe decides first,
   * waiting no longer than the probe timeout; no answer throws `store_unavailable` (503, with
   * `Retry-After`) naming the store and the reason, before anything is sent. A failure of the
   * operation that says the store did not answer becomes the same error (a transaction that
   * failed this way was rolled back: nothing half-written).
   */
  guard<T>(operation: () => Promise<T>): Promise<T>;
}

/** The store's reachability as `/api/proxy/status` and `/metrics` report it. */
export interface StoreHealthStatus {
  backend: StoreBackend;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  location: string;
  /** True while the store is known not to answer. */
  degraded: boolean;
  /** Why it counts as down (never a password); null while it answers. */
  reason: string | null;
  /** Epoch ms since when it counts as down; null while it answers. */
  since: number | null;
}

export interface StoreHealthOptions {
  backend: StoreBackend;
  location: string;
  clock: Clock;
  /** One cheap round trip (`select 1`): resolves when the database answers, rejects otherwise. */
  probe: () => Promise<void>;
  /** A probe unanswered after this long counts as no answer. Default 3000 ms. */
  probeTimeoutMs?: number;
  /** Probe interval while the store is down. Default 1000 ms. */
  retryIntervalMs?: number;
  /**
   * Probe interval while the store answers, to notice a frozen server that fails nothing yet;
   * 0 probes only once someone reports a failure (SQLite). Default 0.
   */
  watchIntervalMs?: number;
  /** `Retry-After` of a refused foreground operation, in seconds. Default 5. */
  retryAfterSeconds?: number;
}

type Step = () => Promise<void>;

/**
 * Tracks whether the store database answers (see `StoreAvailability`). It counts as down from the
 * first failure that says so (`reportFailure`, a probe without an answer) until a probe answers:
 * every `retryIntervalMs` while down, every `watchIntervalMs` while up. One probe at a time, so a
 * frozen server holds at most one connection for probes. A store that did not answer at start-up
 * is down until its deferred opening steps have all succeeded once (`openLater`).
 *
 * Lifecycle: `start()` once everything that listens is wired; `close()` stops the timers.
 */
export class StoreHealth implements StoreAvailability {
  private down: { reason: string; since: number } | null = null;
  private readonly openingSteps: Step[] = [];
  private probing: Promise<boolean> | null = null;
  private readonly availableListeners = new Set<() => void>();
  private readonly changeListeners = new Set<(status: StoreHealthStatus) => void>();
  private stopTimer: () => void = () => undefined;
  private started = false;
  private closed = false;

  constructor(private readonly options: StoreHealthOptions) {}

  get writable(): boolean {
    return this.down === null;
  }

  status(): StoreHealthStatus {
    const { backend, location } = this.options;
    return {
      backend,
      location,
      degraded: this.down !== null,
      reason: this.down?.reason ?? null,
      since: this.down?.since ?? null,
    };
  }

  /**
   * The store did not answer at start-up (`error`): it counts as down until `steps` (connecting,
   * migrating, loading the accounts…) have succeeded once each, in order, on later probes. More
   * steps may be added until `start()`.
   */
  openLater(error: unknown, ...steps: Step[]): void {
    this.openingSteps.push(...steps);
    this.markDown(error);
  }

  /** Whether the store has not answered yet since start-up (`openLater`): steps are still waiting. */
  get opening(): boolean {
    return this.openingSteps.length > 0;
  }

  /**
   * Adds a step to run, after the others, once the store first answers (loading the accounts…).
   * Only while `opening`; otherwise does nothing.
   */
  whenOpened(step: Step): void {
    if (this.openingSteps.length > 0) this.openingSteps.push(step);
  }

  /** Starts probing. Calling it twice does nothing more. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.stopTimer();
    this.availableListeners.clear();
    this.changeListeners.clear();
  }

  /** Calls `listener` on every change: down (with the reason, again when the reason changes) and up. */
  subscribe(listener: (status: StoreHealthStatus) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onAvailable(listener: () => void): () => void {
    this.availableListeners.add(listener);
    return () => this.availableListeners.delete(listener);
  }

  reportFailure(error: unknown): boolean {
    if (!isStoreUnreachableError(error)) return false;
    this.markDown(error);
    return true;
  }

  async guard<T>(operation: () => Promise<T>): Promise<T> {
    if (this.down && !(await this.checkWithin(this.probeTimeoutMs))) throw this.unavailable();
    try {
      return await operation();
    } catch (error) {
      if (isSwitchyardError(error) && error.code === 'store_unavailable') throw error;
      if (this.reportFailure(error)) throw this.unavailable();
      throw error;
    }
  }

  /** Probes now (joining a probe in flight); resolves with whether the store answered. */
  check(): Promise<boolean> {
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  /** As `check`, but an answer later than `timeoutMs` counts as none and marks the store down. */
  async checkWithin(timeoutMs: number): Promise<boolean> {
    const outcome = await within(this.options.clock, timeoutMs, this.check());
    if (outcome.done) return outcome.value;
    this.markDown(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    return false;
  }

  private get probeTimeoutMs(): number {
    return this.options.probeTimeoutMs ?? 3000;
  }

  private async probe(): Promise<boolean> {
    try {
      for (let step = this.openingSteps[0]; step; step = this.openingSteps[0]) {
        await step();
        this.openingSteps.shift();
      }
      await this.options.probe();
    } catch (error) {
      this.markDown(error);
      return false;
    }
    this.markUp();
    return true;
  }

  private markDown(error: unknown): void {
    const reason = describeStoreFailure(error);
    const wasUp = this.down === null;
    if (!wasUp && this.down?.reason === reason) return;
    this.down = { reason, since: this.down?.since ?? this.options.clock.now() };
    if (wasUp) this.schedule();
    this.notify();
  }

  private markUp(): void {
    if (this.down === null || this.openingSteps.length > 0) return;
    this.down = null;
    this.schedule();
    this.notify();
    for (const listener of [...this.availableListeners]) this.call(listener);
  }

  private schedule(): void {
    this.stopTimer();
    this.stopTimer = () => undefined;
    if (!this.started || this.closed) return;
    if (this.down) {
      this.stopTimer = this.options.clock.every(
        this.options.retryIntervalMs ?? 1000,
        () => void this.check(),
      );
      return;
    }
    const watchMs = this.options.watchIntervalMs ?? 0;
    if (watchMs > 0)
      this.stopTimer = this.options.clock.every(watchMs, () => void this.checkWithin(this.probeTimeoutMs));
  }

  private notify(): void {
    const status = this.status();
    for (const listener of [...this.changeListeners]) this.call(() => listener(status));
  }

  /** Listeners must not break the monitor: a throwing one is skipped. */
  private call(listener: () => void): void {
    try {
      listener();
    } catch {
      // Nothing to report to; the other listeners still run.
    }
  }

  private unavailable(): SwitchyardError {
    const { backend, location } = this.options;
    const reason = this.down?.reason ?? 'no answer';
    return new SwitchyardError(
      'store_unavailable',
      `The ${backend} store ${location} does not answer (${reason}). Requests are still served from ` +
        'memory; changes are refused until it answers again.',
      {
        retryAfterSeconds: this.options.retryAfterSeconds ?? 5,
        details: { store: backend, location, reason },
      },
    );
  }
}

/**
 * The availability of a store assumed to answer, for stores opened without a health monitor (the
 * CLI commands, tests): never known to be down; failures are classified, not remembered.
 */
export const ASSUMED_AVAILABLE: StoreAvailability = {
  writable: true,
  reportFailure: (error) => isStoreUnreachableError(error),
  onAvailable: () => () => undefined,
  guard: (operation) => operation(),
};
