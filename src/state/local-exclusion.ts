import { type Clock, within } from '../core/clock.js';
import type { ExclusiveOutcome } from './state-store.js';

/**
 * `StateStore.runExclusive` within one process: the first caller runs its task; callers that
 * arrive while it runs wait for it to settle (or for `ttlMs`, whichever comes first) and are told
 * it ran elsewhere. Also the fallback of a shared store whose backend cannot be reached.
 */
export class LocalExclusion {
  private readonly held = new Map<string, Promise<unknown>>();

  constructor(private readonly clock: Clock) {}

  async run<T>(
    name: string,
    task: () => Promise<T>,
    options: { ttlMs: number },
  ): Promise<ExclusiveOutcome<T>> {
    const running = this.held.get(name);
    if (running !== undefined) {
      await this.waitFor(running, options.ttlMs);
      return { ran: false };
    }
    const started = task();
    this.held.set(name, started);
    try {
      return { ran: true, value: await started };
    } finally {
      if (this.held.get(name) === started) this.held.delete(name);
    }
  }

  /** Whether a task holds `name` in this process. */
  holds(name: string): boolean {
    return this.held.has(name);
  }

  private async waitFor(running: Promise<unknown>, ttlMs: number): Promise<void> {
    await within(this.clock, ttlMs, running.then(settled, settled));
  }
}

function settled(): void {}
