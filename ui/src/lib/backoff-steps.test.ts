import { describe, expect, it } from 'vitest';
import {
  addBackoffStep,
  MAX_BACKOFF_SECONDS,
  removeBackoffStep,
  setBackoffStep,
  validateBackoffSteps,
} from './backoff-steps.js';

describe('backoff step edits', () => {
  it('adds a step twice as long as the last, within the schema bound', () => {
    expect(addBackoffStep([60, 300])).toEqual([60, 300, 600]);
    expect(addBackoffStep([])).toEqual([60]);
    expect(addBackoffStep([500_000])).toEqual([500_000, MAX_BACKOFF_SECONDS]);
  });

  it('removes a step, but never the last remaining one', () => {
    expect(removeBackoffStep([60, 300, 1800], 1)).toEqual([60, 1800]);
    expect(removeBackoffStep([60], 0)).toEqual([60]);
  });

  it('replaces one step', () => {
    expect(setBackoffStep({ steps: [60, 300], index: 1, seconds: 120 })).toEqual([60, 120]);
  });
});

describe('validateBackoffSteps', () => {
  it.each([
    [[], 'at least one'],
    [[60, 0], 'Step 2'],
    [[1.5], 'Step 1'],
    [[Number.NaN], 'Step 1'],
    [[MAX_BACKOFF_SECONDS + 1], 'Step 1'],
  ])('rejects %o', (steps, message) => {
    expect(validateBackoffSteps(steps)).toContain(message);
  });

  it('accepts the defaults', () => {
    expect(validateBackoffSteps([60, 300, 1800, 7200])).toBeNull();
  });
});
