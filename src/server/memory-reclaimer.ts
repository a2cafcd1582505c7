import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from '../core/clock.js';

/** Bytes of bodies since the last collection that make one worth checking once the gateway is idle. */
export const RECLAIM_AFTER_BYTES = 16 * 1024 * 1024;
/** How long the bodies in flight must stay at zero before the collection runs, ms. */
export const RECLAIM_IDLE_MS = 1000;
/**
 * Resident memory from which a collection is worth it: about twice what the gateway holds at
 * saturation with the request log on (134 MB in `bench:proxy`), well under what a burst of large
 * bodies leaves (the in-flight budget's 64 MiB cost several times that while translated). Below
 * it V8's own collections give the memory back in time, and a forced one costs more than it frees.
 */
export const RECLAIM_ABOVE_RESIDENT_BYTES = 256 * 1024 * 1024;

export interface MemoryReclaimerOptions {
  clock: Clock;
  /** Bodies in flight now, in bytes (`BodyBudget.inFlight`). */
  inFlight: () => number;
  /** Runs a full garbage collection. Default: V8's, exposed on first use. */
  collect?: () => void;
  /** The process's resident memory now, in bytes. Default: `process.memoryUsage.rss()`. */
  residentBytes?: () => number;
}

/**
 * Gives the memory of a burst of large request bodies back once the burst is over. V8 collects
 * only as it allocates: after a burst an idle gateway keeps hundreds of megabytes of garbage (and
 * the body buffers it holds) for as long as it stays idle. When at least `RECLAIM_AFTER_BYTES` of
 * bodies went through since the last check, no body has been in flight for `RECLAIM_IDLE_MS`, and
 * the process holds at least `RECLAIM_ABOVE_RESIDENT_BYTES`, one full collection runs — while
 * nothing else is waiting to be served.
 *
 * Why not after every burst: a forced full collection keeps none of the object shapes the
 * optimized code depends on, so V8 throws away about 120 optimized functions of the request path
 * and compiles some 200 again under the next requests (counted with `--trace-opt` under load:
 * "marking dependent code … reason: weak objects"). Ordinary traffic with pauses between turns
 * would pay that after every pause.
 */
export class MemoryReclaimer {
  private bytesSinceCheck = 0;
  private cancelTimer: (() => void) | null = null;
  private collectGarbage: (() => void) | null;
  private readonly residentBytes: () => number;

  constructor(private readonly options: MemoryReclaimerOptions) {
    this.collectGarbage = options.collect ?? null;
    this.residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
  }

  /** A body of `bytes` finished. */
  released(bytes: number): void {
    this.bytesSinceCheck += bytes;
    if (this.bytesSinceCheck < RECLAIM_AFTER_BYTES || this.options.inFlight() > 0) return;
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
    this.bytesSinceCheck = 0;
    if (this.residentBytes() < RECLAIM_ABOVE_RESIDENT_BYTES) return;
    this.collectGarbage ??= exposedGarbageCollector();
    this.collectGarbage();
  }
}

/** V8's full collection, exposed at runtime (`--expose-gc` without restarting the process). */
function exposedGarbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
