/**
 * The UI's only reader of wall-clock time and only scheduler of timers (the browser counterpart of
 * `src/core/clock.ts`, whose `systemClock` relies on Node's `unref`). Components take time from here
 * so that the pure modules next to it can be tested with a plain `now` argument.
 */
import type { Clock } from '@contracts';

export const browserClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = window.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      function onAbort() {
        window.clearTimeout(timer);
        reject(signal?.reason);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  every(ms, callback) {
    const timer = window.setInterval(callback, ms);
    return () => window.clearInterval(timer);
  },
  after(ms, callback) {
    const timer = window.setTimeout(callback, ms);
    return () => window.clearTimeout(timer);
  },
};
