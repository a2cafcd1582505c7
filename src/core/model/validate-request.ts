import type { z } from 'zod';
import { SwitchyardError } from '../errors.js';

/** `['messages', 2, 'content']` → `messages[2].content`, the way errors and warnings name fields. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const key of path) {
    if (typeof key === 'number') result += `[${key}]`;
    else result += result === '' ? String(key) : `.${String(key)}`;
  }
  return result === '' ? '(body)' : result;
}

/** The error for a client request that is structurally invalid at `field`. */
export function invalidRequest(field: string, message: string): SwitchyardError {
  return new SwitchyardError('invalid_request', `${field}: ${message}`, { details: { field } });
}

/**
 * Parses a client request body (or part of it, at `basePath`) with `schema`, throwing
 * `invalid_request` naming the first offending field when it does not match.
 */
export function validateRequest<T>(
  schema: z.ZodType<T>,
  value: unknown,
  basePath: readonly PropertyKey[] = [],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldPath([...basePath, ...(issue?.path ?? [])]);
  throw invalidRequest(field, issue?.message ?? 'invalid value');
}
