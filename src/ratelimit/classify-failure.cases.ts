import { expect } from 'vitest';
import type { HeaderBag } from '../core/headers.js';
import { classifyFailure, type FailureClassification } from './classify-failure.js';

/** Test support for the classifyFailure tables. */

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** RFC 3339 timestamp `offsetMs` from NOW. */
export const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

export type Case = [
  name: string,
  status: number,
  headers: HeaderBag,
  body: unknown,
  expected: Partial<FailureClassification>,
];

/** Classifies the case at NOW; the optional flags not named in `expected` must be absent or false. */
export function checkCase([, status, headers, body, expected]: Case): void {
  const result = classifyFailure({ status, headers, body, now: NOW });
  expect(result).toMatchObject(expected);
  for (const flag of ['verificationRequired', 'resourceExhausted', 'validationUrl'] as const) {
    if (!(flag in expected)) expect(result[flag] ?? false).toBeFalsy();
  }
}
