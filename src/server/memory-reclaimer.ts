import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from '../core/clock.js';

/** Bytes of bodies since the last collection that make one worth it once the gateway is idle. */
export const RECLAIM_AFTER_BYTES = 16 * 1024 * 1024;
/** How long the bodies in flight must stay at zero before the collection runs, ms. */
export const RECLAIM_IDLE_MS = 1000;

export interface MemoryReclaimerOptions {
  clock: Clock;
  /** Bodies in flight now, in bytes (`BodyBudget.inFlight`). */
  inFlight: () => number;
  /** Runs a full garbage collection. Default: V8's, exposed on first use. */
  collect?: () => void;
}

/**
 * Gives the memory of a burst of large request bodies back once the burst is over. V8 collects
 * only as it allocates: after a burst an idle gateway keeps hundreds of megabytes of garbage (and
 * the body buffers it holds) for as long as it stays idle. When at least `RECLAIM_AFTER_BYTES` of
 * bodies went through since the last collection and no body has been in flight for
 * `RECLAIM_IDLE_MS`, one full collection runs — while nothing else is waiting to be served.
 */
export class MemoryReclaimer {
  private bytesSinceCollection = 0;
  private cancelTimer: (() => void) | null = null;
  private collectGarbage: (() => void) | null;

  constructor(private readonly options: MemoryReclaimerOptions) {
    this.collectGarbage = options.collect ?? null;
  }

  /** A body of `bytes` finished. */
  released(bytes: number): void {
    this.bytesSinceCollection += bytes;
    if (this.bytesSinceCollection < RECLAIM_AFTER_BYTES || this.options.inFlight() > 0) return;
    this.cancelTimer?.();
    this.cancelTimer = this.options.clock.after(RECLAIM_IDLE_MS, () => this.collectWhenIdle());
  }

  /** Stops a pending collection (the server is closing). */
  close(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private collectWhenIdle(): void {
    this.cancelTimer = null;
    // A new body arrived meanwhile: its release schedules the collection again.
    if (this.options.inFlight() > 0) return;
    this.bytesSinceCollection = 0;
    this.collectGarbage ??= exposedGarbageCollector();
    this.collectGarbage();
  }
}

/** V8's full collection, exposed at runtime (`--expose-gc` without restarting the process). */
function exposedGarbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
