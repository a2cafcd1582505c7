/**
 * The request budget of one account for one model, as one gateway instance sees it: what the last
 * answer's rate-limit headers said was left of the requests dimension, minus the calls this
 * instance has sent since. Rate-limit headers arrive with answers, so they are always a little
 * late: with "1 left" read and one call already on its way, nothing is left, and a next call would
 * be refused. Pure: every function takes the budget and returns a new one.
 */

/** What one answer's rate-limit headers said about the requests dimension. */
export interface RequestsReading {
  /** Requests left when the upstream took the answered call. */
  remaining: number;
  /** Requests allowed per window, when stated. */
  limit: number | null;
  /** When the dimension is fully replenished (epoch ms), when stated. */
  resetAt: number | null;
}

/** A reading, tied to the call it answered and to when it arrived. */
export interface NumberedReading extends RequestsReading {
  /** The number of the answered call (see `RequestBudget.callsAfter`). */
  call: number;
  /** Epoch ms the answer arrived. */
  readAt: number;
}

/** One call counted against a budget. */
export interface CountedCall {
  /** Call numbers grow with every call the instance sends, to any account. */
  call: number;
  /** Epoch ms it was sent. */
  at: number;
}

export interface RequestBudget {
  /**
   * The freshest reading: the one whose call was sent last among those answered with headers, and
   * when that call was sent (its answer's reset counts the window from about then).
   */
  readonly reading: (NumberedReading & { sentAt: number }) | null;
  /** The calls sent after the reading's call, oldest first: in flight, or answered without a fresher reading. */
  readonly callsAfter: readonly CountedCall[];
}

export const EMPTY_BUDGET: RequestBudget = Object.freeze({ reading: null, callsAfter: Object.freeze([]) });

/**
 * Calls counted per budget at most; older ones are dropped. Only calls sent before any answer of
 * the account carried a requests count (or to an upstream that never sends one) pile up to it.
 */
export const MAX_CALLS_COUNTED = 16;

/** The budget after one more call (its number larger than every number before it). */
export function budgetAfterCall(budget: RequestBudget, call: CountedCall): RequestBudget {
  const kept = budget.callsAfter.length < MAX_CALLS_COUNTED ? budget.callsAfter : budget.callsAfter.slice(1);
  return { reading: budget.reading, callsAfter: [...kept, call] };
}

/**
 * The budget after an answer's reading. A reading whose call was sent before the current
 * reading's is stale (answers overtake each other) and changes nothing; a fresher one replaces it,
 * and the calls sent before its own no longer count against it (they were counted upstream).
 */
export function budgetAfterReading(budget: RequestBudget, reading: NumberedReading): RequestBudget {
  if (budget.reading !== null && reading.call < budget.reading.call) return budget;
  const sentAt = budget.callsAfter.find((counted) => counted.call === reading.call)?.at ?? reading.readAt;
  return {
    reading: { ...reading, sentAt },
    callsAfter: budget.callsAfter.filter((counted) => counted.call > reading.call),
  };
}

/** The shortest time a spent budget keeps the account out once its stated reset has passed. */
const MIN_WINDOW_MS = 1000;

/**
 * Until when the budget says nothing is left (epoch ms), or null while something is:
 * - before the reading's reset: `remaining` minus the calls since; spent until the reset;
 * - after it (the window replenished): `limit` minus the calls since; spent for one more window,
 *   as long as the reading's call to its reset (a burst of calls after a reset, none answered yet).
 * Without a stated reset, or a limit once the reset has passed, the budget cannot tell and says
 * nothing.
 */
export function budgetSpentUntil(budget: RequestBudget, now: number): number | null {
  const { reading } = budget;
  if (reading === null || reading.resetAt === null) return null;
  const inFlight = budget.callsAfter.length;
  if (now < reading.resetAt) return reading.remaining - inFlight > 0 ? null : reading.resetAt;
  if (reading.limit === null || reading.limit - inFlight > 0) return null;
  return now + Math.max(MIN_WINDOW_MS, reading.resetAt - reading.sentAt);
}

/** Whether the budget can be forgotten: its reset has passed and no call is counted against it. */
export function budgetIsIdle(budget: RequestBudget, now: number): boolean {
  const resetAt = budget.reading?.resetAt ?? null;
  return budget.callsAfter.length === 0 && (resetAt === null || resetAt <= now);
}
