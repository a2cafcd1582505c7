import type { Clock } from '../core/clock.js';

export interface BodyBudgetOptions {
  clock: Clock;
  /** Most bytes of request bodies held at once (read on every request, so a config change applies). */
  maxBytes: () => number;
  /** How long a body waits for room before it is refused, ms. */
  waitMs: () => number;
  /** Told the bytes of each lease given back (after the budget counts them as free). */
  onRelease?: (bytes: number) => void;
}

/** Bytes one request holds against the budget until it ends. */
export interface BodyLease {
  /** Adds bytes (a body without `content-length`, as it arrives); false when they do not fit now. */
  grow(bytes: number): boolean;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}

interface Waiter {
  bytes: number;
  admit: (lease: BodyLease) => void;
  cancel: () => void;
}

/**
 * The request bodies in flight, in bytes, against one budget: a body that does not fit waits (up
 * to `waitMs`) for others to finish, then is refused — the caller answers 503 with `Retry-After`
 * instead of running out of memory. A body is always admitted when nothing else is in flight, so
 * any body under the size limit can pass on its own. Waiters are admitted in arrival order as room
 * frees up; one that does not fit yet does not hold back smaller ones behind it.
 */
export class BodyBudget {
  private held = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: BodyBudgetOptions) {}

  /** Bytes held now. */
  get inFlight(): number {
    return this.held;
  }

  /**
   * A lease of `bytes`: at once when they fit, after others release when they fit within the wait,
   * else null. An abort of `signal` (the client left) also ends the wait with null.
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<BodyLease | null> {
    const now = this.tryAcquire(bytes);
    if (now) return Promise.resolve(now);
    const waitMs = this.options.waitMs();
    if (waitMs <= 0 || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const finish = (lease: BodyLease | null) => {
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(lease);
      };
      const onAbort = () => finish(null);
      const waiter: Waiter = { bytes, admit: (lease) => finish(lease), cancel: () => finish(null) };
      const cancelTimer = this.options.clock.after(waitMs, waiter.cancel);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** A lease of `bytes` when they fit now, else null (no wait: `acquire` is the one that waits). */
  tryAcquire(bytes: number): BodyLease | null {
    return this.fits(bytes) ? this.lease(bytes) : null;
  }

  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.options.maxBytes();
  }

  private lease(bytes: number): BodyLease {
    let held = bytes;
    let released = false;
    this.held += bytes;
    return {
      grow: (more) => {
        if (released || !this.fits(more)) return false;
        held += more;
        this.held += more;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.held -= held;
        this.admitWaiters();
        this.options.onRelease?.(held);
      },
    };
  }

  private admitWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.fits(waiter.bytes)) waiter.admit(this.lease(waiter.bytes));
    }
  }
}
