/**
 * Edits of the circuit breaker's `backoff_steps` (lock seconds by consecutive quota failures, the
 * last step repeating). Bounds follow the config schema: 1 to 604 800 s per step, at least one step.
 */

export const MAX_BACKOFF_SECONDS = 604_800;

/** Appends a step twice as long as the last one (60 s for an empty list), within the bound. */
export function addBackoffStep(steps: readonly number[]): number[] {
  const last = steps.at(-1);
  const next = last === undefined ? 60 : Math.min(MAX_BACKOFF_SECONDS, last * 2);
  return [...steps, next];
}

/** Removes the step at `index`; the only remaining step cannot be removed. */
export function removeBackoffStep(steps: readonly number[], index: number): number[] {
  if (steps.length <= 1) return [...steps];
  return steps.filter((_, position) => position !== index);
}

/** Replaces the step at `index`. */
export function setBackoffStep(options: {
  steps: readonly number[];
  index: number;
  seconds: number;
}): number[] {
  return options.steps.map((step, position) => (position === options.index ? options.seconds : step));
}

/** What is wrong with `steps`, or null when the server will accept them. */
export function validateBackoffSteps(steps: readonly number[]): string | null {
  if (steps.length === 0) return 'Keep at least one step.';
  const bad = steps.findIndex((step) => !Number.isInteger(step) || step < 1 || step > MAX_BACKOFF_SECONDS);
  if (bad >= 0) return `Step ${bad + 1} must be a whole number of seconds from 1 to ${MAX_BACKOFF_SECONDS}.`;
  return null;
}
