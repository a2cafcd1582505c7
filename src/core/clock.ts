/**
 * The only place that reads wall-clock time or schedules timers. Everything else receives a
 * `Clock` (or a `now` argument) so tests can drive time by hand with `FakeClock`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `callback` every `ms` until the returned function is called. Does not keep the process alive. */
  every(ms: number, callback: () => void): () => void;
  /** Calls `callback` once after `ms` unless cancelled. Does not keep the process alive. */
  after(ms: number, callback: () => void): () => void;
  /** Resolves after pending I/O had its turn (a macrotask), to split long synchronous work. */
  yieldToIo?(): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  every(ms, callback) {
    const timer = setInterval(callback, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  yieldToIo: () => new Promise<void>((resolve) => setImmediate(resolve)),
};

/**
 * `work`'s outcome if it settles within `ms` of `clock`'s time, else `{ done: false }` (work goes on;
 * a later rejection is handled). The timer is cancelled as soon as either settles.
 */
export async function within<T>(
  clock: Clock,
  ms: number,
  work: Promise<T>,
): Promise<{ done: true; value: T } | { done: false }> {
  let cancel: () => void = () => undefined;
  const expired = new Promise<{ done: false }>((resolve) => {
    cancel = clock.after(ms, () => resolve({ done: false }));
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), expired]);
  } finally {
    cancel();
  }
}

interface PendingTimer {
  at: number;
  callback: () => void;
  interval?: number;
  cancelled: boolean;
}

/** A clock that only moves when told to. `advance` fires due timers in time order. */
export class FakeClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  set(time: number): void {
    this.current = time;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => !timer.cancelled && timer.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      if (due.interval !== undefined) due.at += due.interval;
      else due.cancelled = true;
      due.callback();
      await Promise.resolve();
    }
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    this.current = target;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const cancel = this.after(ms, () => resolve());
      signal?.addEventListener(
        'abort',
        () => {
          cancel();
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  every(ms: number, callback: () => void): () => void {
    const timer: PendingTimer = { at: this.current + ms, callback, interval: ms, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  after(ms: number, callback: () => void): () => void {
    const timer: PendingTimer = { at: this.current + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Number of timers still waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }
}
