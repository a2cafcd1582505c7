import { type Clock, systemClock } from '../../src/core/clock.js';

/**
 * The system clock, moved forward by hand: `now()` reads the real time plus every `shift` so far,
 * while sleeps and timers stay real (a running gateway still drains and stops). For end-to-end tests
 * of behaviour that spans hours (windows, intervals) without waiting for them.
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return systemClock.now() + this.offsetMs;
  }

  /** Moves `now()` forward by `ms`; timers are not fired early. */
  shift(ms: number): void {
    this.offsetMs += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }

  every(ms: number, callback: () => void): () => void {
    return systemClock.every(ms, callback);
  }

  after(ms: number, callback: () => void): () => void {
    return systemClock.after(ms, callback);
  }

  yieldToIo(): Promise<void> {
    return systemClock.yieldToIo?.() ?? Promise.resolve();
  }
}
