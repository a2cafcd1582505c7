import type { z } from 'zod';
import { SwitchyardError } from '../errors.js';
import { fieldPath } from './validate-request.js';

/**
 * Parses an upstream response body with a tolerant `schema` (unknown fields allowed, optional where
 * providers differ). A body that still does not match is the upstream's fault: `upstream_error`.
 */
export function validateUpstream<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldPath(issue?.path ?? []);
  throw new SwitchyardError(
    'upstream_error',
    `unexpected ${what} from upstream at ${field}: ${issue?.message}`,
    {
      details: { field },
    },
  );
}
