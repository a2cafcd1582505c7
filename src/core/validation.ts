import type { z } from 'zod';
import { SwitchyardError } from './errors.js';

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `proxy.scheduling.mode` or `[2].email`. */
  path: string;
  message: string;
}

/**
 * Dotted path for a zod issue path: `proxy.port`, `models[1]`, `[0].email`; keys that are not plain
 * identifiers are quoted, `custom_mapping["gpt-4.1"]`. Empty for the value itself.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment))
      text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** One `{path, message}` per zod issue (unions report their closest branch). */
export function listIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

/** `path: message; path: message` — short enough for an error response or a log line. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * Parses `value` with `schema` or throws a `validation_failed` error naming every bad field.
 * `what` names the thing being validated, e.g. "request body".
 */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = listIssues(result.error);
  throw new SwitchyardError('validation_failed', `Invalid ${what}: ${describeIssues(issues)}`, {
    details: { issues },
  });
}
