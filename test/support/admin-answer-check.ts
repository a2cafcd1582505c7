/**
 * Holds every successful admin answer the tests receive to the admin contract: the answer of an
 * `/api` route must parse with the schema `ADMIN_ANSWERS` lists for it (`src/admin/admin-answers.ts`).
 */
import { ADMIN_ANSWERS, adminRouteOf } from '../../src/admin/admin-answers.js';

/** Throws, naming the route and the fields, when a successful `/api` answer breaks its contract. */
export function checkAdminAnswer(options: {
  method: string;
  path: string;
  status: number;
  json: unknown;
}): void {
  const { method, path, status, json } = options;
  if (!path.startsWith('/api/') || status < 200 || status >= 300) return;
  const route = adminRouteOf(method, path);
  if (route === null)
    throw new Error(`${method} ${path} answered ${status}, but no admin route of the contract matches it`);
  const schema = ADMIN_ANSWERS[route];
  if (schema === null || schema === undefined) return;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${route} answered outside its contract: ${issues.slice(0, 5).join('; ')}`);
  }
}
