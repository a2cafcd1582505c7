import { MINUTE_MS } from '../usage/usage-windows.js';

const SECOND_MS = 1000;
const SLOTS = MINUTE_MS / SECOND_MS;

/**
 * Amounts added over the last 60 seconds, kept in one slot per second (a ring of 60), so memory
 * stays fixed however busy a key is. `total` counts the slots of the last 60 whole seconds, the
 * current one included; `freesInMs` says when enough of them fall out of the window.
 */
export class SlidingMinute {
  private readonly amounts = new Float64Array(SLOTS);
  /** The second (epoch seconds) each slot holds; -1 when empty. */
  private readonly seconds = new Float64Array(SLOTS).fill(-1);

  add(amount: number, now: number): void {
    const second = Math.floor(now / SECOND_MS);
    const slot = second % SLOTS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.amounts[slot] = 0;
    }
    this.amounts[slot] = (this.amounts[slot] ?? 0) + amount;
  }

  total(now: number): number {
    const oldest = Math.floor(now / SECOND_MS) - SLOTS + 1;
    let sum = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      if ((this.seconds[slot] ?? -1) >= oldest) sum += this.amounts[slot] ?? 0;
    }
    return sum;
  }

  /**
   * Milliseconds until the total over the window drops below `limit`: the oldest seconds leave
   * first. 0 when it is below already.
   */
  freesInMs(limit: number, now: number): number {
    let sum = this.total(now);
    if (sum < limit) return 0;
    // Walk the window from its oldest second: slot `second % 60` holds it when it was written then.
    const current = Math.floor(now / SECOND_MS);
    for (let second = current - SLOTS + 1; second <= current; second++) {
      const slot = second % SLOTS;
      if (this.seconds[slot] !== second) continue;
      sum -= this.amounts[slot] ?? 0;
      // The slot of `second` leaves the window when the clock reaches second + 60.
      if (sum < limit) return Math.max(1, (second + SLOTS) * SECOND_MS - now);
    }
    return MINUTE_MS;
  }
}
